/*
 * kc-record-list.h — KcRecordList: a list of records (a GListModel, normally
 * a GListStore of one record type such as KcProjectSummary) shown as the
 * GtkTreeModel a GtkTreeView needs (GTK 3 has no list view over a
 * GListModel). The page keeps its records in the GListStore and changes only
 * that; the adapter follows the list's items-changed and tells the view row
 * by row.
 *
 * Columns are declared once, as a table of {GType, getter}: a column's value
 * is computed from the record when the view asks for it, nothing is copied.
 *
 * An items-changed (position, removed, added) becomes, in this order:
 * row-changed for the first MIN (removed, added) rows (a splice that puts
 * new records in place of as many old ones keeps the rows, so that a view's
 * selection and the accessible cells a screen reader is reading stay), then
 * row-deleted for the removed rows left over or row-inserted for the added
 * ones. The adapter holds a reference to each record shown (its own copy of
 * the list's order), so each signal sees a consistent model.
 *
 * It is a GtkTreeSortable too (a click on a column's header): by a column's
 * values (numbers, booleans; strings by g_utf8_collate, as GtkListStore) or
 * a sort func set for it, equal rows in the list's order; unsorted, the
 * view shows the list's order. A record added or changed goes to its place.
 * (Not a GtkTreeModelSort in front: it moves every row after each one
 * inserted, seconds for a list of 10,000 read a page at a time.)
 *
 * Iters are list-only (GTK_TREE_MODEL_LIST_ONLY): the record's position in
 * the list and the model's stamp. A row inserted or deleted changes the
 * stamp and so ends every iter taken before (the model is not
 * GTK_TREE_MODEL_ITERS_PERSIST); a row changed in place or a new sort does
 * not.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Sets @value (already initialised to the column's type) from @record
 * (borrowed); @user_data is the one given to kc_record_list_new(). */
typedef void (*KcRecordGetFunc) (gpointer record, GValue *value, gpointer user_data);

typedef struct
{
  GType type;
  KcRecordGetFunc get;
} KcRecordColumn;

#define KC_TYPE_RECORD_LIST (kc_record_list_get_type ())
G_DECLARE_FINAL_TYPE (KcRecordList, kc_record_list, KC, RECORD_LIST, GObject)

/* (transfer full): shows @items (a reference is taken) with the @n_columns
 * columns of @columns, which are borrowed and must outlive the adapter
 * (normally a static const table). @user_data (borrowed, nullable) is passed
 * to every getter; it must outlive the adapter too (normally the page that
 * owns it). */
KcRecordList *kc_record_list_new (GListModel *items, const KcRecordColumn *columns, int n_columns,
                                  gpointer user_data);

/* (transfer none): the list shown. */
GListModel *kc_record_list_get_items (KcRecordList *self);

/* Tells the view that every row's values may have changed (a getter reads
 * something besides the record, such as the organisations' names, and that
 * changed); sorted, the rows are sorted again. */
void kc_record_list_changed_all (KcRecordList *self);

/* The record of @iter in @model: the adapter itself or a GtkTreeModelFilter
 * or GtkTreeModelSort (or several) in front of one. (transfer none): owned by
 * the adapter, valid while the row is. */
gpointer kc_record_list_get_record (GtkTreeModel *model, GtkTreeIter *iter);

/* (transfer full, nullable): the path in @model (as for
 * kc_record_list_get_record()) of the record at @position of the adapter's
 * list; NULL if it is not there or a filter hides it. */
GtkTreePath *kc_record_list_path_of (GtkTreeModel *model, guint position);

G_END_DECLS
