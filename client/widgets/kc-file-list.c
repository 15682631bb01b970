/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-file-list.c — KcFileList (see its header).
 */
#include "kc-file-list.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-errors.h"
#include "kc-form.h"
#include "kc-transfer.h"

struct _KcFileList
{
  GtkBox parent_instance;

  gboolean stored;
  KcSession *session;       /* stored: for attachment.get */
  GtkWidget *attach_button; /* shown for the chosen files only */
  GtkListBox *list;
  GtkLabel *message;
  GPtrArray *files; /* chosen: GFile, in the order of the rows */
  GCancellable *cancellable;
};

G_DEFINE_TYPE (KcFileList, kc_file_list, GTK_TYPE_BOX)

static void
say (KcFileList *self, const char *text, gboolean error)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self->message));

  gtk_label_set_text (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL && text[0] != '\0');
  if (error)
    gtk_style_context_add_class (style, "kc-field-error");
  else
    gtk_style_context_remove_class (style, "kc-field-error");
}

static GtkWidget *
new_button (const char *label, const char *accessible)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  atk_object_set_name (gtk_widget_get_accessible (button), accessible);
  return button;
}

/* A row: the name (and what it is), then the buttons. */
static GtkWidget *
new_row (KcFileList *self, const char *name, const char *detail)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *size = gtk_label_new (detail);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_width_chars (GTK_LABEL (label), 24);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (size), "dim-label");
  gtk_container_add (GTK_CONTAINER (box), label);
  gtk_container_add (GTK_CONTAINER (box), size);
  gtk_container_add (GTK_CONTAINER (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_insert (self->list, row, -1);
  return box;
}

guint
kc_file_list_count (KcFileList *self)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->list));

  return g_list_length (rows);
}

/* Chosen files */

static void
on_remove_clicked_cb (GtkButton *button, gpointer user_data)
{
  KcFileList *self = user_data;
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  if (index >= 0 && (guint)index < self->files->len)
    g_ptr_array_remove_index (self->files, (guint)index);
  gtk_widget_destroy (row);
  say (self, NULL, FALSE);
}

static void
add_chosen (KcFileList *self, GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                  G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autofree char *size = g_format_size (info != NULL ? g_file_info_get_size (info) : 0);
  /* TRANSLATORS: the accessible name of the button that takes a chosen file out */
  g_autofree char *accessible = g_strdup_printf (_ ("Remove %s"), name);
  GtkWidget *box;
  GtkWidget *remove;

  for (guint i = 0; i < self->files->len; i++)
    if (g_file_equal (self->files->pdata[i], file))
      return;
  box = new_row (self, name, size);
  remove = new_button (_ ("_Remove"), accessible);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
  gtk_container_add (GTK_CONTAINER (box), remove);
  gtk_widget_show_all (gtk_widget_get_parent (box));
  g_ptr_array_add (self->files, g_object_ref (file));
}

static void
chosen_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  KcFileList *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GSList) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (GSList *l = files; l != NULL; l = l->next)
        add_chosen (self, l->data);
      g_slist_free_full (g_steal_pointer (&files), g_object_unref);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_attach_clicked_cb (KcFileList *self)
{
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Attach a file"), kc_form_toplevel (GTK_WIDGET (self)),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Attach"), _ ("_Cancel"));
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    dir = g_get_home_dir ();
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  /* over a modal dialog: modal itself, or it would get no input */
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

KcFileList *
kc_file_list_new_chosen (void)
{
  KcFileList *self = g_object_new (KC_TYPE_FILE_LIST, NULL);

  gtk_widget_show (self->attach_button);
  return self;
}

/* Upload: the chosen files one after the other (kc-transfer) */

typedef struct
{
  KcFileList *self;
  KcSession *session;
  char *owner_type;
  gint64 owner_id;
  guint index;     /* the file being sent */
  GString *failed; /* "a.pdf (why); b.txt (why)" */
} Upload;

static void
upload_free (gpointer p)
{
  Upload *u = p;

  g_clear_object (&u->session);
  g_free (u->owner_type);
  g_string_free (u->failed, TRUE);
  g_free (u);
}

