/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-record-list.c — KcRecordList (see the header).
 */
#include "kc-record-list.h"

struct _KcRecordList
{
  GObject parent_instance;

  GListModel *items;
  const KcRecordColumn *columns;
  int n_columns;
  gpointer user_data;
  /* The records as the view knows them (a reference each): the list's order,
   * brought up to date a row at a time as each signal is emitted. */
  GPtrArray *rows;
  int stamp;
};

static void kc_record_list_tree_model_init (GtkTreeModelIface *iface);

G_DEFINE_TYPE_WITH_CODE (KcRecordList, kc_record_list, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (GTK_TYPE_TREE_MODEL,
                                                kc_record_list_tree_model_init))

/* Iters */

static gboolean
set_iter (KcRecordList *self, GtkTreeIter *iter, int index)
{
  if (index < 0 || (guint)index >= self->rows->len)
    {
      iter->stamp = 0;
      return FALSE;
    }
  iter->stamp = self->stamp;
  iter->user_data = GINT_TO_POINTER (index);
  iter->user_data2 = NULL;
  iter->user_data3 = NULL;
  return TRUE;
}

static int
index_of (KcRecordList *self, GtkTreeIter *iter)
{
  g_return_val_if_fail (iter->stamp == self->stamp, -1);
  return GPOINTER_TO_INT (iter->user_data);
}

static GtkTreePath *
path_at (int index)
{
  return gtk_tree_path_new_from_indices (index, -1);
}

/* Following the list */

static void
emit_changed (KcRecordList *self, int index)
{
  g_autoptr (GtkTreePath) path = path_at (index);
  GtkTreeIter iter;

  set_iter (self, &iter, index);
  gtk_tree_model_row_changed (GTK_TREE_MODEL (self), path, &iter);
}

static void
replace_row (KcRecordList *self, guint index)
{
  gpointer record = g_list_model_get_item (self->items, index);
  gpointer old = g_ptr_array_index (self->rows, index);

  g_ptr_array_index (self->rows, index) = record;
  g_object_unref (old);
  emit_changed (self, (int)index);
}

static void
delete_row (KcRecordList *self, guint index)
{
  g_autoptr (GtkTreePath) path = path_at ((int)index);

  g_ptr_array_remove_index (self->rows, index);
  self->stamp++;
  gtk_tree_model_row_deleted (GTK_TREE_MODEL (self), path);
}

static void
insert_row (KcRecordList *self, guint index)
{
  g_autoptr (GtkTreePath) path = path_at ((int)index);
  GtkTreeIter iter;

  g_ptr_array_insert (self->rows, (int)index, g_list_model_get_item (self->items, index));
  self->stamp++;
  set_iter (self, &iter, (int)index);
  gtk_tree_model_row_inserted (GTK_TREE_MODEL (self), path, &iter);
}

static void
items_changed_cb (GListModel *items, guint position, guint removed, guint added, gpointer user_data)
{
  KcRecordList *self = user_data;
  guint kept = MIN (removed, added);

  for (guint i = 0; i < kept; i++)
    replace_row (self, position + i);
  for (guint i = kept; i < removed; i++)
    delete_row (self, position + kept);
  for (guint i = kept; i < added; i++)
    insert_row (self, position + i);
}

/* GtkTreeModel */

static GtkTreeModelFlags
get_flags (GtkTreeModel *model)
{
  return GTK_TREE_MODEL_LIST_ONLY;
}

static int
get_n_columns (GtkTreeModel *model)
{
  return KC_RECORD_LIST (model)->n_columns;
}

static GType
get_column_type (GtkTreeModel *model, int column)
{
  KcRecordList *self = KC_RECORD_LIST (model);

  g_return_val_if_fail (column >= 0 && column < self->n_columns, G_TYPE_INVALID);
  return self->columns[column].type;
}

static gboolean
get_iter (GtkTreeModel *model, GtkTreeIter *iter, GtkTreePath *path)
{
  int depth;
  int *indices = gtk_tree_path_get_indices_with_depth (path, &depth);

  if (depth != 1)
    {
      iter->stamp = 0;
      return FALSE;
    }
  return set_iter (KC_RECORD_LIST (model), iter, indices[0]);
}

static GtkTreePath *
get_path (GtkTreeModel *model, GtkTreeIter *iter)
{
  int index = index_of (KC_RECORD_LIST (model), iter);

  return index >= 0 ? path_at (index) : NULL;
}

static void
get_value (GtkTreeModel *model, GtkTreeIter *iter, int column, GValue *value)
{
  KcRecordList *self = KC_RECORD_LIST (model);
  int index = index_of (self, iter);

  g_return_if_fail (column >= 0 && column < self->n_columns);
  g_value_init (value, self->columns[column].type);
  if (index >= 0 && (guint)index < self->rows->len)
    self->columns[column].get (g_ptr_array_index (self->rows, index), value, self->user_data);
}

static gboolean
iter_next (GtkTreeModel *model, GtkTreeIter *iter)
{
  KcRecordList *self = KC_RECORD_LIST (model);
  int index = index_of (self, iter);

  return set_iter (self, iter, index >= 0 ? index + 1 : -1);
}

static gboolean
iter_previous (GtkTreeModel *model, GtkTreeIter *iter)
{
  KcRecordList *self = KC_RECORD_LIST (model);
  int index = index_of (self, iter);

  return set_iter (self, iter, index > 0 ? index - 1 : -1);
}

