/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-totp-dialog.c — KcTotpDialog: auth.totp_begin, auth.totp_confirm,
 * auth.totp_disable (docs/totp.md).
 *
 * The QR code is libqrencode's module matrix drawn with cairo: any
 * authenticator app (FreeOTP, Google Authenticator, Aegis, …) reads the
 * otpauth:// URI from it. The secret is also shown as text for typing in.
 * Its three pages (enrol, codes, enabled) are kc-totp-dialog.ui.
 *
 * Enrolling from a login older than five minutes (a resumed session) needs
 * the password again (issue 13): the server answers auth.totp_begin with
 * -32602 on field "password", and the enrol page then asks for it.
 */
#include "kc-totp-dialog.h"

#include <glib/gi18n.h>
#include <qrencode.h>
#include <string.h>

#include "kc-calls.h"
#include "kc-error.h"
#include "kc-errors.h"
#include "kc-window.h"

#define QUIET_ZONE 4 /* modules of white around the code (ISO/IEC 18004) */

struct _KcTotpDialog
{
  GtkDialog parent_instance;

  KcSession *session;
  GCancellable *cancellable;
  gboolean required;
  gboolean enrolled;

  GtkStack *stack;
  GtkLabel *message;
  GtkSpinner *spinner;

  /* page "enrol" */
  GtkLabel *enrol_intro;
  GtkWidget *password_row; /* shown when the server wants the password again */
  GtkEntry *begin_password_entry;
  GtkButton *begin_button;
  GtkDrawingArea *qr_area;
  GtkLabel *secret_label;
  GtkEntry *code_entry;
  GtkButton *confirm_button;
  QRcode *qr;

  /* page "codes" */
  GtkLabel *codes_label;

  /* page "enabled" */
  GtkEntry *password_entry;
  GtkEntry *disable_code_entry;
  GtkButton *disable_button;
};

G_DEFINE_TYPE (KcTotpDialog, kc_totp_dialog, GTK_TYPE_DIALOG)

/* Helpers */

static void
show_message (KcTotpDialog *self, const char *text)
{
  gtk_label_set_text (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL && text[0] != '\0');
}

static void
set_busy (KcTotpDialog *self, gboolean busy)
{
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->disable_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->begin_button), !busy);
}

/* TRUE when -32602 @data names the field @name. */
static gboolean
names_field (JsonNode *data, const char *name)
{
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  JsonArray *fields = object != NULL && json_object_has_member (object, "fields")
                          ? json_object_get_array_member (object, "fields")
                          : NULL;

  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonNode *item = json_array_get_element (fields, i);

      if (JSON_NODE_HOLDS_OBJECT (item)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (item),
                                                                    "field", ""),
                        name)
                 == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
describe_error (const GError *error, JsonNode *data)
{
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;

  if (error->domain == KC_PROTOCOL_ERROR)
    switch (error->code)
      {
        case KC_ERROR_INVALID_PARAMS:
          return g_strdup (_ ("That is not the code your authenticator app shows now. Check "
                              "that the phone's clock is right and try the next code."));
        case KC_ERROR_SECOND_FACTOR:
          return g_strdup (_ ("The code is not valid, or was already used."));
        case KC_ERROR_TOO_MANY:
          return g_strdup (_ ("Too many failed attempts. Try again later."));
        case KC_ERROR_BAD_STATUS:
          if (object != NULL
              && g_strcmp0 (json_object_get_string_member_with_default (object, "status", ""),
                            "not_configured")
                     == 0)
            return g_strdup (_ ("Two-factor login is not set up on this server. Please contact "
                                "your administrator."));
          break;
        case KC_ERROR_FORBIDDEN:
          return g_strdup (_ ("Your role requires two-factor login; it cannot be turned off. "
                              "An administrator can reset it if you lose your phone."));
        default:
          break;
      }
  return kc_errors_describe (error, data);
}

static JsonNode *
params_node (const char *first_name, ...)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_alloc ();
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    json_object_set_string_member (object, name, va_arg (args, const char *));
  va_end (args);
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

/* Callbacks */

