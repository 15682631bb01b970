/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-refill.c — KcRefill (pages/kc-table-page.h): a list read again is
 * written over in place, so that a refresh bringing the same rows replaces
 * none (the accessible cells a screen reader or a UI test reads stay: the
 * cause of client-workflow-ui's vanished node), rows the answer no longer
 * has go, and a sort chosen by a header click survives. No display needed:
 * only the GtkListStore.
 */
#include <gtk/gtk.h>

#include "kc-table-page.h"

enum
{
  COL_ID,
  COL_TITLE,
  N_COLUMNS
};

typedef struct
{
  int inserted;
  int deleted;
} Counts;

static void
on_inserted_cb (GtkTreeModel *model, GtkTreePath *path, GtkTreeIter *iter, Counts *counts)
{
  counts->inserted++;
}

static void
on_deleted_cb (GtkTreeModel *model, GtkTreePath *path, Counts *counts)
{
  counts->deleted++;
}

/* Reads @n rows (id, title) into @store as a page of the queue does. */
static void
refill (KcRefill *refill, GtkListStore *store, const gint64 *ids, const char *const *titles, int n)
{
  kc_refill_begin (refill, store);
  for (int i = 0; i < n; i++)
    kc_refill_put (refill, store, COL_ID, ids[i], COL_TITLE, titles[i], -1);
  kc_refill_end (refill, store);
}

/* "id:title,…" in the order shown. */
static char *
titles_of (GtkListStore *store)
{
  GString *out = g_string_new (NULL);
  GtkTreeIter iter;

  for (gboolean valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (store), &iter); valid;
       valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (store), &iter))
    {
      g_autofree char *title = NULL;
      gint64 id;

      gtk_tree_model_get (GTK_TREE_MODEL (store), &iter, COL_ID, &id, COL_TITLE, &title, -1);
      g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%s", out->len > 0 ? "," : "", id, title);
    }
  return g_string_free (out, FALSE);
}

static void
test_same_rows_replace_none (void)
{
  g_autoptr (GtkListStore) store = gtk_list_store_new (N_COLUMNS, G_TYPE_INT64, G_TYPE_STRING);
  const gint64 ids[] = { 1, 2, 3 };
  const char *const titles[] = { "a", "b", "c" };
  KcRefill r = { 0 };
  Counts counts = { 0 };
  g_autofree char *shown = NULL;

  refill (&r, store, ids, titles, 3);
  g_signal_connect (store, "row-inserted", G_CALLBACK (on_inserted_cb), &counts);
  g_signal_connect (store, "row-deleted", G_CALLBACK (on_deleted_cb), &counts);
  refill (&r, store, ids, titles, 3);
  g_assert_cmpint (counts.inserted, ==, 0);
  g_assert_cmpint (counts.deleted, ==, 0);
  shown = titles_of (store);
  g_assert_cmpstr (shown, ==, "1:a,2:b,3:c");
}

static void
test_fewer_and_more_rows (void)
{
  g_autoptr (GtkListStore) store = gtk_list_store_new (N_COLUMNS, G_TYPE_INT64, G_TYPE_STRING);
  const gint64 ids[] = { 1, 2, 3, 4 };
  const char *const titles[] = { "a", "b", "c", "d" };
  KcRefill r = { 0 };
  Counts counts = { 0 };
  g_autofree char *fewer = NULL;
  g_autofree char *more = NULL;

  refill (&r, store, ids, titles, 3);
  g_signal_connect (store, "row-inserted", G_CALLBACK (on_inserted_cb), &counts);
  g_signal_connect (store, "row-deleted", G_CALLBACK (on_deleted_cb), &counts);
  refill (&r, store, ids + 1, titles + 1, 2);
  fewer = titles_of (store);
  g_assert_cmpstr (fewer, ==, "2:b,3:c");
  g_assert_cmpint (counts.deleted, ==, 1);
  refill (&r, store, ids, titles, 4);
  more = titles_of (store);
  g_assert_cmpstr (more, ==, "1:a,2:b,3:c,4:d");
  g_assert_cmpint (counts.inserted, ==, 2);
}

static void
test_header_sort_survives (void)
{
  g_autoptr (GtkListStore) store = gtk_list_store_new (N_COLUMNS, G_TYPE_INT64, G_TYPE_STRING);
  const gint64 ids[] = { 1, 2, 3, 4 };
  const gint64 next_ids[] = { 4, 3, 2, 1 };
  const char *const server_order[] = { "b", "d", "a", "c" };
  const char *const next_order[] = { "a", "d", "c", "b" };
  KcRefill r = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  int column;
  GtkSortType order;

  refill (&r, store, ids, server_order, 4);
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (store), COL_TITLE, GTK_SORT_DESCENDING);
  first = titles_of (store);
  g_assert_cmpstr (first, ==, "2:d,4:c,1:b,3:a");
  /* Written by position, a sorted store would move each row under the
   * next position as it is written: every title must still be there once. */
  refill (&r, store, next_ids, next_order, 4);
  second = titles_of (store);
  g_assert_cmpstr (second, ==, "3:d,2:c,1:b,4:a");
  g_assert_true (gtk_tree_sortable_get_sort_column_id (GTK_TREE_SORTABLE (store), &column, &order));
  g_assert_cmpint (column, ==, COL_TITLE);
  g_assert_cmpint (order, ==, GTK_SORT_DESCENDING);
}

/* A refresh begun while another is under way (an act's, then the event's):
 * the sort set aside by the first is the one applied at the end. */
static void
test_refresh_begun_again (void)
{
  g_autoptr (GtkListStore) store = gtk_list_store_new (N_COLUMNS, G_TYPE_INT64, G_TYPE_STRING);
  const gint64 ids[] = { 1, 2 };
  const char *const titles[] = { "a", "b" };
  KcRefill r = { 0 };
  g_autofree char *shown = NULL;

  refill (&r, store, ids, titles, 2);
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (store), COL_TITLE, GTK_SORT_DESCENDING);
  kc_refill_begin (&r, store);
  kc_refill_put (&r, store, COL_ID, (gint64)1, COL_TITLE, "a", -1);
  refill (&r, store, ids, titles, 2);
  shown = titles_of (store);
  g_assert_cmpstr (shown, ==, "2:b,1:a");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/refill/same-rows-replace-none", test_same_rows_replace_none);
  g_test_add_func ("/refill/fewer-and-more-rows", test_fewer_and_more_rows);
  g_test_add_func ("/refill/header-sort-survives", test_header_sort_survives);
  g_test_add_func ("/refill/refresh-begun-again", test_refresh_begun_again);
  return g_test_run ();
}
