/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-login-dialog.c — logging in, and saying clearly why it did not work.
 */
#include "kc-login-dialog.h"

#include <glib/gi18n.h>

#include "kc-error.h"
#include "kc-errors.h"
#include "kc-form.h"
#include "kc-totp-dialog.h"

#define DEFAULT_PORT 8474

struct _KcLoginDialog
{
  GtkApplicationWindow parent_instance;

  GtkRevealer *message_revealer;
  GtkInfoBar *message_bar;
  GtkLabel *message_label;
  GtkEntry *server_entry;
  GtkFileChooserButton *ca_chooser;
  GtkEntry *username_entry;
  GtkEntry *password_entry;
  GtkLabel *code_label;
  GtkEntry *code_entry; /* shown once the server asks for a second factor */
  GtkSpinner *spinner;
  GtkButton *cancel_button;
  GtkButton *login_button;

  GCancellable *cancellable;
};

G_DEFINE_TYPE (KcLoginDialog, kc_login_dialog, GTK_TYPE_APPLICATION_WINDOW)

/* Helpers */

static KcApplication *
get_app (KcLoginDialog *self)
{
  return KC_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
show_message (KcLoginDialog *self, GtkMessageType type, const char *text)
{
  gtk_info_bar_set_message_type (self->message_bar, type);
  gtk_label_set_text (self->message_label, text);
  gtk_revealer_set_reveal_child (self->message_revealer, text != NULL && text[0] != '\0');
}

static void
set_busy (KcLoginDialog *self, gboolean busy)
{
  kc_form_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ca_chooser), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->username_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_entry), !busy);
}

static void
show_code_row (KcLoginDialog *self, gboolean shown)
{
  gtk_widget_set_visible (GTK_WIDGET (self->code_label), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->code_entry), shown);
  if (!shown)
    gtk_entry_set_text (self->code_entry, "");
}

/* The message a person should read for @error (transfer full). */
static char *
describe_error (KcLoginDialog *self, const GError *error, JsonNode *data)
{
  KcSession *session = kc_application_get_session (get_app (self));
  const char *fingerprint = kc_session_get_peer_fingerprint (session);
  JsonObject *object
      = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  const char *host = kc_session_get_host (session);

  if (error->domain == KC_SESSION_ERROR)
    switch ((KcSessionError)error->code)
      {
        case KC_SESSION_ERROR_UNREACHABLE:
          return g_strdup_printf (
              _ ("Cannot reach the server %s. Check the address and your network connection."),
              host);
        case KC_SESSION_ERROR_UNTRUSTED_CERTIFICATE:
          return g_strdup_printf (_ ("The certificate of the server %s is not trusted: it was not "
                                     "signed by the chosen CA certificate. Do not log in unless "
                                     "your administrator confirms this SHA-256 fingerprint:\n%s"),
                                  host, fingerprint ? fingerprint : "?");
        case KC_SESSION_ERROR_MISMATCHED_CERTIFICATE:
          return g_strdup_printf (_ ("The certificate the server showed was issued for another "
                                     "name than %s. SHA-256 fingerprint:\n%s"),
                                  host, fingerprint ? fingerprint : "?");
        case KC_SESSION_ERROR_DISCONNECTED:
        case KC_SESSION_ERROR_BAD_REPLY:
          return g_strdup (_ ("The connection to the server was lost. Please try again."));
        case KC_SESSION_ERROR_TLS:
        default:
          return g_strdup_printf (_ ("Could not set up a secure connection to the server: %s"),
                                  error->message);
      }

  if (error->domain == KC_PROTOCOL_ERROR)
    switch (error->code)
      {
        case KC_ERROR_NOT_LOGGED_IN:
          if (object != NULL
              && g_strcmp0 (json_object_get_string_member_with_default (object, "reason", ""),
                            "account_disabled")
                     == 0)
            return g_strdup (_ ("This account is disabled. Please contact your administrator."));
          return g_strdup (_ ("Wrong username or password."));
        case KC_ERROR_TOO_MANY:
          {
            gint64 seconds
                = object != NULL
                      ? json_object_get_int_member_with_default (object, "retry_after", 60)
                      : 60;
            int minutes = (int)MAX (1, (seconds + 59) / 60);

            return g_strdup_printf (
                g_dngettext (GETTEXT_PACKAGE, "Too many failed logins. Try again in %d minute.",
                             "Too many failed logins. Try again in %d minutes.", minutes),
                minutes);
          }
        case KC_ERROR_SECOND_FACTOR:
          if (object != NULL
              && g_strcmp0 (json_object_get_string_member_with_default (object, "reason", ""),
                            "invalid_code")
                     == 0)
            return g_strdup (_ ("The code is not valid or was already used. Enter the code your "
                                "authenticator app shows now, or an unused recovery code."));
          return g_strdup (_ ("This account uses two-factor login. Enter the 6-digit code from "
                              "your authenticator app, or a recovery code."));
        case KC_ERROR_UNAVAILABLE:
          return g_strdup (_ ("The server is temporarily unavailable. Please try again shortly."));
        case KC_ERROR_INVALID_PARAMS:
          return g_strdup (_ ("Please enter a username and a password."));
        default:
          break;
      }
  return kc_errors_describe (error, data);
}

