/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-attachments-tab.c — KcAttachmentsTab: attachment.list, an upload or a
 * download at a time (kc-transfer), attachment.delete.
 *
 * The transfer reports its progress to the bar; Cancel takes effect at
 * its next chunk.
 */
#include "kc-attachments-tab.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-labels.h"
#include "kc-transfer.h"
#include "kc-error.h"
#include "kc-window.h"

enum
{
  COL_NAME,
  COL_TYPE,
  COL_SIZE,
  COL_CREATED,
  COL_ID,
  COL_VERSION,
  COL_BYTES,
  COL_SHA256,
  N_COLUMNS
};

typedef struct
{
  gboolean upload;
  GFile *file;            /* read or written */
  JsonObject *attachment; /* download: what attachment.list said of it */
  char *name;
  guint64 size;
  guint64 offset;
} Transfer;

struct _KcAttachmentsTab
{
  GtkBox parent_instance;

  GtkButton *upload_button;
  GtkButton *download_button;
  GtkButton *delete_button;
  GtkSpinner *spinner;
  GtkBox *transfer_box;
  GtkProgressBar *progress;
  GtkLabel *message_label;
  GtkTreeView *view;

  GtkListStore *store;
  KcSession *session;
  GCancellable *cancellable;          /* the tab's life */
  GCancellable *transfer_cancellable; /* (nullable) the transfer's */
  Transfer *transfer;                 /* (nullable) */
  Transfer *chosen;                   /* (nullable) a download waiting for its file */
  char *owner_type;
  gint64 owner_id;
  char *status;
};

G_DEFINE_TYPE (KcAttachmentsTab, kc_attachments_tab, GTK_TYPE_BOX)

/* Helpers */

static void
transfer_free (Transfer *transfer)
{
  g_clear_object (&transfer->file);
  g_clear_pointer (&transfer->attachment, json_object_unref);
  g_free (transfer->name);
  g_free (transfer);
}

static gboolean
is_province_role (KcAttachmentsTab *self)
{
  const char *role = kc_session_get_role (self->session);

  return g_strcmp0 (role, "province_officer") == 0 || g_strcmp0 (role, "province_leader") == 0;
}

static void
say (KcAttachmentsTab *self, const char *text, gboolean error)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self->message_label));

  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
  if (error)
    gtk_style_context_add_class (context, "kc-field-error");
  else
    gtk_style_context_remove_class (context, "kc-field-error");
}

static void
say_error (KcAttachmentsTab *self, const GError *error)
{
  g_autofree char *text = kc_describe_error (error);

  say (self, text, TRUE);
}

static gboolean
selected (KcAttachmentsTab *self, GtkTreeIter *iter)
{
  return gtk_tree_selection_get_selected (gtk_tree_view_get_selection (self->view), NULL, iter);
}

static void
update_buttons (KcAttachmentsTab *self)
{
  gboolean idle = self->transfer == NULL;
  gboolean chosen = selected (self, &(GtkTreeIter){ 0 });

  gtk_widget_set_visible (GTK_WIDGET (self->upload_button), is_province_role (self));
  gtk_widget_set_visible (GTK_WIDGET (self->delete_button), is_province_role (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->upload_button), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), idle && chosen);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_button),
                            idle && chosen && g_strcmp0 (self->status, "draft") == 0);
}

static void
end_transfer (KcAttachmentsTab *self)
{
  g_clear_pointer (&self->transfer, transfer_free);
  g_clear_object (&self->transfer_cancellable);
  gtk_widget_hide (GTK_WIDGET (self->transfer_box));
  update_buttons (self);
}

static void
show_progress_of (KcAttachmentsTab *self, Transfer *t)
{
  g_autofree char *done = g_format_size (t->offset);
  g_autofree char *total = g_format_size (t->size);
  g_autofree char *text = NULL;

  /* TRANSLATORS: a transfer in progress: file name, bytes done, bytes in all */
  text = g_strdup_printf (t->upload ? _ ("Uploading %s: %s of %s") : _ ("Downloading %s: %s of %s"),
                          t->name, done, total);
  gtk_progress_bar_set_text (self->progress, text);
  gtk_progress_bar_set_fraction (self->progress, t->size > 0 ? (double)t->offset / t->size : 1.0);
}