static void upload_next (GTask *task);

static void
uploaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Upload *u = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonObject) attachment = kc_transfer_upload_finish (result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (attachment == NULL)
    {
      g_autofree char *name = g_file_get_basename (u->self->files->pdata[u->index]);
      g_autofree char *why = kc_errors_describe (error, data);

      g_string_append_printf (u->failed, "%s%s (%s)", u->failed->len > 0 ? "; " : "", name, why);
    }
  u->index++;
  upload_next (task);
}

static void
upload_next (GTask *task)
{
  Upload *u = g_task_get_task_data (task);
  KcFileList *self = u->self;

  if (u->index >= self->files->len)
    {
      say (self, NULL, FALSE);
      g_task_return_pointer (task, u->failed->len > 0 ? g_strdup (u->failed->str) : NULL, g_free);
      g_object_unref (task);
      return;
    }
  {
    g_autofree char *name = g_file_get_basename (self->files->pdata[u->index]);
    /* TRANSLATORS: e.g. "Sending file 1 of 3: bien-ban.pdf…" */
    g_autofree char *text
        = g_strdup_printf (_ ("Sending file %u of %u: %s…"), u->index + 1, self->files->len, name);

    say (self, text, FALSE);
  }
  kc_transfer_upload_async (u->session, u->owner_type, u->owner_id, self->files->pdata[u->index],
                            NULL, NULL, g_task_get_cancellable (task), uploaded_cb, task);
}

void
kc_file_list_upload_async (KcFileList *self, KcSession *session, const char *owner_type,
                           gint64 owner_id, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Upload *u = g_new0 (Upload, 1);

  u->self = self;
  u->session = g_object_ref (session);
  u->owner_type = g_strdup (owner_type);
  u->owner_id = owner_id;
  u->failed = g_string_new (NULL);
  g_task_set_task_data (task, u, upload_free);
  upload_next (task);
}

char *
kc_file_list_upload_finish (KcFileList *self, GAsyncResult *result)
{
  g_autoptr (GError) error = NULL;
  char *failed = g_task_propagate_pointer (G_TASK (result), &error);

  if (error != NULL)
    return g_strdup (error->message);
  return failed;
}

/* Stored files: open or save */

typedef struct
{
  KcFileList *self;
  JsonObject *attachment; /* id, file_name, size, sha256 */
  char *name;
  GFile *target; /* where it is written */
  gboolean open; /* opened once written */
} Download;

static void
download_free (Download *d)
{
  g_object_unref (d->self);
  json_object_unref (d->attachment);
  g_free (d->name);
  g_clear_object (&d->target);
  g_free (d);
}

static void
open_written (Download *d)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (d->target);

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    {
      g_autofree char *why
          = g_strdup_printf (_ ("%s cannot be opened here: %s"), d->name, error->message);
      say (d->self, why, TRUE);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_ ("%s opened."), d->name);
      say (d->self, text, FALSE);
    }
}

static void
downloaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Download *d = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;

  if (!kc_transfer_download_finish (result, &data, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *why = kc_errors_describe (error, data);
          say (d->self, why, TRUE);
        }
    }
  else if (d->open)
    open_written (d);
  else
    {
      g_autofree char *text = g_strdup_printf (_ ("%s saved."), d->name);

      say (d->self, text, FALSE);
    }
  download_free (d);
}

static void
start_download (Download *d)
{
  g_autofree char *text = g_strdup_printf (_ ("Downloading %s…"), d->name);

  say (d->self, text, FALSE);
  kc_transfer_download_async (d->self->session, d->attachment, d->target, NULL, NULL,
                              d->self->cancellable, downloaded_cb, d);
}

/* A stored file, as its row's two buttons know it (shared by both). */
typedef struct
{
  KcFileList *self;       /* borrowed: the buttons are inside it */
  JsonObject *attachment; /* id, file_name, size, sha256 */
  char *name;
} StoredFile;

static void
stored_file_clear (gpointer data)
{
  StoredFile *file = data;

  json_object_unref (file->attachment);
  g_free (file->name);
}

