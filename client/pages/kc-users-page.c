/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-users-page.c — KcUsersPage: accounts for the administrator.
 */
#include "kc-users-page.h"

#include "kc-lazy.h"
#include <glib/gi18n.h>

#include "kc-account.h"
#include "kc-calls.h"
#include "kc-collate.h"
#include "kc-record-list.h"
#include "kc-table-page.h"
#include "kc-user-dialog.h"
#include "kc-window.h"

#define PAGE_SIZE 500

enum
{
  COL_ID,
  COL_VERSION,
  COL_USERNAME,
  COL_FULL_NAME,
  COL_ROLE,
  COL_ORG,
  COL_STATUS,
  COL_KEY,
  COL_ROLE_CODE,
  COL_ORG_ID,
  N_COLUMNS
};

enum
{
  ORG_COL_ID,
  ORG_COL_NAME,
  ORG_COL_KEY,
  ORG_N_COLUMNS
};

struct _KcUsersPage
{
  GtkBox parent_instance;

  GtkButton *create_button;
  GtkWidget *edit_button;
  GtkButton *disable_button;
  GtkButton *reset_button;
  GtkCheckButton *disabled_check;
  GtkSearchEntry *search_entry;
  GtkSpinner *spinner;
  GtkLabel *count_label;
  GtkTreeView *tree_view;

  KcSession *session;
  /* The accounts read (KcAccount), in the server's order; the view shows
   * them through @list, sorted by full name. */
  GListStore *accounts;
  KcRecordList *list;
  GtkListStore *orgs;    /* current organisations, for the account form */
  GHashTable *org_names; /* id (gint64*) → name */
  GCancellable *cancellable;
};

G_DEFINE_TYPE (KcUsersPage, kc_users_page, GTK_TYPE_BOX)

static void fetch_users (KcUsersPage *self, const char *cursor);
static void fetch_orgs (KcUsersPage *self, const char *cursor);

/* Helpers */

static int
compare_keys (GtkTreeModel *model, GtkTreeIter *a, GtkTreeIter *b, gpointer user_data)
{
  int column = GPOINTER_TO_INT (user_data);
  g_autofree char *ka = NULL;
  g_autofree char *kb = NULL;

  gtk_tree_model_get (model, a, column, &ka, -1);
  gtk_tree_model_get (model, b, column, &kb, -1);
  return g_strcmp0 (ka, kb);
}

/* The accounts' order: by their full names' sort keys. */
static int
compare_name_keys (GtkTreeModel *model, GtkTreeIter *a, GtkTreeIter *b, gpointer user_data)
{
  return g_strcmp0 (kc_account_get_full_name_key (kc_record_list_get_record (model, a)),
                    kc_account_get_full_name_key (kc_record_list_get_record (model, b)));
}

/* The columns, read from each account when the view asks. */

static void
get_id (gpointer account, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_account_get_id (account));
}

static void
get_version (gpointer account, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_account_get_version (account));
}

static void
get_username (gpointer account, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_account_get_username (account));
}

static void
get_full_name (gpointer account, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_account_get_full_name (account));
}

static void
get_role (gpointer account, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_role_display_name (kc_account_get_role (account)));
}

/* The organisation's name from org.list (the page's), else its number. */
static void
get_org (gpointer account, GValue *value, gpointer page)
{
  KcUsersPage *self = page;
  gint64 org_id = kc_account_get_org_id (account);
  const char *org = g_hash_table_lookup (self->org_names, &org_id);

  if (org != NULL)
    g_value_set_string (value, org);
  else
    g_value_take_string (value, g_strdup_printf ("#%" G_GINT64_FORMAT, org_id));
}

static void
get_status (gpointer account, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_account_get_disabled (account) ? _ ("Disabled")
                             : kc_account_get_must_change_password (account)
                                 ? _ ("Must change password")
                                 : _ ("Active"));
}

static void
get_key (gpointer account, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_account_get_full_name_key (account));
}

static void
get_role_code (gpointer account, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_account_get_role (account));
}

static void
get_org_id (gpointer account, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_account_get_org_id (account));
}