static void
load_defaults (KcLoginDialog *self)
{
  GSettings *settings = kc_application_get_settings (get_app (self));
  g_autofree char *server = settings ? g_settings_get_string (settings, "server") : NULL;
  g_autofree char *ca = settings ? g_settings_get_string (settings, "ca-file") : NULL;
  g_autofree char *username = settings ? g_settings_get_string (settings, "username") : NULL;
  const char *env_host = g_getenv ("KC_HOST");
  const char *env_port = g_getenv ("KC_PORT");
  const char *env_ca = g_getenv ("KC_CA");
  const char *env_user = g_getenv ("KC_USERNAME");

  if (env_host != NULL && env_host[0] != '\0')
    {
      g_free (server);
      server = env_port != NULL && env_port[0] != '\0'
                   ? g_strdup_printf ("%s:%s", env_host, env_port)
                   : g_strdup (env_host);
    }
  if (env_ca != NULL)
    {
      g_free (ca);
      ca = g_strdup (env_ca);
    }
  if (env_user != NULL)
    {
      g_free (username);
      username = g_strdup (env_user);
    }
  if (server != NULL)
    gtk_entry_set_text (self->server_entry, server);
  if (ca != NULL && ca[0] != '\0')
    gtk_file_chooser_set_filename (GTK_FILE_CHOOSER (self->ca_chooser), ca);
  if (username != NULL)
    gtk_entry_set_text (self->username_entry, username);
  gtk_widget_grab_focus (GTK_WIDGET (
      username != NULL && username[0] != '\0' ? self->password_entry : self->username_entry));
}

static void
save_choices (KcLoginDialog *self, const char *server, const char *ca, const char *username)
{
  GSettings *settings = kc_application_get_settings (get_app (self));

  if (settings == NULL)
    return;
  g_settings_set_string (settings, "server", server);
  g_settings_set_string (settings, "ca-file", ca != NULL ? ca : "");
  g_settings_set_string (settings, "username", username);
}

/* Callbacks */

static void
logout_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  kc_session_logout_finish (KC_SESSION (source), result);
}

static void
on_enrol_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  KcLoginDialog *self = user_data;
  KcSession *session = kc_application_get_session (get_app (self));

  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response == GTK_RESPONSE_OK)
    {
      kc_application_logged_in (get_app (self));
      return;
    }
  kc_session_logout_async (session, logout_done_cb, NULL);
  show_message (self, GTK_MESSAGE_WARNING,
                _ ("Your role requires two-factor login. Log in again to set it up."));
}

static void
login_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcLoginDialog *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autofree char *text = NULL;
  g_autofree char *ca = NULL;

  if (!kc_session_login_finish (KC_SESSION (source), result, &data, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      text = describe_error (self, error, data);
      if (g_error_matches (error, KC_PROTOCOL_ERROR, KC_ERROR_SECOND_FACTOR))
        {
          show_code_row (self, TRUE);
          show_message (self, GTK_MESSAGE_INFO, text);
          gtk_entry_set_text (self->code_entry, "");
          gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
          return;
        }
      show_message (self, GTK_MESSAGE_ERROR, text);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
      return;
    }
  set_busy (self, FALSE);
  ca = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (self->ca_chooser));
  save_choices (self, gtk_entry_get_text (self->server_entry), ca,
                gtk_entry_get_text (self->username_entry));
  if (kc_session_get_must_enrol_totp (KC_SESSION (source)))
    {
      /* The role requires a second factor: nothing but enrolment works until
       * it is set up, so it comes before the main window. */
      KcTotpDialog *dialog = kc_totp_dialog_new (GTK_WINDOW (self), KC_SESSION (source), TRUE);

      g_signal_connect (dialog, "response", G_CALLBACK (on_enrol_response_cb), self);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  kc_application_logged_in (get_app (self));
}

