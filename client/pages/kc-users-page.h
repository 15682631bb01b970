/*
 * kc-users-page.h — accounts (admin): list, create, disable, reset password.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_USERS_PAGE (kc_users_page_get_type ())
G_DECLARE_FINAL_TYPE (KcUsersPage, kc_users_page, KC, USERS_PAGE, GtkBox)

KcUsersPage *kc_users_page_new (KcSession *session);
void kc_users_page_refresh (KcUsersPage *self);

G_END_DECLS