static void
stored_file_release (gpointer data, GClosure *closure)
{
  g_atomic_rc_box_release_full (data, stored_file_clear);
}

static Download *
download_new (const StoredFile *file)
{
  Download *d = g_new0 (Download, 1);

  d->self = g_object_ref (file->self);
  d->attachment = json_object_ref (file->attachment);
  d->name = g_strdup (file->name);
  return d;
}

static void
save_chosen_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  Download *d = user_data;

  if (response == GTK_RESPONSE_ACCEPT && d->self->session != NULL)
    {
      d->target = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      start_download (d);
    }
  else
    download_free (d);
  g_object_unref (dialog);
}

static void
on_save_clicked_cb (GtkButton *button, gpointer user_data)
{
  const StoredFile *file = user_data;
  KcFileList *self = file->self;
  Download *d = download_new (file);
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Save the file"), kc_form_toplevel (GTK_WIDGET (self)),
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (dir != NULL && g_file_test (dir, G_FILE_TEST_IS_DIR))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), d->name);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (save_chosen_cb), d);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_open_clicked_cb (GtkButton *button, gpointer user_data)
{
  const StoredFile *file = user_data;
  KcFileList *self = file->self;
  Download *d = download_new (file);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kc-client-XXXXXX", &error);
  g_autofree char *path = NULL;

  if (dir == NULL)
    {
      say (self, error->message, TRUE);
      download_free (d);
      return;
    }
  path = g_build_filename (dir, d->name, NULL);
  d->target = g_file_new_for_path (path);
  d->open = TRUE;
  start_download (d);
}

KcFileList *
kc_file_list_new_stored (KcSession *session)
{
  KcFileList *self = g_object_new (KC_TYPE_FILE_LIST, NULL);

  self->stored = TRUE;
  self->session = g_object_ref (session);
  return self;
}

void
kc_file_list_add_stored (KcFileList *self, JsonObject *attachment, const char *prefix)
{
  const char *name = json_object_get_string_member_with_default (attachment, "file_name", "");
  g_autofree char *shown
      = prefix != NULL ? g_strdup_printf ("%s — %s", prefix, name) : g_strdup (name);
  g_autofree char *size
      = g_format_size ((guint64)json_object_get_int_member_with_default (attachment, "size", 0));
  /* TRANSLATORS: accessible names of a stored file's buttons */
  g_autofree char *open_name = g_strdup_printf (_ ("Open %s"), name);
  g_autofree char *save_name = g_strdup_printf (_ ("Save %s"), name);
  GtkWidget *box = new_row (self, shown, size);
  GtkWidget *open = new_button (_ ("_Open"), open_name);
  GtkWidget *save = new_button (_ ("Sa_ve…"), save_name);
  StoredFile *file = g_atomic_rc_box_new0 (StoredFile);

  file->self = self;
  file->attachment = json_object_ref (attachment);
  file->name = g_strdup (name);
  gtk_container_add (GTK_CONTAINER (box), open);
  gtk_container_add (GTK_CONTAINER (box), save);
  g_signal_connect_data (open, "clicked", G_CALLBACK (on_open_clicked_cb),
                         g_atomic_rc_box_acquire (file), stored_file_release, 0);
  g_signal_connect_data (save, "clicked", G_CALLBACK (on_save_clicked_cb), file,
                         stored_file_release, 0);
  gtk_widget_show_all (gtk_widget_get_parent (box));
}

/* GObject */

static void
kc_file_list_dispose (GObject *object)
{
  KcFileList *self = KC_FILE_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_file_list_parent_class)->dispose (object);
}

static void
kc_file_list_finalize (GObject *object)
{
  KcFileList *self = KC_FILE_LIST (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->files);
  G_OBJECT_CLASS (kc_file_list_parent_class)->finalize (object);
}

static void
kc_file_list_class_init (KcFileListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kc_file_list_dispose;
  object_class->finalize = kc_file_list_finalize;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/vn/gov/moit/KhuyenCong/ui/kc-file-list.ui");
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcFileList, attach_button);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcFileList, list);
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcFileList, message);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_attach_clicked_cb);
}

static void
kc_file_list_init (KcFileList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}
