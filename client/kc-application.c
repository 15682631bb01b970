/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-application.c — KcApplication: app actions, one session, one window.
 */
#include "kc-application.h"

#include <glib/gi18n.h>

#include "kc-config.h"
#include "kc-cut-check.h"
#include "kc-login-dialog.h"
#include "kc-totp-dialog.h"
#include "kc-password-dialog.h"
#include "kc-window.h"

struct _KcApplication
{
  GtkApplication parent_instance;

  KcSession *session;
  GSettings *settings;
  GtkWidget *login_dialog; /* (nullable) */
  GtkWidget *window;       /* (nullable) */
};

G_DEFINE_TYPE (KcApplication, kc_application, GTK_TYPE_APPLICATION)

/* Helpers */

/* tests/bench/client-bench: start-up time is measured to the first frame of
 * the login window; with KC_BENCH_FIRST_DRAW set the client says so on
 * stdout and quits. */
static gboolean
on_first_draw_cb (GtkWidget *widget, cairo_t *cr, gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (widget, on_first_draw_cb, user_data);
  g_print ("drawn\n");
  g_application_quit (G_APPLICATION (user_data));
  return FALSE;
}

static void
show_login_dialog (KcApplication *self, const char *reason)
{
  if (self->login_dialog == NULL)
    {
      self->login_dialog = GTK_WIDGET (kc_login_dialog_new (self));
      g_object_add_weak_pointer (G_OBJECT (self->login_dialog), (gpointer *)&self->login_dialog);
      if (g_getenv ("KC_BENCH_FIRST_DRAW") != NULL)
        g_signal_connect_after (self->login_dialog, "draw", G_CALLBACK (on_first_draw_cb), self);
    }
  if (reason != NULL)
    kc_login_dialog_show_message (KC_LOGIN_DIALOG (self->login_dialog), reason);
  gtk_window_present (GTK_WINDOW (self->login_dialog));
}

/* Callbacks */

static void
on_quit_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KcApplication *self = user_data;

  if (self->window != NULL)
    gtk_widget_destroy (self->window);
  if (self->login_dialog != NULL)
    gtk_widget_destroy (self->login_dialog);
  g_application_quit (G_APPLICATION (self));
}

static void
on_about_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KcApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *authors[] = { _ ("The Khuyến Công project"), NULL };

  gtk_show_about_dialog (
      parent, "program-name", _ ("Khuyến Công"), "version", KC_VERSION, "comments",
      _ ("Plans, projects and budget of the industrial promotion programme"), "logo-icon-name",
      KC_APPLICATION_ID, "license-type", GTK_LICENSE_GPL_3_0, "authors", authors, NULL);
}

/* Two-factor login of one's own account (kc-totp-dialog). */
static void
on_totp_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KcApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  KcTotpDialog *dialog = kc_totp_dialog_new (parent, self->session, FALSE);

  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A click on a desktop notification (its default action): the window in
 * front, on the home page where the new tasks are. */
static void
on_show_home_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KcApplication *self = user_data;

  if (self->window != NULL)
    kc_window_show_home (KC_WINDOW (self->window));
  else if (self->login_dialog != NULL)
    gtk_window_present (GTK_WINDOW (self->login_dialog));
}

static void
on_session_ended_cb (KcSession *session, const char *status, gpointer user_data)
{
  KcApplication *self = user_data;

  if (self->window == NULL)
    return;
  kc_application_show_login (self, g_str_equal (status, "expired")
                                       ? _ ("Your session has expired. Please log in again.")
                                       : _ ("Your session was ended. Please log in again."));
}

static void
logout_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KcApplication) self = user_data;

  kc_session_logout_finish (KC_SESSION (source), result);
}

/* GObject overrides */

