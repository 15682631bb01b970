/*
 * kc-report-print.h — KcReportPrint: printing a report's table (A4
 * landscape: the title and header row on every page, columns as wide as
 * their cells, a smaller font when they do not fit, "Page N of M"), through
 * GTK's print dialog, or straight to a PDF file without it.
 *
 * The table is taken when the printing is made (the store is referenced, the
 * texts copied), so the page may read another report meanwhile.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KC_TYPE_REPORT_PRINT (kc_report_print_get_type ())
G_DECLARE_FINAL_TYPE (KcReportPrint, kc_report_print, KC, REPORT_PRINT, GObject)

/* @store: text columns 0 … @n_columns - 1, then an int column of the row's
 * Pango weight (bold totals); @column_types and @column_labels: a string per
 * column (the result's types: "money", "integer", "text" …). */
KcReportPrint *kc_report_print_new (GtkListStore *store, int n_columns, GPtrArray *column_types,
                                    GPtrArray *column_labels, const char *title,
                                    const char *subtitle);

/* Called once when the printing ends: @error when it failed, else @text
 * (nullable: cancelled in the dialog) says what was done. May drop the last
 * reference to @print. */
typedef void (*KcReportPrintDone) (KcReportPrint *print, const GError *error, const char *text,
                                   gpointer data);

/* Starts printing, with the dialog over @parent, or to the PDF @to_file
 * (nullable or empty: the dialog). Never blocks: @done tells the end. */
void kc_report_print_run (KcReportPrint *self, GtkWindow *parent, const char *to_file,
                          KcReportPrintDone done, gpointer data);
/* Stops it: @done is not called any more. */
void kc_report_print_cancel (KcReportPrint *self);

/* Whether a column of @type holds figures (right-aligned, never shortened). */
gboolean kc_report_column_is_numeric (const char *type);

G_END_DECLS
