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

/* The same dialog for an existing account (user.update): its full name,
 * role and organisation; the username shown, the password not asked. */
KcUserDialog *kc_user_dialog_new_edit (GtkWindow *parent, KcSession *session, GtkTreeModel *orgs,
                                       gint64 id, gint64 version, const char *username,
                                       const char *full_name, const char *role, gint64 org_id);

G_END_DECLS
