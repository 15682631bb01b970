/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-table-page.c — KcTablePage: the shared frame of the simple lists.
 */
#include "kc-table-page.h"

#include "kc-lazy.h"
#include "kc-window.h"

typedef struct
{
  GtkBox *toolbar;
  GtkSpinner *spinner;
  GtkLabel *count_label;
  GtkScrolledWindow *scrolled;
  GtkTreeView *tree_view;

  KcSession *session;
  GCancellable *cancellable;
  int busy;
} KcTablePagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (KcTablePage, kc_table_page, GTK_TYPE_BOX)

/* Callbacks */

static void
on_row_activated_cb (KcTablePage *self, GtkTreePath *path, GtkTreeViewColumn *column)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);
  GtkTreeModel *model = gtk_tree_view_get_model (priv->tree_view);
  GtkTreeIter iter;

  if (model != NULL && gtk_tree_model_get_iter (model, &iter, path)
      && KC_TABLE_PAGE_GET_CLASS (self)->activated != NULL)
    KC_TABLE_PAGE_GET_CLASS (self)->activated (self, &iter);
}

static void
on_session_event_cb (KcSession *session, const char *topic, JsonNode *params, gpointer user_data)
{
  KcTablePage *self = user_data;

  /* Not shown yet: nothing to bring up to date; it reads when shown. */
  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;
  if (KC_TABLE_PAGE_GET_CLASS (self)->event != NULL)
    KC_TABLE_PAGE_GET_CLASS (self)->event (self, topic, params);
}

/* GObject overrides */

static void
kc_table_page_dispose (GObject *object)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (KC_TABLE_PAGE (object));

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  /* The session outlives the page, and a page may outlive its dispose (a
   * reference held elsewhere): no event may reach a destroyed page. */
  if (priv->session != NULL)
    g_signal_handlers_disconnect_by_data (priv->session, object);
  g_clear_object (&priv->session);
  G_OBJECT_CLASS (kc_table_page_parent_class)->dispose (object);
}

static void
kc_table_page_class_init (KcTablePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kc_table_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/vn/gov/moit/KhuyenCong/ui/kc-table-page.ui");
  /* A subclass declares its acts and filters in its own template, inside
   * <child internal-child="toolbar">. */
  gtk_widget_class_bind_template_child_internal_private (widget_class, KcTablePage, toolbar);
  gtk_widget_class_bind_template_child_private (widget_class, KcTablePage, spinner);
  gtk_widget_class_bind_template_child_private (widget_class, KcTablePage, count_label);
  gtk_widget_class_bind_template_child_private (widget_class, KcTablePage, scrolled);
  gtk_widget_class_bind_template_child_private (widget_class, KcTablePage, tree_view);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

static void
kc_table_page_init (KcTablePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

void
kc_table_page_set_session (KcTablePage *self, KcSession *session)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);

  g_set_object (&priv->session, session);
  g_signal_connect_object (session, "event", G_CALLBACK (on_session_event_cb), self, 0);
  /* The first reading when the page is first shown (issue 17, point 7). */
  kc_lazy_init (GTK_WIDGET (self), G_CALLBACK (kc_table_page_refresh));
}

KcSession *
kc_table_page_get_session (KcTablePage *self)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);

  return priv->session;
}

GtkTreeView *
kc_table_page_get_view (KcTablePage *self)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);

  return priv->tree_view;
}

GtkScrolledWindow *
kc_table_page_get_scrolled (KcTablePage *self)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);

  return priv->scrolled;
}

GCancellable *
kc_table_page_get_cancellable (KcTablePage *self)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);

  return priv->cancellable;
}

JsonNode *
kc_table_page_finish_call (KcTablePage *self, GObject *source, GAsyncResult *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  kc_table_page_set_busy (self, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        kc_table_page_show_error (self, error, data);
      return NULL;
    }
  return g_steal_pointer (&reply);
}

void
kc_table_page_add_column (KcTablePage *self, const char *title, int column, int sort_column,
                          gboolean expand, gfloat xalign)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);

  kc_table_add_text_column (priv->tree_view, title, column, sort_column, expand, xalign);
}

/* The narrowest an expanding column gets, wrapped or cut. */
#define EXPAND_MIN_WIDTH 120

