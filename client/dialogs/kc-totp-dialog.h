/*
 * kc-totp-dialog.h — two-factor login for one's own account: enrol (QR code
 * and secret, a confirming code, then the recovery codes once) or, when it
 * is already on, turn it off with the password and a code.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_TOTP_DIALOG (kc_totp_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KcTotpDialog, kc_totp_dialog, KC, TOTP_DIALOG, GtkDialog)

/* @required: the role needs it (the login said must_enrol_totp); the text
 * says so. The dialog answers GTK_RESPONSE_OK once a second factor has been
 * enrolled and its recovery codes shown, else GTK_RESPONSE_CANCEL (or
 * GTK_RESPONSE_DELETE_EVENT). */
KcTotpDialog *kc_totp_dialog_new (GtkWindow *parent, KcSession *session, gboolean required);

G_END_DECLS