static void
on_login_button_clicked_cb (KcLoginDialog *self)
{
  KcSession *session = kc_application_get_session (get_app (self));
  const char *server = gtk_entry_get_text (self->server_entry);
  const char *username = gtk_entry_get_text (self->username_entry);
  const char *password = gtk_entry_get_text (self->password_entry);
  g_autofree char *ca = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (self->ca_chooser));
  g_autoptr (GSocketConnectable) address = NULL;
  g_autoptr (GError) error = NULL;

  g_autofree char *stripped = g_strstrip (g_strdup (server));

  if (stripped[0] != '\0')
    address = g_network_address_parse (stripped, DEFAULT_PORT, &error);
  if (address == NULL)
    {
      show_message (
          self, GTK_MESSAGE_ERROR,
          _ ("Enter the server address as host name and port, e.g. kc.moit.gov.vn:8474."));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_entry));
      return;
    }
  if (username[0] == '\0' || password[0] == '\0')
    {
      show_message (self, GTK_MESSAGE_ERROR, _ ("Please enter a username and a password."));
      gtk_widget_grab_focus (
          GTK_WIDGET (username[0] == '\0' ? self->username_entry : self->password_entry));
      return;
    }

  kc_session_set_server (session, g_network_address_get_hostname (G_NETWORK_ADDRESS (address)),
                         g_network_address_get_port (G_NETWORK_ADDRESS (address)), ca);
  show_message (self, GTK_MESSAGE_INFO, NULL);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  kc_session_login_with_code_async (session, username, password,
                                    gtk_widget_get_visible (GTK_WIDGET (self->code_entry))
                                            && gtk_entry_get_text_length (self->code_entry) > 0
                                        ? gtk_entry_get_text (self->code_entry)
                                        : NULL,
                                    self->cancellable, login_done_cb, self);
}

static void
on_cancel_button_clicked_cb (KcLoginDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  kc_session_close (kc_application_get_session (get_app (self)));
  set_busy (self, FALSE);
}

static void
on_ca_clear_button_clicked_cb (KcLoginDialog *self)
{
  gtk_file_chooser_unselect_all (GTK_FILE_CHOOSER (self->ca_chooser));
}

/* GObject overrides */

static void
kc_login_dialog_dispose (GObject *object)
{
  KcLoginDialog *self = KC_LOGIN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (kc_login_dialog_parent_class)->dispose (object);
}

static void
kc_login_dialog_class_init (KcLoginDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_login_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-login-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, message_bar);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, server_entry);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, ca_chooser);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, username_entry);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, code_label);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, code_entry);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KcLoginDialog, login_button);
  gtk_widget_class_bind_template_callback (widget_class, on_login_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_clear_button_clicked_cb);
}

static void
kc_login_dialog_init (KcLoginDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

KcLoginDialog *
kc_login_dialog_new (KcApplication *app)
{
  KcLoginDialog *self = g_object_new (KC_TYPE_LOGIN_DIALOG, "application", app, NULL);

  /* GtkWindow:application is set after construction: read settings here. */
  load_defaults (self);
  gtk_widget_grab_default (GTK_WIDGET (self->login_button));
  /* tests/bench/client-bench measures the Projects list without the
   * accessibility bridge, so without AT-SPI to type the password. */
  if (g_getenv ("KC_BENCH_LOAD_ALL") != NULL && g_getenv ("KC_BENCH_PASSWORD") != NULL)
    {
      gtk_entry_set_text (self->password_entry, g_getenv ("KC_BENCH_PASSWORD"));
      on_login_button_clicked_cb (self);
    }
  return self;
}

void
kc_login_dialog_show_message (KcLoginDialog *self, const char *message)
{
  g_return_if_fail (KC_IS_LOGIN_DIALOG (self));
  show_message (self, GTK_MESSAGE_WARNING, message);
}
