/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-record-list.c — KcRecordList (see the header).
 */
#include "kc-record-list.h"

typedef struct
{
  GtkTreeIterCompareFunc func;
  gpointer data;
  GDestroyNotify destroy;
} SortFunc;

struct _KcRecordList
{
  GObject parent_instance;

  GListModel *items;
  const KcRecordColumn *columns;
  int n_columns;
  gpointer user_data;
  /* The records as the view knows them (a reference each), in the list's
   * order, brought up to date a row at a time as each signal is emitted. An
   * iter holds an index into @rows. */
  GPtrArray *rows;
  /* While sorted: the index in @rows of each row of the view (@order) and
   * the row of the view of each index (@where); NULL while the view shows
   * the list's order. */
  GArray *order;
  GArray *where;
  int sort_column_id;
  GtkSortType sort_type;
  SortFunc *sort_funcs; /* one per column */
  SortFunc default_sort;
  int stamp;
};

static void kc_record_list_tree_model_init (GtkTreeModelIface *iface);
static void kc_record_list_tree_sortable_init (GtkTreeSortableIface *iface);

G_DEFINE_TYPE_WITH_CODE (KcRecordList, kc_record_list, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (GTK_TYPE_TREE_MODEL, kc_record_list_tree_model_init)
                             G_IMPLEMENT_INTERFACE (GTK_TYPE_TREE_SORTABLE,
                                                    kc_record_list_tree_sortable_init))

#define UINT_AT(array, i) g_array_index ((array), guint, (i))

/* Rows and indexes */

static guint
view_of (KcRecordList *self, guint index)
{
  return self->order != NULL ? UINT_AT (self->where, index) : index;
}

static guint
index_at (KcRecordList *self, guint row)
{
  return self->order != NULL ? UINT_AT (self->order, row) : row;
}

/* @where again for the rows of the view from @from on. */
static void
renumber (KcRecordList *self, guint from)
{
  for (guint k = from; k < self->order->len; k++)
    UINT_AT (self->where, UINT_AT (self->order, k)) = k;
}

static void
set_iter_index (KcRecordList *self, GtkTreeIter *iter, guint index)
{
  iter->stamp = self->stamp;
  iter->user_data = GUINT_TO_POINTER (index);
  iter->user_data2 = NULL;
  iter->user_data3 = NULL;
}

/* The iter of row @row of the view, FALSE past the end. */
static gboolean
set_iter (KcRecordList *self, GtkTreeIter *iter, int row)
{
  if (row < 0 || (guint)row >= self->rows->len)
    {
      iter->stamp = 0;
      return FALSE;
    }
  set_iter_index (self, iter, index_at (self, (guint)row));
  return TRUE;
}

/* The index in @rows of @iter, or -1 for an iter not of this model now. */
static int
index_of (KcRecordList *self, GtkTreeIter *iter)
{
  g_return_val_if_fail (iter->stamp == self->stamp, -1);
  return GPOINTER_TO_INT (iter->user_data);
}

static GtkTreePath *
path_at (guint row)
{
  return gtk_tree_path_new_from_indices ((int)row, -1);
}

/* Sorting */

static int
compare_values (const GValue *a, const GValue *b)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (a)))
    {
      case G_TYPE_BOOLEAN:
        return (int)g_value_get_boolean (a) - (int)g_value_get_boolean (b);
      case G_TYPE_INT:
        return (g_value_get_int (a) > g_value_get_int (b))
               - (g_value_get_int (a) < g_value_get_int (b));
      case G_TYPE_INT64:
        return (g_value_get_int64 (a) > g_value_get_int64 (b))
               - (g_value_get_int64 (a) < g_value_get_int64 (b));
      case G_TYPE_DOUBLE:
        return (g_value_get_double (a) > g_value_get_double (b))
               - (g_value_get_double (a) < g_value_get_double (b));
      case G_TYPE_STRING:
        /* As GtkListStore: NULL first, then g_utf8_collate. */
        if (g_value_get_string (a) == NULL || g_value_get_string (b) == NULL)
          return (g_value_get_string (a) != NULL) - (g_value_get_string (b) != NULL);
        return g_utf8_collate (g_value_get_string (a), g_value_get_string (b));
      default:
        return 0;
    }
}

