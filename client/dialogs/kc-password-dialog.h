/*
 * kc-password-dialog.h — auth.change_password for the logged-in account,
 * shown before anything else while the server demands it (1003
 * must_change_password on every other method). Responds GTK_RESPONSE_OK
 * once changed, GTK_RESPONSE_CANCEL when the person prefers to log out.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_PASSWORD_DIALOG (kc_password_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KcPasswordDialog, kc_password_dialog, KC, PASSWORD_DIALOG, GtkDialog)

KcPasswordDialog *kc_password_dialog_new (GtkApplication *app, KcSession *session);

G_END_DECLS