static void
kc_application_startup (GApplication *app)
{
  KcApplication *self = KC_APPLICATION (app);
  static const GActionEntry entries[] = {
    { "quit", on_quit_activated_cb, NULL, NULL, NULL, { 0 } },
    { "about", on_about_activated_cb, NULL, NULL, NULL, { 0 } },
    { "totp", on_totp_activated_cb, NULL, NULL, NULL, { 0 } },
    { "show-home", on_show_home_activated_cb, NULL, NULL, NULL, { 0 } },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", "F1", NULL };
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autoptr (GtkCssProvider) provider = NULL;

  G_APPLICATION_CLASS (kc_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         shortcuts_accels);
  gtk_window_set_default_icon_name (KC_APPLICATION_ID);

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/vn/gov/moit/KhuyenCong/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, KC_APPLICATION_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (KC_APPLICATION_ID);
  else
    g_warning ("settings schema %s is not installed: choices will not be remembered",
               KC_APPLICATION_ID);

  self->session = kc_session_new ();
  g_signal_connect (self->session, "session-ended", G_CALLBACK (on_session_ended_cb), self);
  kc_cut_check_install ();
}

static void
kc_application_activate (GApplication *app)
{
  KcApplication *self = KC_APPLICATION (app);

  if (self->window != NULL)
    gtk_window_present (GTK_WINDOW (self->window));
  else
    show_login_dialog (self, NULL);
}

static void
kc_application_shutdown (GApplication *app)
{
  KcApplication *self = KC_APPLICATION (app);

  if (self->session != NULL)
    kc_session_close (self->session);
  G_APPLICATION_CLASS (kc_application_parent_class)->shutdown (app);
}

static void
kc_application_finalize (GObject *object)
{
  KcApplication *self = KC_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (kc_application_parent_class)->finalize (object);
}

static void
kc_application_class_init (KcApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  app_class->startup = kc_application_startup;
  app_class->activate = kc_application_activate;
  app_class->shutdown = kc_application_shutdown;
  object_class->finalize = kc_application_finalize;
}

static void
kc_application_init (KcApplication *self)
{
}

/* Public API */

KcApplication *
kc_application_new (void)
{
  return g_object_new (KC_TYPE_APPLICATION, "application-id", KC_APPLICATION_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", "/vn/gov/moit/KhuyenCong",
                       NULL);
}

KcSession *
kc_application_get_session (KcApplication *self)
{
  return self->session;
}

GSettings *
kc_application_get_settings (KcApplication *self)
{
  return self->settings;
}

static void
on_password_dialog_response_cb (GtkDialog *dialog, int response, gpointer user_data)
{
  KcApplication *self = user_data;

  if (response == GTK_RESPONSE_OK)
    {
      kc_application_logged_in (self);
      gtk_widget_destroy (GTK_WIDGET (dialog));
      return;
    }
  kc_application_show_login (self, NULL);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

void
kc_application_logged_in (KcApplication *self)
{
  g_return_if_fail (KC_IS_APPLICATION (self));

  /* The server refuses everything but auth.* until then: the new password
   * comes before the main window. */
  if (kc_session_get_must_change_password (self->session))
    {
      GtkWidget *dialog
          = GTK_WIDGET (kc_password_dialog_new (GTK_APPLICATION (self), self->session));

      g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_dialog_response_cb),
                               self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      if (self->login_dialog != NULL)
        gtk_widget_destroy (self->login_dialog);
      return;
    }
  if (self->window == NULL)
    {
      self->window = GTK_WIDGET (kc_window_new (self));
      g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *)&self->window);
    }
  gtk_window_present (GTK_WINDOW (self->window));
  if (self->login_dialog != NULL)
    gtk_widget_destroy (self->login_dialog);
}

void
kc_application_show_login (KcApplication *self, const char *reason)
{
  g_return_if_fail (KC_IS_APPLICATION (self));

  /* The dialog first, so the application always has a window. */
  show_login_dialog (self, reason);
  if (kc_session_is_logged_in (self->session))
    kc_session_logout_async (self->session, logout_done_cb, g_object_ref (self));
  if (self->window != NULL)
    gtk_widget_destroy (self->window);
}