static const KcRecordColumn columns[N_COLUMNS] = {
  [COL_ID] = { G_TYPE_INT64, get_id },
  [COL_VERSION] = { G_TYPE_INT64, get_version },
  [COL_USERNAME] = { G_TYPE_STRING, get_username },
  [COL_FULL_NAME] = { G_TYPE_STRING, get_full_name },
  [COL_ROLE] = { G_TYPE_STRING, get_role },
  [COL_ORG] = { G_TYPE_STRING, get_org },
  [COL_STATUS] = { G_TYPE_STRING, get_status },
  [COL_KEY] = { G_TYPE_STRING, get_key },
  [COL_ROLE_CODE] = { G_TYPE_STRING, get_role_code },
  [COL_ORG_ID] = { G_TYPE_INT64, get_org_id },
};

static void
add_column (KcUsersPage *self, const char *title, int column, gboolean expand)
{
  GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
  GtkTreeViewColumn *col
      = gtk_tree_view_column_new_with_attributes (title, renderer, "text", column, NULL);

  gtk_tree_view_column_set_resizable (col, TRUE);
  gtk_tree_view_column_set_expand (col, expand);
  gtk_tree_view_append_column (self->tree_view, col);
  if (expand)
    kc_table_wrap_column (self->tree_view, col, 120);
}

static void
show_error (KcUsersPage *self, const GError *error, JsonNode *data)
{
  gtk_spinner_stop (self->spinner);
  kc_window_show_error_for (GTK_WIDGET (self), error, data);
}

static gboolean
get_selected (KcUsersPage *self, gint64 *id, gint64 *version, char **username)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->tree_view);
  GtkTreeModel *model;
  GtkTreeIter iter;
  KcAccount *account;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return FALSE;
  account = kc_record_list_get_record (model, &iter);
  *id = kc_account_get_id (account);
  *version = kc_account_get_version (account);
  *username = g_strdup (kc_account_get_username (account));
  return TRUE;
}

static JsonNode *
id_version_params (gint64 id, gint64 version)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
confirm (KcUsersPage *self, const char *primary, const char *secondary, const char *action)
{
  GtkWidget *dialog = gtk_message_dialog_new (
      GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), GTK_DIALOG_MODAL,
      GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", primary);
  int response;

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _ ("_Cancel"), GTK_RESPONSE_CANCEL, action,
                          GTK_RESPONSE_ACCEPT, NULL);
  response = gtk_dialog_run (GTK_DIALOG (dialog));
  gtk_widget_destroy (dialog);
  return response == GTK_RESPONSE_ACCEPT;
}

/* Callbacks */

static void
users_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcUsersPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  JsonArray *items;
  const char *next;
  int n;
  g_autofree char *count = NULL;
  g_autoptr (GPtrArray) page = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_error (self, error, data);
      return;
    }
  object = json_node_get_object (reply);
  items = json_object_get_array_member (object, "items");
  page = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    g_ptr_array_add (page, kc_account_new_from_json (json_array_get_object_element (items, i)));
  g_list_store_splice (self->accounts, g_list_model_get_n_items (G_LIST_MODEL (self->accounts)), 0,
                       page->pdata, page->len);
  n = (int)g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d account", "%d accounts", n), n);
  gtk_label_set_text (self->count_label, count);
  next = json_object_get_string_member_with_default (object, "next_cursor", NULL);
  if (next != NULL)
    fetch_users (self, next);
  else
    gtk_spinner_stop (self->spinner);
}

static void
fetch_users (KcUsersPage *self, const char *cursor)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) params = NULL;
  const char *query = gtk_entry_get_text (GTK_ENTRY (self->search_entry));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, PAGE_SIZE);
  json_builder_set_member_name (builder, "include_disabled");
  json_builder_add_boolean_value (
      builder, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->disabled_check)));
  if (query[0] != '\0')
    {
      json_builder_set_member_name (builder, "query");
      json_builder_add_string_value (builder, query);
    }
  if (cursor != NULL)
    {
      json_builder_set_member_name (builder, "cursor");
      json_builder_add_string_value (builder, cursor);
    }
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  kc_session_user_list_async (self->session, params, self->cancellable, users_done_cb, self);
}

