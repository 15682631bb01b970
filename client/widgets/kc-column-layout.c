/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-column-layout.c — remembered column widths and sort order of a list.
 *
 * One GSettings value for all lists, a{s(aiii)}: list name → (widths by
 * column position, sort column id or -1, GtkSortType).
 */
#include "kc-column-layout.h"

#include "kc-application.h"

#define KEY "column-layout"
/* A resize by hand notifies the width many times: write once it settles. */
#define SAVE_DELAY_MS 600

typedef struct
{
  GtkTreeView *view; /* not owned: the layout ends with the view's destroy */
  char *name;
  guint save_id;
} Layout;

static GSettings *
settings (void)
{
  GApplication *app = g_application_get_default ();

  return KC_IS_APPLICATION (app) ? kc_application_get_settings (KC_APPLICATION (app)) : NULL;
}

static GtkTreeSortable *
sortable_of (GtkTreeView *view)
{
  GtkTreeModel *model = gtk_tree_view_get_model (view);

  /* A filter in front of the store (organisations): the store sorts. */
  if (GTK_IS_TREE_MODEL_FILTER (model))
    model = gtk_tree_model_filter_get_model (GTK_TREE_MODEL_FILTER (model));
  return GTK_IS_TREE_SORTABLE (model) ? GTK_TREE_SORTABLE (model) : NULL;
}

static GVariant *
current (Layout *layout)
{
  GVariantBuilder widths;
  GtkTreeSortable *sortable = sortable_of (layout->view);
  int id = -1;
  GtkSortType order = GTK_SORT_ASCENDING;
  int n = (int)gtk_tree_view_get_n_columns (layout->view);

  g_variant_builder_init (&widths, G_VARIANT_TYPE ("ai"));
  for (int i = 0; i < n; i++)
    g_variant_builder_add (
        &widths, "i", gtk_tree_view_column_get_width (gtk_tree_view_get_column (layout->view, i)));
  if (sortable == NULL || !gtk_tree_sortable_get_sort_column_id (sortable, &id, &order) || id < 0)
    id = -1;
  return g_variant_new ("(@aiii)", g_variant_builder_end (&widths), id, (int)order);
}

static void
save (Layout *layout)
{
  GSettings *s = settings ();
  g_autoptr (GVariant) old = NULL;
  g_autoptr (GVariant) mine = NULL;
  g_autoptr (GVariant) kept = NULL;
  GVariantBuilder all;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (s == NULL || !gtk_widget_get_realized (GTK_WIDGET (layout->view)))
    return;
  old = g_settings_get_value (s, KEY);
  mine = g_variant_ref_sink (current (layout));
  kept = g_variant_lookup_value (old, layout->name, G_VARIANT_TYPE ("(aiii)"));
  if (kept != NULL && g_variant_equal (kept, mine))
    return;
  g_variant_builder_init (&all, G_VARIANT_TYPE ("a{s(aiii)}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s@(aiii)}", &name, &value))
    {
      if (!g_str_equal (name, layout->name))
        g_variant_builder_add (&all, "{s@(aiii)}", name, value);
      g_variant_unref (value);
    }
  g_variant_builder_add (&all, "{s@(aiii)}", layout->name, mine);
  g_settings_set_value (s, KEY, g_variant_builder_end (&all));
}

static gboolean
save_cb (gpointer data)
{
  Layout *layout = data;

  layout->save_id = 0;
  save (layout);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (Layout *layout)
{
  if (layout->save_id == 0)
    layout->save_id = g_timeout_add (SAVE_DELAY_MS, save_cb, layout);
}

/* Closing the list (or logging out) must not lose a resize just made. */
static void
on_unmap_cb (Layout *layout)
{
  if (layout->save_id != 0)
    {
      g_source_remove (layout->save_id);
      layout->save_id = 0;
      save (layout);
    }
}

/* The store may outlive the view (the page keeps it): every handler on
 * layout goes before the layout does, while the columns are still there. */
static void
on_destroy_cb (Layout *layout)
{
  GtkTreeSortable *sortable = sortable_of (layout->view);

  for (guint i = 0; i < gtk_tree_view_get_n_columns (layout->view); i++)
    g_signal_handlers_disconnect_by_data (gtk_tree_view_get_column (layout->view, (int)i), layout);
  if (sortable != NULL)
    g_signal_handlers_disconnect_by_data (sortable, layout);
  g_signal_handlers_disconnect_by_data (layout->view, layout);
  g_clear_handle_id (&layout->save_id, g_source_remove);
  g_free (layout->name);
  g_free (layout);
}

static void
restore (Layout *layout)
{
  GSettings *s = settings ();
  g_autoptr (GVariant) old = g_settings_get_value (s, KEY);
  g_autoptr (GVariant) widths = NULL;
  GtkTreeSortable *sortable = sortable_of (layout->view);
  int id, order;
  gsize n = 0;
  const gint32 *w;

  if (!g_variant_lookup (old, layout->name, "(@aiii)", &widths, &id, &order))
    return;
  w = g_variant_get_fixed_array (widths, &n, sizeof (gint32));
  for (gsize i = 0; i < n && i < gtk_tree_view_get_n_columns (layout->view); i++)
    {
      GtkTreeViewColumn *col = gtk_tree_view_get_column (layout->view, (int)i);

      if (w[i] > 0 && w[i] < 5000 && !gtk_tree_view_column_get_expand (col))
        {
          gtk_tree_view_column_set_sizing (col, GTK_TREE_VIEW_COLUMN_FIXED);
          gtk_tree_view_column_set_fixed_width (col, w[i]);
        }
    }
  if (sortable != NULL && id >= 0 && (order == GTK_SORT_ASCENDING || order == GTK_SORT_DESCENDING))
    gtk_tree_sortable_set_sort_column_id (sortable, id, (GtkSortType)order);
}

void
kc_column_layout_remember (GtkTreeView *view, const char *name)
{
  Layout *layout;
  GtkTreeSortable *sortable;

  g_return_if_fail (GTK_IS_TREE_VIEW (view) && name != NULL);
  if (settings () == NULL)
    return;
  layout = g_new0 (Layout, 1);
  layout->view = view;
  layout->name = g_strdup (name);
  restore (layout);
  for (guint i = 0; i < gtk_tree_view_get_n_columns (view); i++)
    g_signal_connect_swapped (gtk_tree_view_get_column (view, (int)i), "notify::width",
                              G_CALLBACK (schedule_save), layout);
  sortable = sortable_of (view);
  if (sortable != NULL)
    g_signal_connect_swapped (sortable, "sort-column-changed", G_CALLBACK (schedule_save), layout);
  g_signal_connect_swapped (view, "unmap", G_CALLBACK (on_unmap_cb), layout);
  g_signal_connect_swapped (view, "destroy", G_CALLBACK (on_destroy_cb), layout);
}
