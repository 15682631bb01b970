/*
 * kc-record-row.h — KcRecordRow: one record in a GtkListBox of records (a
 * programme, a reporting round): its title, wrapping, and a dim line under
 * it, with the record's id for the page to read back when the row is
 * selected. Its accessible name is the title.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KC_TYPE_RECORD_ROW (kc_record_row_get_type ())
G_DECLARE_FINAL_TYPE (KcRecordRow, kc_record_row, KC, RECORD_ROW, GtkListBoxRow)

/* A shown row for record @id; @title and @detail (nullable: "") are copied. */
GtkWidget *kc_record_row_new (gint64 id, const char *title, const char *detail);
gint64 kc_record_row_get_id (KcRecordRow *self);

G_END_DECLS
