/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-cut-check.c — reports what a person cannot read in full (see the
 * header). AT-SPI gives a label's whole text and its box, not whether the
 * text fits the box; only the toolkit knows, so the client looks itself and
 * the UI tests read what it printed.
 */
#include "kc-cut-check.h"

#define LOOK_INTERVAL_MS 300
/* Looks in a row a text must stay cut to be reported: a page cross-fading
 * in or being filled and measured is not what a person reads. */
#define LOOKS 3

typedef struct
{
  GHashTable *seen_last; /* finding -> looks in a row it was cut, to the previous one */
  GHashTable *seen_now;  /* the same for the look under way */
  GHashTable *reported;  /* findings printed already */
} CutCheck;

/* Helpers */

/* The pages of stacks and notebooks around a widget, outermost first: the
 * place a person would name ("Đề án / Ngân sách"). */
static char *
place_of (GtkWidget *widget)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *child = widget;

  for (GtkWidget *p = gtk_widget_get_parent (widget); p != NULL;
       child = p, p = gtk_widget_get_parent (p))
    {
      char *name = NULL;

      if (GTK_IS_STACK (p))
        {
          gtk_container_child_get (GTK_CONTAINER (p), child, "title", &name, NULL);
          if (name == NULL)
            gtk_container_child_get (GTK_CONTAINER (p), child, "name", &name, NULL);
        }
      else if (GTK_IS_NOTEBOOK (p) && gtk_notebook_page_num (GTK_NOTEBOOK (p), child) >= 0)
        name = g_strdup (gtk_notebook_get_tab_label_text (GTK_NOTEBOOK (p), child));
      if (name != NULL)
        g_ptr_array_insert (parts, 0, name);
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" / ", (char **)parts->pdata);
}

/* @kind: "kc-cut" for a text a person cannot read whole, "kc-edge" for a
 * column past a list's edge (a hint: see the header). */
static void
note (CutCheck *check, const char *kind, GtkWidget *widget, const char *what, const char *text,
      int shown, int needed)
{
  GtkWidget *top = gtk_widget_get_toplevel (widget);
  const char *title = GTK_IS_WINDOW (top) ? gtk_window_get_title (GTK_WINDOW (top)) : NULL;
  g_autofree char *stacks = place_of (widget);
  const char *name = atk_object_get_name (gtk_widget_get_accessible (widget));
  g_autofree char *place = name != NULL && *name != '\0' && !GTK_IS_LABEL (widget)
                               ? g_strdup_printf ("%s / %s", stacks, name)
                               : g_strdup (stacks);
  char *finding = g_strdup_printf ("%s: %s | %s | %s | \"%s\" %d/%d px", kind,
                                   title != NULL ? title : "", place, what, text, shown, needed);

  g_hash_table_add (check->seen_now, finding);
}

/* Whether an ancestor up to the nearest scrolling one cuts the widget's box
 * off (a box cut by a scrolled window is only scrolled away). */
static gboolean
clipped_by_ancestor (GtkWidget *widget, int *shown)
{
  GtkAllocation own;

  gtk_widget_get_allocation (widget, &own);
  for (GtkWidget *p = gtk_widget_get_parent (widget); p != NULL; p = gtk_widget_get_parent (p))
    {
      GtkAllocation box;
      int x, y;

      if (GTK_IS_SCROLLABLE (p) || GTK_IS_SCROLLED_WINDOW (p) || GTK_IS_VIEWPORT (p))
        return FALSE;
      if (!gtk_widget_translate_coordinates (widget, p, 0, 0, &x, &y))
        return FALSE;
      gtk_widget_get_allocation (p, &box);
      if (x < -1 || x + own.width > box.width + 1)
        {
          *shown = MAX (0, MIN (x + own.width, box.width) - MAX (x, 0));
          return TRUE;
        }
    }
  return FALSE;
}

static void
look_at_label (CutCheck *check, GtkLabel *label)
{
  GtkWidget *widget = GTK_WIDGET (label);
  const char *text = gtk_label_get_text (label);
  int nat = 0, shown = 0;

  if (text == NULL || *text == '\0')
    return;
  gtk_widget_get_preferred_width (widget, NULL, &nat);
  if (pango_layout_is_ellipsized (gtk_label_get_layout (label)))
    note (check, "kc-cut", widget, "label ellipsized", text,
          gtk_widget_get_allocated_width (widget), nat);
  else if (clipped_by_ancestor (widget, &shown))
    note (check, "kc-cut", widget, "label clipped", text, shown,
          gtk_widget_get_allocated_width (widget));
}

static gboolean
wraps (GtkCellRenderer *cell)
{
  PangoEllipsizeMode ellipsize = PANGO_ELLIPSIZE_NONE;
  int wrap = -1;

  g_object_get (cell, "ellipsize", &ellipsize, "wrap-width", &wrap, NULL);
  return ellipsize == PANGO_ELLIPSIZE_NONE && wrap > 0;
}

static gboolean
shows_more (GtkTreeView *view)
{
  GtkWidget *frame = gtk_widget_get_parent (GTK_WIDGET (view));
  GtkWidget *bar;

  if (!GTK_IS_SCROLLED_WINDOW (frame)
      || gtk_scrolled_window_get_overlay_scrolling (GTK_SCROLLED_WINDOW (frame)))
    return FALSE;
  bar = gtk_scrolled_window_get_hscrollbar (GTK_SCROLLED_WINDOW (frame));
  return bar != NULL && gtk_widget_get_mapped (bar);
}

/* A list's columns past its right edge, then the cells of the rows in
 * view: a cell whose text (or, wrapped, its lines) wants more than its
 * column gives. */