/* The column's values compared, the default of a column without a sort func. */
static int
compare_column (KcRecordList *self, int column, guint a, guint b)
{
  GValue va = G_VALUE_INIT;
  GValue vb = G_VALUE_INIT;
  int result;

  g_value_init (&va, self->columns[column].type);
  g_value_init (&vb, self->columns[column].type);
  self->columns[column].get (g_ptr_array_index (self->rows, a), &va, self->user_data);
  self->columns[column].get (g_ptr_array_index (self->rows, b), &vb, self->user_data);
  result = compare_values (&va, &vb);
  g_value_unset (&va);
  g_value_unset (&vb);
  return result;
}

/* The records at indexes @a and @b in the sort chosen; equal ones in the
 * list's order. */
static int
compare_indexes (KcRecordList *self, guint a, guint b)
{
  const SortFunc *sort
      = self->sort_column_id >= 0 ? &self->sort_funcs[self->sort_column_id] : &self->default_sort;
  int result;

  if (sort->func != NULL)
    {
      GtkTreeIter ia, ib;

      set_iter_index (self, &ia, a);
      set_iter_index (self, &ib, b);
      result = sort->func (GTK_TREE_MODEL (self), &ia, &ib, sort->data);
    }
  else if (self->sort_column_id >= 0)
    result = compare_column (self, self->sort_column_id, a, b);
  else
    result = 0;
  if (self->sort_type == GTK_SORT_DESCENDING)
    result = -result;
  return result != 0 ? result : (a > b) - (a < b);
}

static int
compare_indexes_cb (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return compare_indexes (user_data, *(const guint *)a, *(const guint *)b);
}

/* Where in the sorted view the record at @index goes (not in @order yet). */
static guint
sorted_row (KcRecordList *self, guint index)
{
  guint low = 0, high = self->order->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (compare_indexes (self, UINT_AT (self->order, mid), index) < 0)
        low = mid + 1;
      else
        high = mid;
    }
  return low;
}

/* Tells the view the new order: @old_row[k] is where row k was before
 * (transfer full). */
static void
emit_reordered (KcRecordList *self, int *old_row)
{
  g_autoptr (GtkTreePath) path = gtk_tree_path_new ();

  if (self->rows->len > 0)
    gtk_tree_model_rows_reordered (GTK_TREE_MODEL (self), path, NULL, old_row);
  g_free (old_row);
}

/* The view in the list's order again. */
static void
unsort (KcRecordList *self)
{
  int *old_row = g_new (int, MAX (self->rows->len, 1));

  for (guint k = 0; k < self->rows->len; k++)
    old_row[k] = (int)UINT_AT (self->where, k);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->where, g_array_unref);
  emit_reordered (self, old_row);
}

/* The whole view sorted again (after a change of sort). */
static void
sort (KcRecordList *self)
{
  int *old_row = g_new (int, MAX (self->rows->len, 1));

  if (self->order == NULL)
    {
      self->order = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->rows->len);
      self->where = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->rows->len);
      for (guint k = 0; k < self->rows->len; k++)
        {
          g_array_append_val (self->order, k);
          g_array_append_val (self->where, k);
        }
    }
  g_array_sort_with_data (self->order, compare_indexes_cb, self);
  for (guint k = 0; k < self->rows->len; k++)
    old_row[k] = (int)UINT_AT (self->where, UINT_AT (self->order, k));
  renumber (self, 0);
  emit_reordered (self, old_row);
}

