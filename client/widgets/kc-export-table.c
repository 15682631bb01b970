/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-export-table.c — kc_export_table_new() (see the header).
 */
#include "kc-export-table.h"

#include <glib/gi18n.h>

#include "kc-date.h"
#include "kc-json.h"
#include "kc-money.h"

char *
kc_export_percent_text (double percent)
{
  g_autofree char *text = g_strdup_printf ("%.1f %%", percent);

  /* Vietnamese writes the decimal comma. */
  g_strdelimit (text, ".", ',');
  return g_steal_pointer (&text);
}

char *
kc_export_cell_text (JsonObject *row, const char *key, const char *type)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return g_strdup ("");
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      GDate date;

      if (g_strcmp0 (type, "date") == 0 && kc_date_parse_iso (text, &date))
        return kc_date_format_vn (&date);
      return g_strdup (text);
    }
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? _ ("Yes") : _ ("No"));
  if (g_strcmp0 (type, "money") == 0)
    return kc_money_format (json_node_get_int (node));
  if (g_strcmp0 (type, "percent") == 0)
    return kc_export_percent_text (json_node_get_double (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      g_autofree char *text = g_strdup_printf ("%g", json_node_get_double (node));

      g_strdelimit (text, ".", ',');
      return g_steal_pointer (&text);
    }
  return kc_money_format_plain (json_node_get_int (node));
}

GtkWidget *
kc_export_table_new (JsonObject *table)
{
  JsonArray *columns = kc_json_array (table, "columns");
  JsonArray *rows = kc_json_array (table, "rows");
  JsonObject *totals = kc_json_object (table, "totals");
  guint n = columns != NULL ? json_array_get_length (columns) : 0;
  g_autofree GType *types = g_new (GType, MAX (n, 1));
  g_autoptr (GtkListStore) store = NULL;
  GtkWidget *view;

  for (guint c = 0; c < MAX (n, 1); c++)
    types[c] = G_TYPE_STRING;
  store = gtk_list_store_newv ((gint)MAX (n, 1), types);
  view = gtk_tree_view_new_with_model (GTK_TREE_MODEL (store));
  for (guint c = 0; c < n; c++)
    {
      JsonObject *column = json_array_get_object_element (columns, c);
      const char *type = kc_json_string (column, "type");
      GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
      GtkTreeViewColumn *col;
      gboolean figure = g_strcmp0 (type, "text") != 0 && g_strcmp0 (type, "date") != 0;

      g_object_set (renderer, "xalign", figure ? 1.0 : 0.0, NULL);
      col = gtk_tree_view_column_new_with_attributes (kc_json_string (column, "label") ?: "",
                                                      renderer, "text", (gint)c, NULL);
      gtk_tree_view_column_set_resizable (col, TRUE);
      gtk_tree_view_append_column (GTK_TREE_VIEW (view), col);
    }
  for (guint r = 0; rows != NULL && r <= json_array_get_length (rows); r++)
    {
      JsonObject *row;
      GtkTreeIter iter;

      if (r == json_array_get_length (rows))
        {
          if (totals == NULL)
            break;
          row = totals;
        }
      else
        row = json_array_get_object_element (rows, r);
      gtk_list_store_append (store, &iter);
      for (guint c = 0; c < n; c++)
        {
          JsonObject *column = json_array_get_object_element (columns, c);
          g_autofree char *text = kc_export_cell_text (row, kc_json_string (column, "key"),
                                                       kc_json_string (column, "type"));

          /* The totals row says so in its first cell. */
          if (row == totals && c == 0 && *text == '\0')
            {
              g_free (text);
              text = g_strdup (_ ("Total"));
            }
          gtk_list_store_set (store, &iter, c, text, -1);
        }
    }
  atk_object_set_name (gtk_widget_get_accessible (view), kc_json_string (table, "title") ?: "");
  return view;
}