static gboolean
on_qr_draw_cb (GtkWidget *widget, cairo_t *cr, gpointer user_data)
{
  KcTotpDialog *self = user_data;
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  int modules;
  int size;
  int x0;
  int y0;

  if (self->qr == NULL)
    return FALSE;
  modules = self->qr->width + 2 * QUIET_ZONE;
  size = MAX (1, MIN (width, height) / modules);
  x0 = (width - size * modules) / 2;
  y0 = (height - size * modules) / 2;
  /* Always black on white, whatever the theme: scanners need the contrast. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x0, y0, size * modules, size * modules);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int y = 0; y < self->qr->width; y++)
    for (int x = 0; x < self->qr->width; x++)
      if (self->qr->data[y * self->qr->width + x] & 1)
        cairo_rectangle (cr, x0 + (x + QUIET_ZONE) * size, y0 + (y + QUIET_ZONE) * size, size,
                         size);
  cairo_fill (cr);
  return TRUE;
}

static void
begin_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcTotpDialog *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  const char *uri;
  const char *secret;
  g_autoptr (GString) grouped = g_string_new (NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL)
    {
      JsonObject *d
          = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;

      if (error->domain == KC_PROTOCOL_ERROR && error->code == KC_ERROR_BAD_STATUS && d != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (d, "status", ""), "enabled")
                 == 0)
        {
          gtk_stack_set_visible_child_name (self->stack, "enabled");
          gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
          return;
        }
      if (error->domain == KC_PROTOCOL_ERROR && error->code == KC_ERROR_INVALID_PARAMS
          && names_field (data, "password"))
        {
          gboolean again = gtk_widget_get_visible (self->password_row);

          gtk_widget_show (self->password_row);
          show_message (self, again ? _ ("The password is not right.")
                                    : _ ("For your safety, enter your password again to set "
                                         "up two-factor login."));
          gtk_widget_grab_focus (GTK_WIDGET (self->begin_password_entry));
          return;
        }
      {
        g_autofree char *text = describe_error (error, data);
        show_message (self, text);
      }
      return;
    }
  gtk_widget_hide (self->password_row);
  show_message (self, NULL);
  object = json_node_get_object (reply);
  uri = json_object_get_string_member_with_default (object, "uri", "");
  secret = json_object_get_string_member_with_default (object, "secret", "");
  g_clear_pointer (&self->qr, QRcode_free);
  self->qr = QRcode_encodeString (uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  /* Groups of four are easier to type into an app by hand. */
  for (const char *p = secret; *p != '\0'; p++)
    {
      if (p != secret && (p - secret) % 4 == 0)
        g_string_append_c (grouped, ' ');
      g_string_append_c (grouped, *p);
    }
  gtk_label_set_text (self->secret_label, grouped->str);
  gtk_widget_queue_draw (GTK_WIDGET (self->qr_area));
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_entry), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
confirm_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcTotpDialog *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  g_autoptr (GString) text = g_string_new (NULL);
  JsonArray *codes;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL)
    {
      g_autofree char *message = describe_error (error, data);

      show_message (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
      return;
    }
  codes = json_object_get_array_member (json_node_get_object (reply), "recovery_codes");
  for (guint i = 0; codes != NULL && i < json_array_get_length (codes); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                            json_array_get_string_element (codes, i));
  gtk_label_set_text (self->codes_label, text->str);
  self->enrolled = TRUE;
  show_message (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "codes");
  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK, TRUE);
  gtk_widget_set_visible (
      gtk_dialog_get_widget_for_response (GTK_DIALOG (self), GTK_RESPONSE_CANCEL), FALSE);
}

/* auth.totp_begin again, with the password the server asked for. */
static void
on_begin_clicked_cb (KcTotpDialog *self)
{
  g_autoptr (JsonNode) params = NULL;

  if (gtk_entry_get_text_length (self->begin_password_entry) == 0)
    {
      show_message (self, _ ("Enter your password."));
      gtk_widget_grab_focus (GTK_WIDGET (self->begin_password_entry));
      return;
    }
  params = params_node ("password", gtk_entry_get_text (self->begin_password_entry), NULL);
  set_busy (self, TRUE);
  kc_session_auth_totp_begin_async (self->session, params, self->cancellable, begin_done_cb, self);
}