/* The record at @index changed: it moves to its place in the sort. */
static void
resort_row (KcRecordList *self, guint index)
{
  guint from = view_of (self, index);
  guint to;
  int *old_row;

  g_array_remove_index (self->order, from);
  to = sorted_row (self, index);
  g_array_insert_val (self->order, to, index);
  if (to == from)
    return;
  old_row = g_new (int, self->rows->len);
  for (guint k = 0; k < self->rows->len; k++)
    old_row[k] = (int)UINT_AT (self->where, UINT_AT (self->order, k));
  renumber (self, MIN (from, to));
  emit_reordered (self, old_row);
}

/* Following the list */

/* The list's record at @index now in place of the one before. */
static void
put_record (KcRecordList *self, guint index)
{
  gpointer old = g_ptr_array_index (self->rows, index);

  g_ptr_array_index (self->rows, index) = g_list_model_get_item (self->items, index);
  g_object_unref (old);
}

static void
emit_changed (KcRecordList *self, guint index)
{
  g_autoptr (GtkTreePath) path = path_at (view_of (self, index));
  GtkTreeIter iter;

  set_iter_index (self, &iter, index);
  gtk_tree_model_row_changed (GTK_TREE_MODEL (self), path, &iter);
}

/* @n records from @position put in place of as many: their rows change (and
 * move to their place in the sort; several at once, all sorted again). */
static void
replace_rows (KcRecordList *self, guint position, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      put_record (self, position + i);
      if (self->order != NULL && n == 1)
        resort_row (self, position);
    }
  if (self->order != NULL && n > 1)
    sort (self);
  for (guint i = 0; i < n; i++)
    emit_changed (self, position + i);
}

/* The indexes from @index on moved by @by (a row inserted or deleted). */
static void
shift_indexes (KcRecordList *self, guint index, int by)
{
  for (guint k = 0; k < self->order->len; k++)
    if (UINT_AT (self->order, k) >= index)
      UINT_AT (self->order, k) += by;
}

static void
delete_row (KcRecordList *self, guint index)
{
  guint row = view_of (self, index);
  g_autoptr (GtkTreePath) path = path_at (row);

  g_ptr_array_remove_index (self->rows, index);
  if (self->order != NULL)
    {
      g_array_remove_index (self->order, row);
      g_array_remove_index (self->where, index);
      if (index < self->rows->len) /* not the last */
        shift_indexes (self, index + 1, -1);
      renumber (self, row);
    }
  self->stamp++;
  gtk_tree_model_row_deleted (GTK_TREE_MODEL (self), path);
}

static void
insert_row (KcRecordList *self, guint index)
{
  g_autoptr (GtkTreePath) path = NULL;
  guint row = index;
  GtkTreeIter iter;

  g_ptr_array_insert (self->rows, (int)index, g_list_model_get_item (self->items, index));
  if (self->order != NULL)
    {
      if (index + 1 < self->rows->len) /* not appended */
        shift_indexes (self, index, 1);
      g_array_insert_val (self->where, index, row);
      row = sorted_row (self, index);
      g_array_insert_val (self->order, row, index);
      renumber (self, row);
    }
  self->stamp++;
  path = path_at (row);
  set_iter_index (self, &iter, index);
  gtk_tree_model_row_inserted (GTK_TREE_MODEL (self), path, &iter);
}