/* KcTransferProgress */
static void
progress_cb (const char *name, guint64 done, guint64 total, gpointer user_data)
{
  KcAttachmentsTab *self = user_data;
  Transfer *t = self->transfer;

  if (t == NULL)
    return;
  g_free (t->name);
  t->name = g_strdup (name);
  t->offset = done;
  t->size = total;
  show_progress_of (self, t);
}

static JsonNode *
id_params (const char *first, ...)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  va_list args;

  /* (name, gint64) pairs, NULL-terminated */
  json_builder_begin_object (builder);
  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_int_value (builder, va_arg (args, gint64));
    }
  va_end (args);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The list */

static void
list_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcAttachmentsTab *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);
  JsonArray *items;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        say_error (self, error);
      return;
    }
  gtk_list_store_clear (self->store);
  items = json_object_get_array_member (json_node_get_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      gint64 size = json_object_get_int_member_with_default (item, "size", 0);
      g_autofree char *size_text = g_format_size (size);
      g_autofree char *created_text
          = kc_label_instant (json_object_get_string_member_with_default (item, "created_at", ""));

      gtk_list_store_insert_with_values (
          self->store, NULL, -1, COL_NAME,
          json_object_get_string_member_with_default (item, "file_name", ""), COL_TYPE,
          json_object_get_string_member_with_default (item, "mime_type", ""), COL_SIZE, size_text,
          COL_CREATED, created_text, COL_ID,
          json_object_get_int_member_with_default (item, "id", 0), COL_VERSION,
          json_object_get_int_member_with_default (item, "version", 0), COL_BYTES, size, COL_SHA256,
          json_object_get_string_member_with_default (item, "sha256", ""), -1);
    }
  update_buttons (self);
}

/* Upload */

static void
uploaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcAttachmentsTab *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonObject) attachment = kc_transfer_upload_finish (result, &data, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (attachment == NULL)
    {
      if (kc_transfer_is_too_large (error, data))
        say (self, _ ("The file is larger than the server accepts (50 MiB)."), TRUE);
      else
        say_error (self, error);
      end_transfer (self);
      return;
    }
  text = g_strdup_printf (_ ("%s attached."), json_object_get_string_member_with_default (
                                                  attachment, "file_name", self->transfer->name));
  say (self, text, FALSE);
  end_transfer (self);
  kc_attachments_tab_refresh (self);
}

static void
start_transfer (KcAttachmentsTab *self, Transfer *transfer)
{
  self->transfer = transfer;
  self->transfer_cancellable = g_cancellable_new ();
  say (self, NULL, FALSE);
  gtk_progress_bar_set_fraction (self->progress, 0);
  if (transfer->upload)
    {
      /* TRANSLATORS: the file is being read from the disk before its upload */
      g_autofree char *text = g_strdup_printf (_ ("Reading %s…"), transfer->name);

      gtk_progress_bar_set_text (self->progress, text);
    }
  else
    show_progress_of (self, transfer);
  gtk_widget_show (GTK_WIDGET (self->transfer_box));
  update_buttons (self);
}

static void
upload_chosen_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  KcAttachmentsTab *self = user_data;
  Transfer *t;

  /* The editor may have been closed while the chooser was open. */
  if (response == GTK_RESPONSE_ACCEPT && self->transfer == NULL && self->session != NULL)
    {
      t = g_new0 (Transfer, 1);
      t->upload = TRUE;
      t->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      t->name = g_file_get_basename (t->file);
      start_transfer (self, t);
      kc_transfer_upload_async (self->session, self->owner_type, self->owner_id, t->file,
                                progress_cb, self, self->transfer_cancellable, uploaded_cb, self);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

/* Download */

static void
downloaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcAttachmentsTab *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (!kc_transfer_download_finish (result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      say_error (self, error);
      end_transfer (self);
      return;
    }
  text = g_strdup_printf (_ ("%s saved."), self->transfer->name);
  say (self, text, FALSE);
  end_transfer (self);
}

static void
download_chosen_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  KcAttachmentsTab *self = user_data;
  Transfer *t = g_steal_pointer (&self->chosen);

  if (response == GTK_RESPONSE_ACCEPT && self->transfer == NULL && t != NULL
      && self->session != NULL)
    {
      t->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      start_transfer (self, t);
      kc_transfer_download_async (self->session, t->attachment, t->file, progress_cb, self,
                                  self->transfer_cancellable, downloaded_cb, self);
    }
  else if (t != NULL)
    transfer_free (t);
  g_object_unref (dialog);
  g_object_unref (self);
}

