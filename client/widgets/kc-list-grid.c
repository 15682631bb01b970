/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-list-grid.c — KcListGrid (see the header).
 */
#include "kc-list-grid.h"

#include <glib/gi18n.h>

#include "kc-date.h"
#include "kc-suggest.h"

struct _KcListGrid
{
  GtkBox parent_instance;

  GArray *columns;         /* of KcListColumn */
  GtkGrid *grid;           /* row 0: titles; then one row per record */
  GPtrArray *rows;         /* of GPtrArray of GtkEntry (not owned: the grid's) */
  GHashTable *suggestions; /* member → GtkTreeModel of kc-suggest */
};

G_DEFINE_TYPE (KcListGrid, kc_list_grid, GTK_TYPE_BOX)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
emit_changed (KcListGrid *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* Names follow the row numbers after a removal. */
static void
rename_cells (KcListGrid *self)
{
  for (guint r = 0; r < self->rows->len; r++)
    {
      GPtrArray *cells = g_ptr_array_index (self->rows, r);

      for (guint c = 0; c < self->columns->len; c++)
        {
          const KcListColumn *col = &g_array_index (self->columns, KcListColumn, c);
          g_autofree char *name = g_strdup_printf ("%s %u", col->label, r + 1);

          atk_object_set_name (gtk_widget_get_accessible (g_ptr_array_index (cells, c)), name);
        }
      {
        g_autofree char *name = g_strdup_printf (_ ("Remove row %u"), r + 1);

        atk_object_set_name (
            gtk_widget_get_accessible (g_ptr_array_index (cells, self->columns->len)), name);
      }
    }
}

static void
on_day_selected_cb (GtkCalendar *calendar, gpointer user_data)
{
  GtkEntry *entry = user_data;
  guint y, m, d;
  GDate date;
  g_autofree char *text = NULL;

  gtk_calendar_get_date (calendar, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay)d, (GDateMonth)(m + 1), (GDateYear)y);
  text = kc_date_format_vn (&date);
  gtk_entry_set_text (entry, text);
  gtk_popover_popdown (
      GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER)));
}

/* The calendar icon of a date cell: a popover with a month to pick from. */
static void
on_icon_press_cb (GtkEntry *entry, GtkEntryIconPosition pos, GdkEvent *event, gpointer data)
{
  GtkWidget *popover = gtk_popover_new (GTK_WIDGET (entry));
  GtkWidget *calendar = gtk_calendar_new ();
  GDate date;
  GdkRectangle area;

  if (kc_date_parse_vn (gtk_entry_get_text (entry), &date))
    {
      gtk_calendar_select_month (GTK_CALENDAR (calendar), g_date_get_month (&date) - 1,
                                 g_date_get_year (&date));
      gtk_calendar_select_day (GTK_CALENDAR (calendar), g_date_get_day (&date));
    }
  g_signal_connect (calendar, "day-selected-double-click", G_CALLBACK (on_day_selected_cb), entry);
  gtk_container_add (GTK_CONTAINER (popover), calendar);
  gtk_entry_get_icon_area (entry, pos, &area);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &area);
  gtk_widget_show_all (popover);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
on_remove_clicked_cb (GtkButton *button, gpointer user_data)
{
  KcListGrid *self = user_data;

  for (guint r = 0; r < self->rows->len; r++)
    {
      GPtrArray *cells = g_ptr_array_index (self->rows, r);

      if (g_ptr_array_index (cells, self->columns->len) != (gpointer)button)
        continue;
      gtk_grid_remove_row (self->grid, (int)r + 1);
      g_ptr_array_remove_index (self->rows, r);
      rename_cells (self);
      emit_changed (self);
      return;
    }
}

static void
add_row (KcListGrid *self, JsonObject *item)
{
  GPtrArray *cells = g_ptr_array_new ();
  int top = (int)self->rows->len + 1;
  GtkWidget *remove;

  for (guint c = 0; c < self->columns->len; c++)
    {
      const KcListColumn *col = &g_array_index (self->columns, KcListColumn, c);
      GtkWidget *entry = gtk_entry_new ();
      const char *value
          = item != NULL && json_object_has_member (item, col->member)
                    && JSON_NODE_HOLDS_VALUE (json_object_get_member (item, col->member))
                ? json_object_get_string_member (item, col->member)
                : NULL;

      gtk_entry_set_width_chars (GTK_ENTRY (entry), col->width_chars);
      gtk_widget_set_hexpand (entry, col->width_chars >= 20);
      if (col->is_date)
        {
          GDate date;

          gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("dd/mm/yyyy"));
          gtk_entry_set_icon_from_icon_name (GTK_ENTRY (entry), GTK_ENTRY_ICON_SECONDARY,
                                             "x-office-calendar-symbolic");
          gtk_entry_set_icon_tooltip_text (GTK_ENTRY (entry), GTK_ENTRY_ICON_SECONDARY,
                                           _ ("Pick a day"));
          g_signal_connect (entry, "icon-press", G_CALLBACK (on_icon_press_cb), NULL);
          if (value != NULL && kc_date_parse_iso (value, &date))
            {
              g_autofree char *shown = kc_date_format_vn (&date);

              gtk_entry_set_text (GTK_ENTRY (entry), shown);
            }
        }
      else if (value != NULL)
        gtk_entry_set_text (GTK_ENTRY (entry), value);
      if (g_hash_table_contains (self->suggestions, col->member))
        kc_suggest_attach (GTK_ENTRY (entry), g_hash_table_lookup (self->suggestions, col->member));
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (emit_changed), self);
      gtk_grid_attach (self->grid, entry, (int)c, top, 1, 1);
      g_ptr_array_add (cells, entry);
    }
  remove = gtk_button_new_from_icon_name ("list-remove-symbolic", GTK_ICON_SIZE_BUTTON);
  gtk_widget_set_tooltip_text (remove, _ ("Remove this row"));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
  gtk_grid_attach (self->grid, remove, (int)self->columns->len, top, 1, 1);
  g_ptr_array_add (cells, remove);
  g_ptr_array_add (self->rows, cells);
  gtk_widget_show_all (GTK_WIDGET (self->grid));
  rename_cells (self);
}

