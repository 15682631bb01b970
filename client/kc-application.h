/*
 * kc-application.h — the GtkApplication: actions, the session, the login
 * dialog and the main window.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_APPLICATION_ID "vn.gov.moit.KhuyenCong"

#define KC_TYPE_APPLICATION (kc_application_get_type ())
G_DECLARE_FINAL_TYPE (KcApplication, kc_application, KC, APPLICATION, GtkApplication)

KcApplication *kc_application_new (void);
KcSession *kc_application_get_session (KcApplication *self);
/* (nullable): NULL when the schema is not installed. */
GSettings *kc_application_get_settings (KcApplication *self);

/* Called by the login dialog once logged in: shows the main window. */
void kc_application_logged_in (KcApplication *self);
/* Logs out, closes the main window and shows the login dialog again.
 * @reason: (nullable) a message to show there. */
void kc_application_show_login (KcApplication *self, const char *reason);

G_END_DECLS
