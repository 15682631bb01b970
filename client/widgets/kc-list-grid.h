/*
 * kc-list-grid.h — a small table inside a form for a list of records of a
 * few members (a project's partners, locations, work plan): one row of
 * entries per record, "Add a row", a remove button per row, dates typed as
 * dd/mm/yyyy or picked from a calendar. Replaces "one per line, members
 * separated by ;", where a person could not tell which line was wrong
 * (issue 17 point 3).
 *
 * Every cell is named "<column> <row number>" for assistive technologies.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *member; /* the JSON member */
  const char *label;  /* translated column title */
  gboolean is_date;   /* ISO on the wire, dd/mm/yyyy on screen */
  int width_chars;
} KcListColumn;

#define KC_TYPE_LIST_GRID (kc_list_grid_get_type ())
G_DECLARE_FINAL_TYPE (KcListGrid, kc_list_grid, KC, LIST_GRID, GtkBox)

/* @columns: @n_columns entries, copied. @name: what the list is ("Đơn vị
 * phối hợp"), for its add button's name. Emits ::changed on any edit,
 * addition or removal. */
GtkWidget *kc_list_grid_new (const KcListColumn *columns, guint n_columns, const char *name);
/* Rows for @items (objects; NULL: none). */
void kc_list_grid_set (KcListGrid *self, JsonArray *items);
/* The rows as a JSON array of objects, empty rows left out, empty members
 * omitted; NULL with @error_text set (caller frees) when a date does not
 * read as dd/mm/yyyy: "Từ ngày 2: …". (transfer full) */
JsonNode *kc_list_grid_get (KcListGrid *self, char **error_text);
/* Offers @names (a kc-suggest store) while typing in @member's cells, now
 * and in rows added later; any text is still taken. */
void kc_list_grid_suggest (KcListGrid *self, const char *member, GtkTreeModel *names);

G_END_DECLS
