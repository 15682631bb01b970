/*
 * kc-rounds-page.h — KcRoundsPage: reporting rounds (issue 15). The
 * Ministry opens a round, follows the board of the provinces' reports
 * (status, day sent, late) live through the server's events, reads a
 * report, returns it with a reason or accepts it, makes the national
 * summary and exports documents; a province opens its own report in the
 * round report editor.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_ROUNDS_PAGE (kc_rounds_page_get_type ())
G_DECLARE_FINAL_TYPE (KcRoundsPage, kc_rounds_page, KC, ROUNDS_PAGE, GtkBox)

KcRoundsPage *kc_rounds_page_new (KcSession *session);
/* Reads the rounds again (F5). */
void kc_rounds_page_refresh (KcRoundsPage *self);

G_END_DECLS