/* Delete */

static void
delete_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcAttachmentsTab *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  if (reply == NULL)
    {
      say_error (self, error);
      return;
    }
  say (self, _ ("The file was deleted."), FALSE);
  kc_attachments_tab_refresh (self);
}

static void
delete_confirmed_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  KcAttachmentsTab *self = user_data;
  GtkTreeIter iter;

  if (response == GTK_RESPONSE_ACCEPT && self->session != NULL && selected (self, &iter))
    {
      gint64 id, version;
      g_autoptr (JsonNode) params = NULL;

      gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, COL_ID, &id, COL_VERSION, &version,
                          -1);
      params = id_params ("id", id, "version", version, NULL);
      gtk_spinner_start (self->spinner);
      kc_session_attachment_delete_async (self->session, params, self->cancellable, delete_done_cb,
                                          self);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
  g_object_unref (self);
}

/* Callbacks */

/* Dossier documents are kept in Documents more often than in the recent
 * files the chooser would show first. */
static void
start_in_documents (GtkFileChooser *chooser)
{
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    dir = g_get_home_dir ();
  gtk_file_chooser_set_current_folder (chooser, dir);
}

static void
on_upload_clicked_cb (KcAttachmentsTab *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      _ ("Attach a file"), GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
      GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Attach"), _ ("_Cancel"));

  start_in_documents (GTK_FILE_CHOOSER (chooser));
  g_signal_connect (chooser, "response", G_CALLBACK (upload_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The row's file as kc_transfer_download_async() takes it. */
static JsonObject *
attachment_of (KcAttachmentsTab *self, GtkTreeIter *iter)
{
  JsonObject *attachment = json_object_new ();
  g_autofree char *name = NULL;
  g_autofree char *sha256 = NULL;
  gint64 id, size;

  gtk_tree_model_get (GTK_TREE_MODEL (self->store), iter, COL_NAME, &name, COL_ID, &id, COL_BYTES,
                      &size, COL_SHA256, &sha256, -1);
  json_object_set_int_member (attachment, "id", id);
  json_object_set_int_member (attachment, "size", size);
  json_object_set_string_member (attachment, "file_name", name);
  json_object_set_string_member (attachment, "sha256", sha256);
  return attachment;
}

static void
on_download_clicked_cb (KcAttachmentsTab *self)
{
  GtkTreeIter iter;
  GtkFileChooserNative *chooser;
  Transfer *t;

  if (!selected (self, &iter) || self->transfer != NULL)
    return;
  t = g_new0 (Transfer, 1);
  t->attachment = attachment_of (self, &iter);
  t->name = g_strdup (json_object_get_string_member (t->attachment, "file_name"));
  t->size = (guint64)json_object_get_int_member (t->attachment, "size");
  chooser = gtk_file_chooser_native_new (_ ("Save the file"),
                                         GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  start_in_documents (GTK_FILE_CHOOSER (chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), t->name);
  g_clear_pointer (&self->chosen, transfer_free);
  self->chosen = t;
  g_signal_connect (chooser, "response", G_CALLBACK (download_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_delete_clicked_cb (KcAttachmentsTab *self)
{
  GtkTreeIter iter;
  g_autofree char *name = NULL;
  GtkWidget *dialog;

  if (!selected (self, &iter))
    return;
  gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, COL_NAME, &name, -1);
  dialog = gtk_message_dialog_new (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _ ("Delete %s from the project?"), name);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _ ("_Cancel"), GTK_RESPONSE_CANCEL, _ ("D_elete"),
                          GTK_RESPONSE_ACCEPT, NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (delete_confirmed_cb), g_object_ref (self));
  gtk_widget_show (dialog);
}

static void
on_cancel_clicked_cb (KcAttachmentsTab *self)
{
  if (self->transfer == NULL)
    return;
  /* An upload begun on the server is aborted there too (kc-transfer). */
  g_cancellable_cancel (self->transfer_cancellable);
  say (self, _ ("Cancelled."), FALSE);
  end_transfer (self);
}

/* A double-click (or Enter) on a file downloads it. */
static void
on_row_activated_cb (GtkTreeView *view, GtkTreePath *path, GtkTreeViewColumn *column,
                     gpointer user_data)
{
  KcAttachmentsTab *self = user_data;

  gtk_tree_selection_select_path (gtk_tree_view_get_selection (view), path);
  on_download_clicked_cb (self);
}

static void
on_selection_changed_cb (GtkTreeSelection *selection, gpointer user_data)
{
  update_buttons (user_data);
}

/* GObject */

static void
kc_attachments_tab_dispose (GObject *object)
{
  KcAttachmentsTab *self = KC_ATTACHMENTS_TAB (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->transfer_cancellable != NULL)
    g_cancellable_cancel (self->transfer_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->transfer_cancellable);
  g_clear_pointer (&self->transfer, transfer_free);
  g_clear_pointer (&self->chosen, transfer_free);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_attachments_tab_parent_class)->dispose (object);
}

static void
kc_attachments_tab_finalize (GObject *object)
{
  KcAttachmentsTab *self = KC_ATTACHMENTS_TAB (object);

  g_free (self->owner_type);
  g_free (self->status);
  G_OBJECT_CLASS (kc_attachments_tab_parent_class)->finalize (object);
}

static void
kc_attachments_tab_class_init (KcAttachmentsTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_attachments_tab_dispose;
  object_class->finalize = kc_attachments_tab_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-attachments-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, KcAttachmentsTab, upload_button);
  gtk_widget_class_bind_template_child (widget_class, KcAttachmentsTab, download_button);
  gtk_widget_class_bind_template_child (widget_class, KcAttachmentsTab, delete_button);
  gtk_widget_class_bind_template_child (widget_class, KcAttachmentsTab, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcAttachmentsTab, transfer_box);
  gtk_widget_class_bind_template_child (widget_class, KcAttachmentsTab, progress);
  gtk_widget_class_bind_template_child (widget_class, KcAttachmentsTab, message_label);
  gtk_widget_class_bind_template_child (widget_class, KcAttachmentsTab, view);
  gtk_widget_class_bind_template_callback (widget_class, on_upload_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_download_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
}

static void
kc_attachments_tab_init (KcAttachmentsTab *self)
{
  const char *titles[] = { N_ ("File"), N_ ("Type"), N_ ("Size"), N_ ("Attached on") };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->store
      = gtk_list_store_new (N_COLUMNS, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                            G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING);
  gtk_tree_view_set_model (self->view, GTK_TREE_MODEL (self->store));
  for (int i = 0; i < COL_ID; i++)
    {
      GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
      GtkTreeViewColumn *column
          = gtk_tree_view_column_new_with_attributes (_ (titles[i]), renderer, "text", i, NULL);

      gtk_tree_view_column_set_resizable (column, TRUE);
      if (i == COL_NAME)
        gtk_tree_view_column_set_expand (column, TRUE);
      gtk_tree_view_append_column (self->view, column);
    }
  g_signal_connect (gtk_tree_view_get_selection (self->view), "changed",
                    G_CALLBACK (on_selection_changed_cb), self);
  g_signal_connect (self->view, "row-activated", G_CALLBACK (on_row_activated_cb), self);
}

/* Public API */

KcAttachmentsTab *
kc_attachments_tab_new (KcSession *session, const char *owner_type, gint64 owner_id)
{
  KcAttachmentsTab *self = g_object_new (KC_TYPE_ATTACHMENTS_TAB, NULL);

  self->session = g_object_ref (session);
  self->owner_type = g_strdup (owner_type);
  self->owner_id = owner_id;
  update_buttons (self);
  kc_attachments_tab_refresh (self);
  return self;
}

void
kc_attachments_tab_set_status (KcAttachmentsTab *self, const char *status)
{
  g_return_if_fail (KC_IS_ATTACHMENTS_TAB (self));
  g_free (self->status);
  self->status = g_strdup (status);
  update_buttons (self);
}

void
kc_attachments_tab_refresh (KcAttachmentsTab *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) params = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "owner_type");
  json_builder_add_string_value (builder, self->owner_type);
  json_builder_set_member_name (builder, "owner_id");
  json_builder_add_int_value (builder, self->owner_id);
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  gtk_spinner_start (self->spinner);
  kc_session_attachment_list_async (self->session, params, self->cancellable, list_done_cb, self);
}
