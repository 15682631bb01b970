/*
 * kc-programmes-page.h — KcProgrammesPage: the national and local
 * khuyến công programmes (issues 5, 15, 16): the list (the programme in
 * force selected first), a programme's decision and details, its targets per
 * indicator (and per province where the programme splits them) beside what
 * is achieved, its budget envelope, and a chart of achieved against target.
 * Those the server lets keep the programme create it, change its details,
 * targets and envelope (programme.create, .update, .set_targets).
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_PROGRAMMES_PAGE (kc_programmes_page_get_type ())
G_DECLARE_FINAL_TYPE (KcProgrammesPage, kc_programmes_page, KC, PROGRAMMES_PAGE, GtkBox)

KcProgrammesPage *kc_programmes_page_new (KcSession *session);
/* Reads the programmes again (F5). */
void kc_programmes_page_refresh (KcProgrammesPage *self);

G_END_DECLS