static void
items_changed_cb (GListModel *items, guint position, guint removed, guint added, gpointer user_data)
{
  KcRecordList *self = user_data;
  guint kept = MIN (removed, added);

  replace_rows (self, position, kept);
  /* From the last: nothing after a deleted row moves (remove_all). */
  for (guint i = removed; i > kept; i--)
    delete_row (self, position + i - 1);
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
  KcRecordList *self = KC_RECORD_LIST (model);
  int index = index_of (self, iter);

  return index >= 0 ? path_at (view_of (self, (guint)index)) : NULL;
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

/* @iter moved @by rows of the view. */
static gboolean
step (KcRecordList *self, GtkTreeIter *iter, int by)
{
  int index = index_of (self, iter);

  return set_iter (self, iter, index >= 0 ? (int)view_of (self, (guint)index) + by : -1);
}

static gboolean
iter_next (GtkTreeModel *model, GtkTreeIter *iter)
{
  return step (KC_RECORD_LIST (model), iter, 1);
}

static gboolean
iter_previous (GtkTreeModel *model, GtkTreeIter *iter)
{
  return step (KC_RECORD_LIST (model), iter, -1);
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

/* GtkTreeSortable */

static gboolean
get_sort_column_id (GtkTreeSortable *sortable, int *sort_column_id, GtkSortType *order)
{
  KcRecordList *self = KC_RECORD_LIST (sortable);

  if (sort_column_id != NULL)
    *sort_column_id = self->sort_column_id;
  if (order != NULL)
    *order = self->sort_type;
  return self->sort_column_id >= 0;
}

static void
set_sort_column_id (GtkTreeSortable *sortable, int sort_column_id, GtkSortType order)
{
  KcRecordList *self = KC_RECORD_LIST (sortable);

  g_return_if_fail (sort_column_id < self->n_columns);
  if (self->sort_column_id == sort_column_id && self->sort_type == order)
    return;
  self->sort_column_id = sort_column_id;
  self->sort_type = order;
  gtk_tree_sortable_sort_column_changed (sortable);
  if (sort_column_id >= 0
      || (sort_column_id == GTK_TREE_SORTABLE_DEFAULT_SORT_COLUMN_ID
          && self->default_sort.func != NULL))
    sort (self);
  else if (self->order != NULL)
    unsort (self);
}

static void
clear_sort_func (SortFunc *sort)
{
  if (sort->destroy != NULL)
    sort->destroy (sort->data);
  *sort = (SortFunc){ NULL, NULL, NULL };
}

static void
set_sort_func (GtkTreeSortable *sortable, int sort_column_id, GtkTreeIterCompareFunc func,
               gpointer data, GDestroyNotify destroy)
{
  KcRecordList *self = KC_RECORD_LIST (sortable);

  g_return_if_fail (sort_column_id >= 0 && sort_column_id < self->n_columns);
  clear_sort_func (&self->sort_funcs[sort_column_id]);
  self->sort_funcs[sort_column_id] = (SortFunc){ func, data, destroy };
  if (self->sort_column_id == sort_column_id)
    sort (self);
}

static void
set_default_sort_func (GtkTreeSortable *sortable, GtkTreeIterCompareFunc func, gpointer data,
                       GDestroyNotify destroy)
{
  KcRecordList *self = KC_RECORD_LIST (sortable);

  clear_sort_func (&self->default_sort);
  self->default_sort = (SortFunc){ func, data, destroy };
  if (self->sort_column_id == GTK_TREE_SORTABLE_DEFAULT_SORT_COLUMN_ID)
    {
      if (func != NULL)
        sort (self);
      else if (self->order != NULL)
        unsort (self);
    }
}

static gboolean
has_default_sort_func (GtkTreeSortable *sortable)
{
  return KC_RECORD_LIST (sortable)->default_sort.func != NULL;
}

static void
kc_record_list_tree_sortable_init (GtkTreeSortableIface *iface)
{
  iface->get_sort_column_id = get_sort_column_id;
  iface->set_sort_column_id = set_sort_column_id;
  iface->set_sort_func = set_sort_func;
  iface->set_default_sort_func = set_default_sort_func;
  iface->has_default_sort_func = has_default_sort_func;
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
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->where, g_array_unref);
  for (int i = 0; self->sort_funcs != NULL && i < self->n_columns; i++)
    clear_sort_func (&self->sort_funcs[i]);
  g_clear_pointer (&self->sort_funcs, g_free);
  clear_sort_func (&self->default_sort);
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
  self->sort_column_id = GTK_TREE_SORTABLE_UNSORTED_SORT_COLUMN_ID;
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
  self->sort_funcs = g_new0 (SortFunc, n_columns);
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
  /* The values sorted by may be among those changed. */
  if (self->order != NULL)
    sort (self);
  for (guint index = 0; index < self->rows->len; index++)
    emit_changed (self, index);
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
  return path_at (view_of (KC_RECORD_LIST (model), position));
}
