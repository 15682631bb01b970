/*
 * kc-column-layout.h — the column widths and sort order of a list, kept in
 * GSettings (key "column-layout") so that a list looks tomorrow as its
 * user left it today (issue 6, "GSettings for remembered choices").
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Puts back what was remembered under @name for @view (call once its
 * columns and model are set) and remembers the changes from now on. The
 * widths of expanding columns are not restored: they follow the window.
 * Does nothing outside KcApplication (no settings). */
void kc_column_layout_remember (GtkTreeView *view, const char *name);

G_END_DECLS
