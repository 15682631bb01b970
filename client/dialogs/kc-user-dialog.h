/*
 * kc-user-dialog.h — the form that creates an account (user.create), with
 * the server's objections shown next to the fields they name.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_USER_DIALOG (kc_user_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KcUserDialog, kc_user_dialog, KC, USER_DIALOG, GtkDialog)

/* @orgs: a GtkTreeModel with columns (gint64 id, gchararray name), sorted. */
KcUserDialog *kc_user_dialog_new (GtkWindow *parent, KcSession *session, GtkTreeModel *orgs);

G_END_DECLS
