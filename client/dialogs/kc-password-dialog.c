/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-password-dialog.c — KcPasswordDialog: the forced change of password.
 */
#include "kc-password-dialog.h"

#include <glib/gi18n.h>

#include "kc-calls.h"
#include "kc-error.h"
#include "kc-form.h"
#include "kc-window.h"

#define MIN_LENGTH 12

struct _KcPasswordDialog
{
  GtkDialog parent_instance;

  GtkLabel *general_error;
  GtkEntry *old_entry;
  GtkLabel *old_error;
  GtkEntry *new_entry;
  GtkLabel *new_error;
  GtkEntry *repeat_entry;
  GtkLabel *repeat_error;
  GtkSpinner *spinner;
  GtkButton *change_button;

  KcSession *session;
  GCancellable *cancellable;
};

G_DEFINE_TYPE (KcPasswordDialog, kc_password_dialog, GTK_TYPE_DIALOG)

/* Helpers */

static void
clear_errors (KcPasswordDialog *self)
{
  kc_form_set_label (self->general_error, NULL);
  kc_form_set_label (self->old_error, NULL);
  kc_form_set_label (self->new_error, NULL);
  kc_form_set_label (self->repeat_error, NULL);
}

static void
set_busy (KcPasswordDialog *self, gboolean busy)
{
  kc_form_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->change_button), !busy);
}

/* -32602 data.fields: the server names old_password or new_password. */
static gboolean
show_field_errors (KcPasswordDialog *self, JsonNode *data)
{
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  JsonArray *fields = object != NULL && json_object_has_member (object, "fields")
                          ? json_object_get_array_member (object, "fields")
                          : NULL;
  gboolean shown = FALSE;

  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonObject *item = json_array_get_object_element (fields, i);
      const char *field = json_object_get_string_member_with_default (item, "field", "");
      const char *message = json_object_get_string_member_with_default (item, "message", "");
      g_autofree char *text = NULL;

      if (g_str_equal (field, "old_password"))
        {
          kc_form_set_label (self->old_error, _ ("This is not your current password."));
          shown = TRUE;
        }
      else if (g_str_equal (field, "new_password"))
        {
          text = g_strdup_printf (_ ("The new password needs at least 12 characters, must not be "
                                     "a common password nor the username (server: %s)."),
                                  message);
          kc_form_set_label (self->new_error, text);
          shown = TRUE;
        }
    }
  return shown;
}

/* Callbacks */

static void
change_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcPasswordDialog *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply != NULL)
    {
      kc_session_password_changed (self->session);
      gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
      return;
    }
  if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_INVALID_PARAMS)
      && show_field_errors (self, data))
    return;
  {
    g_autofree char *text = kc_describe_error (error);
    kc_form_set_label (self->general_error, text);
  }
}

static void
on_change_button_clicked_cb (KcPasswordDialog *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) params = NULL;
  const char *old_password = gtk_entry_get_text (self->old_entry);
  const char *new_password = gtk_entry_get_text (self->new_entry);

  clear_errors (self);
  /* What can be checked here is, so the person learns it without a round trip. */
  if (old_password[0] == '\0')
    {
      kc_form_set_label (self->old_error, _ ("Enter your current password."));
      return;
    }
  if (g_utf8_strlen (new_password, -1) < MIN_LENGTH)
    {
      kc_form_set_label (self->new_error, _ ("The new password needs at least 12 characters."));
      return;
    }
  if (g_strcmp0 (new_password, gtk_entry_get_text (self->repeat_entry)) != 0)
    {
      kc_form_set_label (self->repeat_error, _ ("The two new passwords differ."));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "old_password");
  json_builder_add_string_value (builder, old_password);
  json_builder_set_member_name (builder, "new_password");
  json_builder_add_string_value (builder, new_password);
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  set_busy (self, TRUE);
  kc_session_auth_change_password_async (self->session, params, self->cancellable, change_done_cb,
                                         self);
}

static void
on_cancel_button_clicked_cb (KcPasswordDialog *self)
{
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_CANCEL);
}

/* GObject overrides */

static void
kc_password_dialog_dispose (GObject *object)
{
  KcPasswordDialog *self = KC_PASSWORD_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (kc_password_dialog_parent_class)->dispose (object);
}

static void
kc_password_dialog_class_init (KcPasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_password_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-password-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KcPasswordDialog, general_error);
  gtk_widget_class_bind_template_child (widget_class, KcPasswordDialog, old_entry);
  gtk_widget_class_bind_template_child (widget_class, KcPasswordDialog, old_error);
  gtk_widget_class_bind_template_child (widget_class, KcPasswordDialog, new_entry);
  gtk_widget_class_bind_template_child (widget_class, KcPasswordDialog, new_error);
  gtk_widget_class_bind_template_child (widget_class, KcPasswordDialog, repeat_entry);
  gtk_widget_class_bind_template_child (widget_class, KcPasswordDialog, repeat_error);
  gtk_widget_class_bind_template_child (widget_class, KcPasswordDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcPasswordDialog, change_button);
  gtk_widget_class_bind_template_callback (widget_class, on_change_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
}

static void
kc_password_dialog_init (KcPasswordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* Public API */

KcPasswordDialog *
kc_password_dialog_new (GtkApplication *app, KcSession *session)
{
  KcPasswordDialog *self = g_object_new (KC_TYPE_PASSWORD_DIALOG, "application", app, NULL);

  self->session = g_object_ref (session);
  gtk_widget_grab_default (GTK_WIDGET (self->change_button));
  return self;
}
