/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-user-dialog.c — KcUserDialog: user.create, or user.update of an
 * account's name, role and unit; objections by field, the role's
 * organisation checked before sending (sql/0024 kc_role_fits_org).
 */
#include "kc-user-dialog.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-form.h"
#include "kc-org-directory.h"
#include "kc-window.h"

struct _KcUserDialog
{
  GtkDialog parent_instance;

  GtkLabel *general_error;
  GtkEntry *username_entry;
  GtkLabel *username_error;
  GtkEntry *full_name_entry;
  GtkLabel *full_name_error;
  GtkComboBoxText *role_combo;
  GtkLabel *role_error;
  GtkComboBox *org_combo;
  GtkLabel *org_error;
  GtkEntry *password_entry;
  GtkLabel *password_error;
  GtkCheckButton *must_change_check;
  GtkSpinner *spinner;
  GtkButton *create_button;

  KcSession *session;
  GCancellable *cancellable;
  gint64 edit_id; /* 0: a new account */
  gint64 edit_version;
};

G_DEFINE_TYPE (KcUserDialog, kc_user_dialog, GTK_TYPE_DIALOG)

/* Helpers */

static void
clear_errors (KcUserDialog *self)
{
  kc_form_set_label (self->general_error, NULL);
  kc_form_set_label (self->username_error, NULL);
  kc_form_set_label (self->full_name_error, NULL);
  kc_form_set_label (self->role_error, NULL);
  kc_form_set_label (self->org_error, NULL);
  kc_form_set_label (self->password_error, NULL);
}

/* Puts the objection to @field next to it, in Vietnamese where the rule is
 * known; FALSE if the form has no such field. */
static gboolean
show_field_error (KcUserDialog *self, const char *field, const char *rule, const char *message,
                  JsonObject *item)
{
  g_autofree char *text = NULL;
  GtkLabel *label = NULL;

  if (g_strcmp0 (field, "username") == 0)
    {
      label = self->username_error;
      text = g_strcmp0 (rule, "unique") == 0
                 ? g_strdup (_ ("This username is already taken."))
                 : g_strdup (_ ("A username has 2 to 63 characters: letters a-z, digits, "
                                "“.”, “_” or “-”."));
    }
  else if (g_strcmp0 (field, "full_name") == 0)
    {
      label = self->full_name_error;
      text = g_strdup (_ ("Enter the full name (1 to 200 characters)."));
    }
  else if (g_strcmp0 (field, "role") == 0)
    {
      label = self->role_error;
      text = g_strcmp0 (field, "role") == 0 && message != NULL && *message != '\0'
                     && g_str_has_prefix (message, "an administrator")
                 ? g_strdup (_ ("You cannot take the administrator role from yourself."))
                 : g_strdup (_ ("Choose a role."));
    }
  else if (g_strcmp0 (field, "org_id") == 0)
    {
      label = self->org_error;
      text = g_strcmp0 (rule, "exists") == 0 ? g_strdup (_ ("This organisation does not exist."))
             : g_strcmp0 (rule, "role_org") == 0 ? g_strdup (_ (
                   "This role does not belong in this organisation: province roles work in a "
                   "province's units, the Ministry's roles and the administrator in the Ministry."))
                                                 : g_strdup (_ ("Choose an organisation."));
    }
  else if (g_strcmp0 (field, "password") == 0)
    {
      label = self->password_error;
      /* The rule and its figures (password_min_length {min, length} …). */
      text = item != NULL ? kc_errors_describe_violation (item, FALSE)
                          : g_strdup (_ ("The password needs at least 12 characters, must not "
                                         "be a common password nor the username."));
    }
  if (label == NULL)
    return FALSE;
  kc_form_set_label (label, text);
  return TRUE;
}