static void
orgs_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcUsersPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  JsonArray *items;
  const char *next;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_error (self, error, data);
      return;
    }
  object = json_node_get_object (reply);
  items = json_object_get_array_member (object, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *org = json_array_get_object_element (items, i);
      gint64 id = json_object_get_int_member_with_default (org, "id", 0);
      const char *name = json_object_get_string_member_with_default (org, "name", "");

      g_hash_table_insert (self->org_names, g_memdup2 (&id, sizeof id), g_strdup (name));
      if (json_object_get_string_member_with_default (org, "valid_to", NULL) == NULL)
        {
          g_autofree char *key = kc_collate_key (name);

          gtk_list_store_insert_with_values (self->orgs, NULL, -1, ORG_COL_ID, id, ORG_COL_NAME,
                                             name, ORG_COL_KEY, key, -1);
        }
    }
  next = json_object_get_string_member_with_default (object, "next_cursor", NULL);
  if (next != NULL)
    fetch_orgs (self, next);
  else
    fetch_users (self, NULL);
}

static void
fetch_orgs (KcUsersPage *self, const char *cursor)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) params = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, PAGE_SIZE);
  if (cursor != NULL)
    {
      json_builder_set_member_name (builder, "cursor");
      json_builder_add_string_value (builder, cursor);
    }
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  kc_session_org_list_async (self->session, params, self->cancellable, orgs_done_cb, self);
}

static void
on_filter_changed_cb (KcUsersPage *self)
{
  kc_users_page_refresh (self);
}

static void
on_selection_changed_cb (KcUsersPage *self)
{
  gint64 id = 0, version = 0;
  g_autofree char *username = NULL;
  gboolean selected = get_selected (self, &id, &version, &username);

  gtk_widget_set_sensitive (GTK_WIDGET (self->disable_button),
                            selected && id != kc_session_get_user_id (self->session));
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button), selected);
  /* Also called while the template is built, before the buttons are bound. */
  if (self->edit_button != NULL)
    gtk_widget_set_sensitive (self->edit_button, selected);
}

/* The selected account's role and unit (and name), in the same dialog. */
static void on_user_dialog_response_cb (GtkDialog *dialog, int response, gpointer user_data);

static void
on_edit_button_clicked_cb (KcUsersPage *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->tree_view);
  GtkTreeModel *model;
  GtkTreeIter iter;
  KcAccount *account;
  KcUserDialog *dialog;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return;
  account = kc_record_list_get_record (model, &iter);
  dialog = kc_user_dialog_new_edit (
      GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), self->session,
      GTK_TREE_MODEL (self->orgs), kc_account_get_id (account), kc_account_get_version (account),
      kc_account_get_username (account), kc_account_get_full_name (account),
      kc_account_get_role (account), kc_account_get_org_id (account));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_user_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_user_dialog_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  KcUsersPage *self = user_data;

  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response == GTK_RESPONSE_OK)
    kc_users_page_refresh (self);
}

static void
on_create_button_clicked_cb (KcUsersPage *self)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self)));
  KcUserDialog *dialog = kc_user_dialog_new (parent, self->session, GTK_TREE_MODEL (self->orgs));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_user_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
disable_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcUsersPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    show_error (self, error, data);
  kc_users_page_refresh (self);
}

static void
on_disable_button_clicked_cb (KcUsersPage *self)
{
  gint64 id, version;
  g_autofree char *username = NULL;
  g_autofree char *primary = NULL;
  g_autoptr (JsonNode) params = NULL;

  if (!get_selected (self, &id, &version, &username))
    return;
  primary = g_strdup_printf (_ ("Disable the account “%s”?"), username);
  if (!confirm (self, primary,
                _ ("The person can no longer log in, and their open sessions end at once."),
                _ ("_Disable")))
    return;
  params = id_version_params (id, version);
  gtk_spinner_start (self->spinner);
  kc_session_user_disable_async (self->session, params, self->cancellable, disable_done_cb, self);
}

