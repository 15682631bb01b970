/*
 * kc-login-dialog.h — server address, CA file, username and password.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-application.h"

G_BEGIN_DECLS

#define KC_TYPE_LOGIN_DIALOG (kc_login_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KcLoginDialog, kc_login_dialog, KC, LOGIN_DIALOG, GtkApplicationWindow)

KcLoginDialog *kc_login_dialog_new (KcApplication *app);
/* Shows @message above the form (e.g. why the session ended). */
void kc_login_dialog_show_message (KcLoginDialog *self, const char *message);

G_END_DECLS
