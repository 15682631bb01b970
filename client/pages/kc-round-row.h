/*
 * kc-round-row.h — KcRoundRow: one province's line on a round's board
 * (name, status, the day it was sent, late), a row of its own for the
 * GtkListBox of the Rounds page. Its accessible name is the whole line.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-round.h"

G_BEGIN_DECLS

#define KC_TYPE_ROUND_ROW (kc_round_row_get_type ())
G_DECLARE_FINAL_TYPE (KcRoundRow, kc_round_row, KC, ROUND_ROW, GtkListBoxRow)

/* A row showing @report (borrowed: the row copies what it shows). */
GtkWidget *kc_round_row_new (const KcRoundReport *report);
/* The column titles above the rows, laid out as a row is (transfer floating). */
GtkWidget *kc_round_row_new_header (void);
/* Shows @report again (after an event or an act). */
void kc_round_row_update (KcRoundRow *self, const KcRoundReport *report);
gint64 kc_round_row_get_org_id (KcRoundRow *self);
/* The status code shown (borrowed). */
const char *kc_round_row_get_status (KcRoundRow *self);
/* The province's name (borrowed). */
const char *kc_round_row_get_org_name (KcRoundRow *self);

G_END_DECLS