static void
reset_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcUsersPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  const char *password;
  GtkWidget *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        show_error (self, error, data);
      return;
    }
  object = json_node_get_object (reply);
  password = json_object_get_string_member_with_default (object, "password", NULL);
  kc_users_page_refresh (self);
  if (password == NULL)
    return;
  /* Shown this once: the server keeps only a hash. */
  dialog
      = gtk_message_dialog_new (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_INFO,
                                GTK_BUTTONS_CLOSE, "%s", _ ("The new password is:"));
  gtk_message_dialog_format_secondary_markup (
      GTK_MESSAGE_DIALOG (dialog), "<span size='x-large' font_family='monospace'>%s</span>\n\n%s",
      password,
      _ ("Give it to the person by a safe channel. It is shown only this once; they must choose "
         "their own password when they next log in."));
  {
    GtkWidget *area = gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog));
    g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (area));

    for (GList *l = children; l != NULL; l = l->next)
      if (GTK_IS_LABEL (l->data))
        gtk_label_set_selectable (GTK_LABEL (l->data), TRUE);
  }
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_reset_button_clicked_cb (KcUsersPage *self)
{
  gint64 id, version;
  g_autofree char *username = NULL;
  g_autofree char *primary = NULL;
  g_autoptr (JsonNode) params = NULL;

  if (!get_selected (self, &id, &version, &username))
    return;
  primary = g_strdup_printf (_ ("Reset the password of “%s”?"), username);
  if (!confirm (self, primary,
                _ ("The server generates a new password, shown to you once. The person's open "
                   "sessions end at once."),
                _ ("_Reset password")))
    return;
  params = id_version_params (id, version);
  gtk_spinner_start (self->spinner);
  kc_session_user_reset_password_async (self->session, params, self->cancellable, reset_done_cb,
                                        self);
}

/* GObject overrides */

static void
kc_users_page_dispose (GObject *object)
{
  KcUsersPage *self = KC_USERS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The view first: @list's getters read @org_names. */
  if (self->list != NULL && self->tree_view != NULL)
    gtk_tree_view_set_model (self->tree_view, NULL);
  g_clear_object (&self->list);
  g_clear_object (&self->accounts);
  g_clear_object (&self->orgs);
  g_clear_pointer (&self->org_names, g_hash_table_unref);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_users_page_parent_class)->dispose (object);
}

static void
kc_users_page_class_init (KcUsersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_users_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-users-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KcUsersPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, KcUsersPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, KcUsersPage, disable_button);
  gtk_widget_class_bind_template_child (widget_class, KcUsersPage, reset_button);
  gtk_widget_class_bind_template_child (widget_class, KcUsersPage, disabled_check);
  gtk_widget_class_bind_template_child (widget_class, KcUsersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KcUsersPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcUsersPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, KcUsersPage, tree_view);
  gtk_widget_class_bind_template_callback (widget_class, on_create_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_disable_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed_cb);
}

static void
kc_users_page_init (KcUsersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->accounts = g_list_store_new (KC_TYPE_ACCOUNT);
  self->list = kc_record_list_new (G_LIST_MODEL (self->accounts), columns, N_COLUMNS, self);
  gtk_tree_sortable_set_sort_func (GTK_TREE_SORTABLE (self->list), COL_KEY, compare_name_keys, NULL,
                                   NULL);
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (self->list), COL_KEY,
                                        GTK_SORT_ASCENDING);
  gtk_tree_view_set_model (self->tree_view, GTK_TREE_MODEL (self->list));
  self->orgs = gtk_list_store_new (ORG_N_COLUMNS, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  gtk_tree_sortable_set_sort_func (GTK_TREE_SORTABLE (self->orgs), ORG_COL_KEY, compare_keys,
                                   GINT_TO_POINTER (ORG_COL_KEY), NULL);
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (self->orgs), ORG_COL_KEY,
                                        GTK_SORT_ASCENDING);
  self->org_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  add_column (self, _ ("Username"), COL_USERNAME, FALSE);
  add_column (self, _ ("Full name"), COL_FULL_NAME, TRUE);
  add_column (self, _ ("Role"), COL_ROLE, FALSE);
  add_column (self, _ ("Organisation"), COL_ORG, TRUE);
  add_column (self, _ ("Status"), COL_STATUS, FALSE);
}

/* Public API */

KcUsersPage *
kc_users_page_new (KcSession *session)
{
  KcUsersPage *self = g_object_new (KC_TYPE_USERS_PAGE, NULL);

  self->session = g_object_ref (session);
  /* The first reading when first shown (issue 17, point 7). */
  kc_lazy_init (GTK_WIDGET (self), G_CALLBACK (kc_users_page_refresh));
  return self;
}

void
kc_users_page_refresh (KcUsersPage *self)
{
  g_return_if_fail (KC_IS_USERS_PAGE (self));
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_list_store_remove_all (self->accounts);
  gtk_spinner_start (self->spinner);
  if (g_hash_table_size (self->org_names) == 0)
    fetch_orgs (self, NULL);
  else
    fetch_users (self, NULL);
}