/* -32602 data.fields and 1022 data.violations; TRUE if any was shown. */
static gboolean
show_field_errors (KcUserDialog *self, JsonNode *data)
{
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  const char *members[] = { "fields", "violations" };
  gboolean shown = FALSE;

  for (gsize m = 0; object != NULL && m < G_N_ELEMENTS (members); m++)
    {
      JsonArray *list;

      if (!json_object_has_member (object, members[m]))
        continue;
      list = json_object_get_array_member (object, members[m]);
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonObject *item = json_array_get_object_element (list, i);

          if (item != NULL
              && show_field_error (
                  self, json_object_get_string_member_with_default (item, "field", ""),
                  json_object_get_string_member_with_default (item, "rule", NULL),
                  json_object_get_string_member_with_default (item, "message", ""), item))
            shown = TRUE;
        }
    }
  return shown;
}

static void
set_busy (KcUserDialog *self, gboolean busy)
{
  kc_form_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), !busy);
}

/* The rule of sql/0024 (kc_role_fits_org), checked before sending: a
 * province role in a province's unit, the Ministry's roles and the
 * administrator outside every province; a viewer anywhere. TRUE when the
 * organisations are not known yet (the server checks again). */
static gboolean
role_fits_org (KcUserDialog *self, const char *role, gint64 org_id)
{
  KcOrgDirectory *orgs = kc_org_directory_get (self->session);
  gboolean in_province;

  if (!kc_org_directory_is_loaded (orgs) || role == NULL)
    return TRUE;
  in_province = kc_org_directory_province_id (orgs, org_id) != 0;
  if (g_str_equal (role, "province_officer") || g_str_equal (role, "province_leader"))
    return in_province;
  if (g_str_equal (role, "ministry_reviewer") || g_str_equal (role, "ministry_approver")
      || g_str_equal (role, "admin"))
    return !in_province;
  return TRUE;
}

static void
on_role_or_org_changed_cb (KcUserDialog *self)
{
  GtkTreeIter iter;
  gint64 org_id = 0;
  const char *role = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->role_combo));

  if (gtk_combo_box_get_active_iter (self->org_combo, &iter))
    gtk_tree_model_get (gtk_combo_box_get_model (self->org_combo), &iter, 0, &org_id, -1);
  /* As the choice is made, not after a refusal. */
  if (org_id != 0 && !role_fits_org (self, role, org_id))
    show_field_error (self, "org_id", "role_org", "", NULL);
  else
    kc_form_set_label (self->org_error, NULL);
}

/* Callbacks */

static void
create_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcUserDialog *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply != NULL)
    {
      gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
      return;
    }
  if ((g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS)
       || g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_RULE))
      && show_field_errors (self, data))
    return;
  {
    g_autofree char *text = kc_describe_error (error);
    kc_form_set_label (self->general_error, text);
  }
}

static void
on_create_button_clicked_cb (KcUserDialog *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) params = NULL;
  GtkTreeIter iter;
  gint64 org_id = 0;
  const char *role = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->role_combo));

  clear_errors (self);
  if (gtk_combo_box_get_active_iter (self->org_combo, &iter))
    gtk_tree_model_get (gtk_combo_box_get_model (self->org_combo), &iter, 0, &org_id, -1);
  if (org_id == 0)
    {
      show_field_error (self, "org_id", NULL, "", NULL);
      return;
    }
  if (!role_fits_org (self, role, org_id))
    {
      show_field_error (self, "org_id", "role_org", "", NULL);
      return;
    }
  if (self->edit_id != 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, self->edit_id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, self->edit_version);
      json_builder_set_member_name (builder, "full_name");
      json_builder_add_string_value (builder, gtk_entry_get_text (self->full_name_entry));
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, role != NULL ? role : "");
      json_builder_set_member_name (builder, "org_id");
      json_builder_add_int_value (builder, org_id);
      json_builder_end_object (builder);
      params = json_builder_get_root (builder);
      set_busy (self, TRUE);
      kc_session_user_update_async (self->session, params, self->cancellable, create_done_cb, self);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, gtk_entry_get_text (self->username_entry));
  json_builder_set_member_name (builder, "full_name");
  json_builder_add_string_value (builder, gtk_entry_get_text (self->full_name_entry));
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role != NULL ? role : "");
  json_builder_set_member_name (builder, "org_id");
  json_builder_add_int_value (builder, org_id);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, gtk_entry_get_text (self->password_entry));
  json_builder_set_member_name (builder, "must_change_password");
  json_builder_add_boolean_value (
      builder, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->must_change_check)));
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);

  set_busy (self, TRUE);
  kc_session_user_create_async (self->session, params, self->cancellable, create_done_cb, self);
}

