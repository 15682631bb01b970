/*
 * kc-inbox-row.h — KcInboxRow: one line of the home page (an item of
 * inbox.list, or a change since the last look): the title, the kind in
 * Vietnamese, the due date dd/mm/yyyy and a late marker, in one flat button
 * that a click or Enter presses ("open"). The row keeps what the click
 * opens: the record's type and id, and its project and plan.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_INBOX_ROW (kc_inbox_row_get_type ())
G_DECLARE_FINAL_TYPE (KcInboxRow, kc_inbox_row, KC, INBOX_ROW, GtkListBoxRow)

/* A row for @item (transfer none), an object of inbox.list's items. */
GtkWidget *kc_inbox_row_new_item (JsonObject *item);
/* A row for @change (transfer none), an object of inbox.list's changes. */
GtkWidget *kc_inbox_row_new_change (JsonObject *change);

/* What an item's row shows as its title: "code — title", the title, or
 * for a plan without one its name by kc_label_plan_name ("Kế hoạch KCQG
 * năm 2026") (transfer full). */
char *kc_inbox_item_title (JsonObject *item);

/* The translated name of an inbox kind ("plan_to_appraise" →
 * "Kế hoạch cần thẩm định"), or NULL when unknown (borrowed). */
const char *kc_inbox_kind_label (const char *kind);

/* What the click opens (borrowed; "" when nothing). */
const char *kc_inbox_row_get_ref_type (KcInboxRow *self);
gint64 kc_inbox_row_get_ref_id (KcInboxRow *self);
gint64 kc_inbox_row_get_project_id (KcInboxRow *self);
gint64 kc_inbox_row_get_plan_id (KcInboxRow *self);
/* The title shown (borrowed). */
const char *kc_inbox_row_get_title (KcInboxRow *self);

G_END_DECLS