static void
on_add_clicked_cb (KcListGrid *self)
{
  GPtrArray *cells;

  add_row (self, NULL);
  cells = g_ptr_array_index (self->rows, self->rows->len - 1);
  gtk_widget_grab_focus (g_ptr_array_index (cells, 0));
  emit_changed (self);
}

static void
kc_list_grid_finalize (GObject *object)
{
  KcListGrid *self = KC_LIST_GRID (object);

  g_array_unref (self->columns);
  g_ptr_array_unref (self->rows);
  g_hash_table_unref (self->suggestions);
  G_OBJECT_CLASS (kc_list_grid_parent_class)->finalize (object);
}

static void
kc_list_grid_class_init (KcListGridClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_list_grid_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kc_list_grid_init (KcListGrid *self)
{
  self->columns = g_array_new (FALSE, FALSE, sizeof (KcListColumn));
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  self->suggestions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 4);
}

GtkWidget *
kc_list_grid_new (const KcListColumn *columns, guint n_columns, const char *name)
{
  KcListGrid *self = g_object_new (KC_TYPE_LIST_GRID, NULL);
  GtkWidget *add = gtk_button_new_with_mnemonic (_ ("_Add a row"));
  g_autofree char *add_name = g_strdup_printf (_ ("Add a row to %s"), name);

  g_array_append_vals (self->columns, columns, n_columns);
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->grid, 4);
  gtk_grid_set_column_spacing (self->grid, 6);
  for (guint c = 0; c < n_columns; c++)
    {
      GtkWidget *title = gtk_label_new (columns[c].label);

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_style_context_add_class (gtk_widget_get_style_context (title), "dim-label");
      gtk_grid_attach (self->grid, title, (int)c, 0, 1, 1);
    }
  gtk_box_pack_start (GTK_BOX (self), GTK_WIDGET (self->grid), FALSE, FALSE, 0);
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  atk_object_set_name (gtk_widget_get_accessible (add), add_name);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), name);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (self), add, FALSE, FALSE, 0);
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

void
kc_list_grid_set (KcListGrid *self, JsonArray *items)
{
  g_return_if_fail (KC_IS_LIST_GRID (self));

  while (self->rows->len > 0)
    {
      gtk_grid_remove_row (self->grid, 1);
      g_ptr_array_remove_index (self->rows, 0);
    }
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        add_row (self, json_node_get_object (node));
    }
}

JsonNode *
kc_list_grid_get (KcListGrid *self, char **error_text)
{
  g_autoptr (JsonArray) array = json_array_new ();

  g_return_val_if_fail (KC_IS_LIST_GRID (self), NULL);

  for (guint r = 0; r < self->rows->len; r++)
    {
      GPtrArray *cells = g_ptr_array_index (self->rows, r);
      g_autoptr (JsonObject) item = json_object_new ();

      for (guint c = 0; c < self->columns->len; c++)
        {
          const KcListColumn *col = &g_array_index (self->columns, KcListColumn, c);
          g_autofree char *text
              = g_strstrip (g_strdup (gtk_entry_get_text (g_ptr_array_index (cells, c))));
          GDate date;

          if (text[0] == '\0')
            continue;
          if (col->is_date)
            {
              if (!kc_date_parse_vn (text, &date))
                {
                  if (error_text != NULL)
                    *error_text = g_strdup_printf (_ ("%s %u: enter a date as dd/mm/yyyy."),
                                                   col->label, r + 1);
                  return NULL;
                }
              g_autofree char *iso = kc_date_format_iso (&date);

              json_object_set_string_member (item, col->member, iso);
            }
          else
            json_object_set_string_member (item, col->member, text);
        }
      if (json_object_get_size (item) > 0)
        json_array_add_object_element (array, g_steal_pointer (&item));
    }
  return json_node_init_array (json_node_alloc (), array);
}

void
kc_list_grid_suggest (KcListGrid *self, const char *member, GtkTreeModel *names)
{
  g_return_if_fail (KC_IS_LIST_GRID (self));
  g_return_if_fail (GTK_IS_TREE_MODEL (names));

  g_hash_table_replace (self->suggestions, g_strdup (member), g_object_ref (names));
  for (guint c = 0; c < self->columns->len; c++)
    if (g_str_equal (g_array_index (self->columns, KcListColumn, c).member, member))
      for (guint r = 0; r < self->rows->len; r++)
        {
          GPtrArray *cells = g_ptr_array_index (self->rows, r);

          kc_suggest_attach (GTK_ENTRY (g_ptr_array_index (cells, c)), names);
        }
}