/* A column that ends a long text with "…" and stays resizable; an
 * expanding one never narrower than EXPAND_MIN_WIDTH. */
static void
ellipsize_column (GtkTreeViewColumn *col)
{
  g_autoptr (GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (col));

  /* No longer wrapped, if it was (kc_table_wrap_column). */
  g_object_set_data (G_OBJECT (col), "kc-wrap-column", NULL);
  for (GList *l = cells; l != NULL; l = l->next)
    if (GTK_IS_CELL_RENDERER_TEXT (l->data))
      g_object_set (l->data, "ellipsize", PANGO_ELLIPSIZE_END, "wrap-width", -1, NULL);
  gtk_tree_view_column_set_resizable (col, TRUE);
  if (gtk_tree_view_column_get_expand (col))
    gtk_tree_view_column_set_min_width (col, EXPAND_MIN_WIDTH);
}

GtkTreeViewColumn *
kc_table_add_text_column (GtkTreeView *view, const char *title, int column, int sort_column,
                          gboolean expand, gfloat xalign)
{
  GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
  GtkTreeViewColumn *col
      = gtk_tree_view_column_new_with_attributes (title, renderer, "text", column, NULL);

  g_object_set (renderer, "xalign", xalign, NULL);
  gtk_tree_view_column_set_resizable (col, TRUE);
  gtk_tree_view_column_set_expand (col, expand);
  if (sort_column >= 0)
    gtk_tree_view_column_set_sort_column_id (col, sort_column);
  gtk_tree_view_append_column (view, col);
  /* The expanding columns of a list that scrolls share what the others
   * leave and wrap there: a long title reads whole (issue 17, nothing cut
   * at 1366×768). Lists of one row height (kc_table_set_fixed_sizes) cut
   * it with "…" again, as does a list outside a scrolled window. */
  if (expand && GTK_IS_SCROLLED_WINDOW (gtk_widget_get_parent (GTK_WIDGET (view))))
    kc_table_wrap_column (view, col, EXPAND_MIN_WIDTH);
  else if (expand)
    ellipsize_column (col);
  return col;
}

static int
text_width (GtkTreeView *view, const char *text)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (view), text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

void
kc_table_set_fixed_sizes (GtkTreeView *view, const char *const *samples)
{
  /* The cell's and the header button's padding. */
  const int padding = 16;
  int n = (int)gtk_tree_view_get_n_columns (view);

  for (int i = 0; i < n; i++)
    {
      GtkTreeViewColumn *col = gtk_tree_view_get_column (view, i);
      const char *title = gtk_tree_view_column_get_title (col);
      int width = text_width (view, title != NULL ? title : "");

      if (samples[i] != NULL)
        width = MAX (width, text_width (view, samples[i]));
      width += padding;
      /* The last column ends under the overlay scroll bar: the "₫" of an
       * amount there kept clear of it (issue 17). */
      if (i == n - 1)
        width += 10;
      /* Fixed widths may be narrower than a long value: cut it with "…"
       * (rows of one height cannot wrap; the projects list shows a title
       * whole under the pointer). */
      ellipsize_column (col);
      if (gtk_tree_view_column_get_expand (col))
        width = MAX (width, EXPAND_MIN_WIDTH);
      gtk_tree_view_column_set_sizing (col, GTK_TREE_VIEW_COLUMN_FIXED);
      gtk_tree_view_column_set_fixed_width (col, width);
    }
  gtk_tree_view_set_fixed_height_mode (view, TRUE);
}

/* kc_table_wrap_column() */

typedef struct
{
  GtkTreeView *view;
  GtkCellRenderer *cell;
  int min_width;
  guint idle;
} WrapColumn;

static void
wrap_column_free (gpointer data)
{
  WrapColumn *wrap = data;

  g_clear_handle_id (&wrap->idle, g_source_remove);
  g_free (wrap);
}

/* The column's width: what the scrolled window has, less what the other
 * columns ask (which does not depend on this one's), so one pass settles
 * it. The text wraps inside it, less the separator and the cell's padding. */