static void
on_cancel_button_clicked_cb (KcUserDialog *self)
{
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_CANCEL);
}

/* GObject overrides */

static void
kc_user_dialog_dispose (GObject *object)
{
  KcUserDialog *self = KC_USER_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_user_dialog_parent_class)->dispose (object);
}

static void
kc_user_dialog_class_init (KcUserDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_user_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-user-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, general_error);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, username_entry);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, username_error);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, full_name_entry);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, full_name_error);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, role_combo);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, role_error);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, org_combo);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, org_error);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, password_error);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, must_change_check);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcUserDialog, create_button);
  gtk_widget_class_bind_template_callback (widget_class, on_create_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
}

static void
kc_user_dialog_init (KcUserDialog *self)
{
  GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_object_set (renderer, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", 40, NULL);
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (self->org_combo), renderer, TRUE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (self->org_combo), renderer, "text", 1);
  g_signal_connect_swapped (self->role_combo, "changed", G_CALLBACK (on_role_or_org_changed_cb),
                            self);
  g_signal_connect_swapped (self->org_combo, "changed", G_CALLBACK (on_role_or_org_changed_cb),
                            self);
}

/* Public API */

KcUserDialog *
kc_user_dialog_new (GtkWindow *parent, KcSession *session, GtkTreeModel *orgs)
{
  KcUserDialog *self = g_object_new (KC_TYPE_USER_DIALOG, "transient-for", parent, NULL);

  self->session = g_object_ref (session);
  gtk_combo_box_set_model (self->org_combo, orgs);
  gtk_widget_grab_default (GTK_WIDGET (self->create_button));
  /* For the client-side role/unit check. */
  kc_org_directory_get (session);
  return self;
}

/* Hides @widget and the label that names it. */
static void
hide_with_label (GtkWidget *widget)
{
  GtkWidget *grid = gtk_widget_get_parent (widget);
  g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (grid));

  for (GList *l = children; l != NULL; l = l->next)
    if (GTK_IS_LABEL (l->data) && gtk_label_get_mnemonic_widget (l->data) == widget)
      gtk_widget_hide (l->data);
  gtk_widget_hide (widget);
}

KcUserDialog *
kc_user_dialog_new_edit (GtkWindow *parent, KcSession *session, GtkTreeModel *orgs, gint64 id,
                         gint64 version, const char *username, const char *full_name,
                         const char *role, gint64 org_id)
{
  KcUserDialog *self = kc_user_dialog_new (parent, session, orgs);
  GtkTreeIter iter;

  self->edit_id = id;
  self->edit_version = version;
  gtk_window_set_title (GTK_WINDOW (self), _ ("Edit account"));
  gtk_entry_set_text (self->username_entry, username != NULL ? username : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->username_entry), FALSE);
  gtk_entry_set_text (self->full_name_entry, full_name != NULL ? full_name : "");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->role_combo), role);
  if (gtk_tree_model_get_iter_first (orgs, &iter))
    do
      {
        gint64 row_id;

        gtk_tree_model_get (orgs, &iter, 0, &row_id, -1);
        if (row_id == org_id)
          {
            gtk_combo_box_set_active_iter (self->org_combo, &iter);
            break;
          }
      }
    while (gtk_tree_model_iter_next (orgs, &iter));
  hide_with_label (GTK_WIDGET (self->password_entry));
  gtk_widget_hide (GTK_WIDGET (self->must_change_check));
  gtk_button_set_label (self->create_button, _ ("_Save"));
  return self;
}
