/*
 * kc-export-table.h — a table of the server's export shape ({title,
 * columns [{key, label, type}], rows, totals}: the round report's live
 * tables, the national summary's) as a read-only GtkTreeView: money
 * "1.234.567 ₫", percent "37,5 %", dates dd/mm/yyyy, a last "Tổng" row for
 * the totals.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A new tree view (transfer floating) of @table (borrowed), named by its
 * title for assistive technologies. */
GtkWidget *kc_export_table_new (JsonObject *table);

/* One cell as the client shows it (transfer full). */
char *kc_export_cell_text (JsonObject *row, const char *key, const char *type);

/* "37,5 %" (transfer full). */
char *kc_export_percent_text (double percent);

G_END_DECLS