static gboolean
wrap_column_fit (gpointer data)
{
  GtkTreeViewColumn *col = data;
  WrapColumn *wrap = g_object_get_data (G_OBJECT (col), "kc-wrap-column");
  GtkWidget *frame = gtk_widget_get_parent (GTK_WIDGET (wrap->view));
  GtkWidget *button = gtk_tree_view_column_get_button (col);
  int current = gtk_tree_view_column_get_fixed_width (col);
  int view_width = 0, title_width = 0, separator = 0, xpad = 0, wrap_width = 0, width;
  int page, wrapped = 0, n_wrapped = 0;
  g_autoptr (GList) columns = gtk_tree_view_get_columns (wrap->view);

  wrap->idle = 0;
  gtk_widget_get_preferred_width (GTK_WIDGET (wrap->view), &view_width, NULL);
  if (button != NULL && gtk_tree_view_get_headers_visible (wrap->view))
    gtk_widget_get_preferred_width (button, &title_width, NULL);
  /* The wrapping columns share what the others leave, equally: a list's
   * organisation and title both read whole. */
  for (GList *c = columns; c != NULL; c = c->next)
    if (g_object_get_data (c->data, "kc-wrap-column") != NULL
        && gtk_tree_view_column_get_visible (c->data))
      {
        wrapped += gtk_tree_view_column_get_fixed_width (c->data);
        n_wrapped++;
      }
  /* What shows of the view: the frame less its border and a scroll bar
   * that takes room (the horizontal adjustment's page). */
  page = (int)gtk_adjustment_get_page_size (
      gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (frame)));
  if (page <= 0)
    page = gtk_widget_get_allocated_width (frame);
  width = (page - (view_width - wrapped)) / MAX (n_wrapped, 1);
  width = MAX (width, MAX (wrap->min_width, title_width));
  gtk_widget_style_get (GTK_WIDGET (wrap->view), "horizontal-separator", &separator, NULL);
  gtk_cell_renderer_get_padding (wrap->cell, &xpad, NULL);
  g_object_get (wrap->cell, "wrap-width", &wrap_width, NULL);
  if (width == current && wrap_width == MAX (1, width - separator - 2 * xpad))
    return G_SOURCE_REMOVE;
  gtk_tree_view_column_set_fixed_width (col, width);
  g_object_set (wrap->cell, "wrap-width", MAX (1, width - separator - 2 * xpad), NULL);
  /* The rows' heights follow the new wrapping. */
  gtk_tree_view_column_queue_resize (col);
  return G_SOURCE_REMOVE;
}

static void
wrap_column_allocated_cb (GtkWidget *widget, GdkRectangle *allocation, gpointer data)
{
  WrapColumn *wrap = g_object_get_data (G_OBJECT (data), "kc-wrap-column");

  /* Not while GTK lays the window out: the next pass takes the new width. */
  if (wrap != NULL && wrap->idle == 0)
    wrap->idle = g_idle_add (wrap_column_fit, data);
}

void
kc_table_wrap_column (GtkTreeView *view, GtkTreeViewColumn *col, int min_width)
{
  GtkWidget *frame = gtk_widget_get_parent (GTK_WIDGET (view));
  WrapColumn *wrap;
  GList *cells;

  g_return_if_fail (GTK_IS_SCROLLED_WINDOW (frame));
  cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (col));
  g_return_if_fail (cells != NULL && GTK_IS_CELL_RENDERER_TEXT (cells->data));
  wrap = g_new0 (WrapColumn, 1);
  wrap->view = view;
  wrap->min_width = MAX (min_width, 1);
  wrap->cell = cells->data;
  g_list_free (cells);
  g_object_set (wrap->cell, "ellipsize", PANGO_ELLIPSIZE_NONE, "wrap-mode", PANGO_WRAP_WORD_CHAR,
                "wrap-width", wrap->min_width, NULL);
  /* Its width is set here, not dragged: a dragged width would stay. */
  gtk_tree_view_column_set_resizable (col, FALSE);
  gtk_tree_view_column_set_min_width (col, -1);
  gtk_tree_view_column_set_sizing (col, GTK_TREE_VIEW_COLUMN_FIXED);
  gtk_tree_view_column_set_fixed_width (col, wrap->min_width);
  g_object_set_data_full (G_OBJECT (col), "kc-wrap-column", wrap, wrap_column_free);
  /* The frame is given the page's width; the view inside asks for its own
   * (the new rows' figures among them) and is given it again. */
  g_signal_connect_object (frame, "size-allocate", G_CALLBACK (wrap_column_allocated_cb), col, 0);
  g_signal_connect_object (view, "size-allocate", G_CALLBACK (wrap_column_allocated_cb), col, 0);
}