static void
look_at_tree (CutCheck *check, GtkTreeView *view)
{
  GtkTreeModel *model = gtk_tree_view_get_model (view);
  g_autoptr (GtkTreePath) start = NULL;
  g_autoptr (GtkTreePath) end = NULL;
  g_autoptr (GList) columns = gtk_tree_view_get_columns (view);
  GtkTreeIter iter;
  GdkRectangle seen;

  /* A column running past the list's right edge shows half its header and
   * cells: the list scrolls, but nobody sees that there is more, unless a
   * scroll bar says so all the time (a wide report). */
  gtk_tree_view_get_visible_rect (view, &seen);
  for (GList *c = shows_more (view) ? NULL : columns; c != NULL; c = c->next)
    {
      GtkTreeViewColumn *column = c->data;
      GtkWidget *button = gtk_tree_view_column_get_button (column);
      int x = gtk_tree_view_column_get_x_offset (column);
      int width = gtk_tree_view_column_get_width (column);
      const char *title = gtk_tree_view_column_get_title (column);

      /* The header as drawn: a list without rows keeps its columns' last
       * widths, not what shows. */
      if (button != NULL && gtk_widget_get_mapped (button))
        {
          GtkAllocation header;

          gtk_widget_get_allocation (button, &header);
          x = header.x;
          width = header.width;
        }

      if (gtk_tree_view_column_get_visible (column) && x < seen.x + seen.width
          && x + width > seen.x + seen.width + 1)
        note (check, "kc-edge", GTK_WIDGET (view), "column past the edge",
              title != NULL ? title : "", seen.x + seen.width - x, width);
    }
  if (model == NULL || !gtk_tree_view_get_visible_range (view, &start, &end)
      || !gtk_tree_model_get_iter (model, &iter, start))
    return;
  for (int row = 0; row < 60; row++)
    {
      for (GList *c = columns; c != NULL; c = c->next)
        {
          GtkTreeViewColumn *column = c->data;
          g_autoptr (GList) cells = NULL;

          if (!gtk_tree_view_column_get_visible (column))
            continue;
          gtk_tree_view_column_cell_set_cell_data (column, model, &iter, FALSE, FALSE);
          cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (column));
          for (GList *r = cells; r != NULL; r = r->next)
            {
              GtkCellRenderer *cell = r->data;
              g_autofree char *text = NULL;
              int x = 0, width = 0, min = 0, nat = 0;

              if (!GTK_IS_CELL_RENDERER_TEXT (cell) || !gtk_cell_renderer_get_visible (cell))
                continue;
              g_object_get (cell, "text", &text, NULL);
              if (text == NULL || *text == '\0'
                  || !gtk_tree_view_column_cell_get_position (column, cell, &x, &width))
                continue;
              gtk_cell_renderer_get_preferred_width (cell, GTK_WIDGET (view), &min, &nat);
              if (wraps (cell))
                {
                  /* Its lines are as long as wrap-width: cut if the cell
                   * is narrower (the rows are as tall as the lines). */
                  int wrap = 0, xpad = 0, separator = 0;

                  g_object_get (cell, "wrap-width", &wrap, "xpad", &xpad, NULL);
                  /* The column's width is the cell's and the separator. */
                  gtk_widget_style_get (GTK_WIDGET (view), "horizontal-separator", &separator,
                                        NULL);
                  nat = MIN (nat, wrap + 2 * xpad + separator);
                }
              if (nat > width + 1)
                note (check, "kc-cut", GTK_WIDGET (view),
                      gtk_tree_view_column_get_expand (column) ? "title cell" : "cell", text, width,
                      nat);
            }
        }
      g_autoptr (GtkTreePath) path = gtk_tree_model_get_path (model, &iter);
      if (gtk_tree_path_compare (path, end) >= 0 || !gtk_tree_model_iter_next (model, &iter))
        break;
    }
}

static void
look_at (GtkWidget *widget, CutCheck *check)
{
  /* Some containers hand their internal children's slots over empty. */
  if (!GTK_IS_WIDGET (widget) || !gtk_widget_get_mapped (widget)
      || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    look_at_label (check, GTK_LABEL (widget));
  else if (GTK_IS_TREE_VIEW (widget))
    look_at_tree (check, GTK_TREE_VIEW (widget));
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), (GtkCallback)look_at, check);
}

/* Callbacks */

static gboolean
on_look_cb (gpointer user_data)
{
  CutCheck *check = user_data;
  g_autoptr (GList) windows = gtk_window_list_toplevels ();
  GHashTableIter iter;
  gpointer finding;

  for (GList *w = windows; w != NULL; w = w->next)
    look_at (w->data, check);
  g_hash_table_iter_init (&iter, check->seen_now);
  while (g_hash_table_iter_next (&iter, &finding, NULL))
    {
      int looks = GPOINTER_TO_INT (g_hash_table_lookup (check->seen_last, finding)) + 1;

      g_hash_table_iter_replace (&iter, GINT_TO_POINTER (looks));
      if (looks >= LOOKS && !g_hash_table_contains (check->reported, finding))
        {
          g_printerr ("%s\n", (const char *)finding);
          g_hash_table_add (check->reported, g_strdup (finding));
        }
    }
  g_hash_table_remove_all (check->seen_last);
  GHashTable *swap = check->seen_last;
  check->seen_last = check->seen_now;
  check->seen_now = swap;
  return G_SOURCE_CONTINUE;
}

/* Public API */

void
kc_cut_check_install (void)
{
  CutCheck *check;

  if (g_getenv ("KC_CHECK_CUT") == NULL)
    return;
  /* Lives as long as the process: the check is for a test run. */
  check = g_new0 (CutCheck, 1);
  check->seen_last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  check->seen_now = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  check->reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_timeout_add (LOOK_INTERVAL_MS, on_look_cb, check);
}