static gboolean
iter_nth_child (GtkTreeModel *model, GtkTreeIter *iter, GtkTreeIter *parent, int n)
{
  if (parent != NULL)
    {
      iter->stamp = 0;
      return FALSE;
    }
  return set_iter (KC_RECORD_LIST (model), iter, n);
}

static gboolean
iter_children (GtkTreeModel *model, GtkTreeIter *iter, GtkTreeIter *parent)
{
  return iter_nth_child (model, iter, parent, 0);
}

static gboolean
iter_has_child (GtkTreeModel *model, GtkTreeIter *iter)
{
  return FALSE;
}

static int
iter_n_children (GtkTreeModel *model, GtkTreeIter *iter)
{
  return iter == NULL ? (int)KC_RECORD_LIST (model)->rows->len : 0;
}

static gboolean
iter_parent (GtkTreeModel *model, GtkTreeIter *iter, GtkTreeIter *child)
{
  iter->stamp = 0;
  return FALSE;
}

static void
kc_record_list_tree_model_init (GtkTreeModelIface *iface)
{
  iface->get_flags = get_flags;
  iface->get_n_columns = get_n_columns;
  iface->get_column_type = get_column_type;
  iface->get_iter = get_iter;
  iface->get_path = get_path;
  iface->get_value = get_value;
  iface->iter_next = iter_next;
  iface->iter_previous = iter_previous;
  iface->iter_children = iter_children;
  iface->iter_has_child = iter_has_child;
  iface->iter_n_children = iter_n_children;
  iface->iter_nth_child = iter_nth_child;
  iface->iter_parent = iter_parent;
}

/* GObject overrides */

static void
kc_record_list_dispose (GObject *object)
{
  KcRecordList *self = KC_RECORD_LIST (object);

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_data (self->items, self);
  g_clear_object (&self->items);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (kc_record_list_parent_class)->dispose (object);
}

static void
kc_record_list_class_init (KcRecordListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kc_record_list_dispose;
}

static void
kc_record_list_init (KcRecordList *self)
{
  self->stamp = g_random_int_range (1, G_MAXINT32);
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Public API */

KcRecordList *
kc_record_list_new (GListModel *items, const KcRecordColumn *columns, int n_columns,
                    gpointer user_data)
{
  KcRecordList *self;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (items), NULL);
  g_return_val_if_fail (columns != NULL && n_columns > 0, NULL);

  self = g_object_new (KC_TYPE_RECORD_LIST, NULL);
  self->items = g_object_ref (items);
  self->columns = columns;
  self->n_columns = n_columns;
  self->user_data = user_data;
  n = g_list_model_get_n_items (items);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->rows, g_list_model_get_item (items, i));
  g_signal_connect_object (items, "items-changed", G_CALLBACK (items_changed_cb), self, 0);
  return self;
}

GListModel *
kc_record_list_get_items (KcRecordList *self)
{
  g_return_val_if_fail (KC_IS_RECORD_LIST (self), NULL);
  return self->items;
}

void
kc_record_list_changed_all (KcRecordList *self)
{
  g_return_if_fail (KC_IS_RECORD_LIST (self));
  for (guint i = 0; i < self->rows->len; i++)
    emit_changed (self, (int)i);
}

gpointer
kc_record_list_get_record (GtkTreeModel *model, GtkTreeIter *iter)
{
  GtkTreeIter child;
  int index;

  if (GTK_IS_TREE_MODEL_SORT (model))
    {
      gtk_tree_model_sort_convert_iter_to_child_iter (GTK_TREE_MODEL_SORT (model), &child, iter);
      return kc_record_list_get_record (gtk_tree_model_sort_get_model (GTK_TREE_MODEL_SORT (model)),
                                        &child);
    }
  if (GTK_IS_TREE_MODEL_FILTER (model))
    {
      gtk_tree_model_filter_convert_iter_to_child_iter (GTK_TREE_MODEL_FILTER (model), &child,
                                                        iter);
      return kc_record_list_get_record (
          gtk_tree_model_filter_get_model (GTK_TREE_MODEL_FILTER (model)), &child);
    }
  g_return_val_if_fail (KC_IS_RECORD_LIST (model), NULL);
  index = index_of (KC_RECORD_LIST (model), iter);
  if (index < 0 || (guint)index >= KC_RECORD_LIST (model)->rows->len)
    return NULL;
  return g_ptr_array_index (KC_RECORD_LIST (model)->rows, index);
}

GtkTreePath *
kc_record_list_path_of (GtkTreeModel *model, guint position)
{
  g_autoptr (GtkTreePath) child = NULL;

  if (GTK_IS_TREE_MODEL_SORT (model))
    {
      child = kc_record_list_path_of (gtk_tree_model_sort_get_model (GTK_TREE_MODEL_SORT (model)),
                                      position);
      return child != NULL ? gtk_tree_model_sort_convert_child_path_to_path (
                 GTK_TREE_MODEL_SORT (model), child)
                           : NULL;
    }
  if (GTK_IS_TREE_MODEL_FILTER (model))
    {
      child = kc_record_list_path_of (
          gtk_tree_model_filter_get_model (GTK_TREE_MODEL_FILTER (model)), position);
      return child != NULL ? gtk_tree_model_filter_convert_child_path_to_path (
                 GTK_TREE_MODEL_FILTER (model), child)
                           : NULL;
    }
  g_return_val_if_fail (KC_IS_RECORD_LIST (model), NULL);
  if (position >= KC_RECORD_LIST (model)->rows->len)
    return NULL;
  return path_at ((int)position);
}