void
kc_table_two_line_title (GtkTreeView *view, GtkTreeViewColumn *col, const char *sample)
{
  const char *title = gtk_tree_view_column_get_title (col);
  int best = text_width (view, title);
  g_autofree char *text = NULL;
  GtkWidget *label;

  /* Only a title wider than what the column shows. */
  if (best <= text_width (view, sample != NULL ? sample : ""))
    return;
  for (const char *space = strchr (title, ' '); space != NULL; space = strchr (space + 1, ' '))
    {
      g_autofree char *first = g_strndup (title, (gsize)(space - title));
      int width = MAX (text_width (view, first), text_width (view, space + 1));

      if (width < best)
        {
          best = width;
          g_free (text);
          text = g_strdup_printf ("%s\n%s", first, space + 1);
        }
    }
  if (text == NULL)
    return;
  label = gtk_label_new (text);
  gtk_widget_show (label);
  gtk_tree_view_column_set_widget (col, label);
}

void
kc_refill_begin (KcRefill *refill, GtkListStore *store)
{
  GtkTreeSortable *sortable = GTK_TREE_SORTABLE (store);

  refill->filled = 0;
  if (refill->reading)
    return;
  refill->reading = TRUE;
  /* Rows are written by position: a sorted store would move each one as
   * it is written, under the next position. */
  if (!gtk_tree_sortable_get_sort_column_id (sortable, &refill->sort_column, &refill->sort_order))
    refill->sort_column = GTK_TREE_SORTABLE_UNSORTED_SORT_COLUMN_ID;
  else
    gtk_tree_sortable_set_sort_column_id (sortable, GTK_TREE_SORTABLE_UNSORTED_SORT_COLUMN_ID,
                                          GTK_SORT_ASCENDING);
}

void
kc_refill_put (KcRefill *refill, GtkListStore *store, ...)
{
  GtkTreeIter iter;
  va_list args;

  if (!gtk_tree_model_iter_nth_child (GTK_TREE_MODEL (store), &iter, NULL, refill->filled))
    gtk_list_store_append (store, &iter);
  va_start (args, store);
  gtk_list_store_set_valist (store, &iter, args);
  va_end (args);
  refill->filled++;
}

void
kc_refill_end (KcRefill *refill, GtkListStore *store)
{
  GtkTreeIter iter;

  if (gtk_tree_model_iter_nth_child (GTK_TREE_MODEL (store), &iter, NULL, refill->filled))
    while (gtk_list_store_remove (store, &iter))
      ;
  refill->reading = FALSE;
  if (refill->sort_column != GTK_TREE_SORTABLE_UNSORTED_SORT_COLUMN_ID)
    gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (store), refill->sort_column,
                                          refill->sort_order);
}

void
kc_table_page_set_busy (KcTablePage *self, gboolean busy)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);

  priv->busy = MAX (0, priv->busy + (busy ? 1 : -1));
  if (priv->busy > 0)
    gtk_spinner_start (priv->spinner);
  else
    gtk_spinner_stop (priv->spinner);
}

void
kc_table_page_set_count (KcTablePage *self, const char *text)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);

  gtk_label_set_text (priv->count_label, text);
}

void
kc_table_page_show_error (KcTablePage *self, const GError *error, JsonNode *data)
{
  KcWindow *window = kc_window_for_widget (GTK_WIDGET (self));

  if (window != NULL)
    kc_window_show_error (window, error, data);
}

void
kc_table_page_refresh (KcTablePage *self)
{
  KcTablePagePrivate *priv = kc_table_page_get_instance_private (self);

  g_return_if_fail (KC_IS_TABLE_PAGE (self));

  if (!kc_lazy_ready (GTK_WIDGET (self)))
    return;
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  priv->busy = 0;
  gtk_spinner_stop (priv->spinner);
  if (KC_TABLE_PAGE_GET_CLASS (self)->refresh != NULL)
    KC_TABLE_PAGE_GET_CLASS (self)->refresh (self);
}