static void
on_confirm_clicked_cb (KcTotpDialog *self)
{
  g_autofree char *code = g_strdup (gtk_entry_get_text (self->code_entry));
  g_autoptr (JsonNode) params = NULL;
  char *out = code;

  /* People type "123 456" as the app shows it. */
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      *out++ = *p;
  *out = '\0';
  if (strlen (code) != 6 || strspn (code, "0123456789") != 6)
    {
      show_message (self, _ ("Enter the 6 digits your authenticator app shows."));
      gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
      return;
    }
  params = params_node ("code", code, NULL);
  show_message (self, NULL);
  set_busy (self, TRUE);
  kc_session_auth_totp_confirm_async (self->session, params, self->cancellable, confirm_done_cb,
                                      self);
}

static void
disable_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcTotpDialog *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (reply == NULL)
    {
      g_autofree char *message
          = error->domain == KC_PROTOCOL_ERROR && error->code == KC_ERROR_INVALID_PARAMS
                ? g_strdup (_ ("The password is not right."))
                : describe_error (error, data);

      show_message (self, message);
      return;
    }
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_CANCEL);
}

static void
on_disable_clicked_cb (KcTotpDialog *self)
{
  g_autoptr (JsonNode) params
      = params_node ("password", gtk_entry_get_text (self->password_entry), "code",
                     gtk_entry_get_text (self->disable_code_entry), NULL);

  if (gtk_entry_get_text_length (self->password_entry) == 0
      || gtk_entry_get_text_length (self->disable_code_entry) == 0)
    {
      show_message (self, _ ("Enter your password and a code (or a recovery code)."));
      return;
    }
  show_message (self, NULL);
  set_busy (self, TRUE);
  kc_session_auth_totp_disable_async (self->session, params, self->cancellable, disable_done_cb,
                                      self);
}

/* GObject overrides */

static void
kc_totp_dialog_dispose (GObject *object)
{
  KcTotpDialog *self = KC_TOTP_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->qr, QRcode_free);
  G_OBJECT_CLASS (kc_totp_dialog_parent_class)->dispose (object);
}

static void
kc_totp_dialog_class_init (KcTotpDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_totp_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-totp-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, message);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, enrol_intro);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, begin_password_entry);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, begin_button);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, qr_area);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, secret_label);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, code_entry);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, codes_label);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, disable_code_entry);
  gtk_widget_class_bind_template_child (widget_class, KcTotpDialog, disable_button);
  gtk_widget_class_bind_template_callback (widget_class, on_qr_draw_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_begin_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_disable_clicked_cb);
}

static void
kc_totp_dialog_init (KcTotpDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

KcTotpDialog *
kc_totp_dialog_new (GtkWindow *parent, KcSession *session, gboolean required)
{
  KcTotpDialog *self
      = g_object_new (KC_TYPE_TOTP_DIALOG, "use-header-bar", TRUE, "modal", TRUE, "transient-for",
                      parent, "title", _ ("Two-factor login"), "resizable", FALSE, NULL);

  self->session = g_object_ref (session);
  self->required = required;
  gtk_label_set_text (self->enrol_intro,
                      required
                          ? _ ("Your role requires two-factor login. Scan this QR code with an "
                               "authenticator app on your phone (FreeOTP, Aegis, Google "
                               "Authenticator, …), then enter the 6-digit code it shows.")
                          : _ ("Scan this QR code with an authenticator app on your phone "
                               "(FreeOTP, Aegis, Google Authenticator, …), then enter the 6-digit "
                               "code it shows."));
  gtk_dialog_add_button (GTK_DIALOG (self), required ? _ ("_Log out") : _ ("_Cancel"),
                         GTK_RESPONSE_CANCEL);
  gtk_dialog_add_button (GTK_DIALOG (self), _ ("_Done"), GTK_RESPONSE_OK);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_OK, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "enrol");

  set_busy (self, TRUE);
  kc_session_auth_totp_begin_async (self->session, NULL, self->cancellable, begin_done_cb, self);
  return self;
}
