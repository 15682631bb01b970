/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-review-page.c — KcReviewPage: review.queue.
 */
#include "kc-review-page.h"

#include <glib/gi18n.h>

#include "kc-labels.h"
#include "kc-project-editor.h"

enum
{
  COL_ID,
  COL_POSITION,
  COL_CODE,
  COL_TITLE,
  COL_STAGE,
  COL_LATE,
  COL_SUBMISSION,
  COL_SCORE,
  COL_TOTAL,
  COL_TOTAL_TEXT,
  N_COLUMNS
};

struct _KcReviewPage
{
  KcTablePage parent_instance;

  GtkListStore *store;
};

G_DEFINE_TYPE (KcReviewPage, kc_review_page, KC_TYPE_TABLE_PAGE)

static void fetch_page (KcReviewPage *self, const char *cursor);

static void
queue_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReviewPage *self = user_data;
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  JsonObject *object;
  JsonArray *items;
  const char *next;
  int n;
  g_autofree char *count = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_table_page_set_busy (page, FALSE);
  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error != NULL)
        kc_table_page_show_error (page, error, data);
      return;
    }
  object = json_node_get_object (reply);
  items = json_object_get_array_member (object, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *p = json_array_get_object_element (items, i);
      JsonObject *rank = json_object_get_object_member (p, "rank");
      JsonNode *score = rank != NULL ? json_object_get_member (rank, "average_score") : NULL;
      g_autofree char *score_text = score != NULL && !json_node_is_null (score)
                                        ? g_strdup_printf ("%.1f", json_node_get_double (score))
                                        : g_strdup ("");
      gint64 total = json_object_get_int_member_with_default (p, "total", 0);
      g_autofree char *total_text = kc_label_money (total);

      gtk_list_store_insert_with_values (
          self->store, NULL, -1, COL_ID, json_object_get_int_member_with_default (p, "id", 0),
          COL_POSITION, (int)json_object_get_int_member_with_default (p, "position", 0), COL_CODE,
          json_object_get_string_member_with_default (p, "code", ""), COL_TITLE,
          json_object_get_string_member_with_default (p, "title", ""), COL_STAGE,
          kc_label_stage (json_object_get_string_member_with_default (p, "stage", "")), COL_LATE,
          json_object_get_boolean_member_with_default (p, "late", FALSE) ? _ ("Late") : "",
          COL_SUBMISSION, (int)json_object_get_int_member_with_default (p, "submission", 1),
          COL_SCORE, score_text, COL_TOTAL, total, COL_TOTAL_TEXT, total_text, -1);
    }
  n = gtk_tree_model_iter_n_children (GTK_TREE_MODEL (self->store), NULL);
  count = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%d project to appraise", "%d projects to appraise", n), n);
  kc_table_page_set_count (page, count);
  next = json_object_get_string_member_with_default (object, "next_cursor", NULL);
  if (next != NULL)
    fetch_page (self, next);
}

static void
fetch_page (KcReviewPage *self, const char *cursor)
{
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonObject) params = json_object_new ();
  g_autoptr (JsonNode) node = NULL;

  json_object_set_int_member (params, "limit", 200);
  if (cursor != NULL)
    json_object_set_string_member (params, "cursor", cursor);
  node = json_node_init_object (json_node_alloc (), params);
  kc_table_page_set_busy (page, TRUE);
  kc_session_call_async (kc_table_page_get_session (page), "review.queue", node,
                         kc_table_page_get_cancellable (page), queue_done_cb, self);
}

static void
kc_review_page_refresh (KcTablePage *page)
{
  KcReviewPage *self = KC_REVIEW_PAGE (page);

  gtk_list_store_clear (self->store);
  fetch_page (self, NULL);
}

static void
kc_review_page_event (KcTablePage *page, const char *topic, JsonNode *params)
{
  /* Any project's move may enter or leave the queue or change its order. */
  if (g_str_equal (topic, "project"))
    kc_table_page_refresh (page);
}

static void
kc_review_page_activated (KcTablePage *page, GtkTreeIter *iter)
{
  KcReviewPage *self = KC_REVIEW_PAGE (page);
  gint64 id;

  gtk_tree_model_get (GTK_TREE_MODEL (self->store), iter, COL_ID, &id, -1);
  kc_project_editor_open (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                          kc_table_page_get_session (page), id, 0);
}

static void
kc_review_page_dispose (GObject *object)
{
  g_clear_object (&KC_REVIEW_PAGE (object)->store);
  G_OBJECT_CLASS (kc_review_page_parent_class)->dispose (object);
}

static void
kc_review_page_class_init (KcReviewPageClass *klass)
{
  KcTablePageClass *page_class = KC_TABLE_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kc_review_page_dispose;
  page_class->refresh = kc_review_page_refresh;
  page_class->event = kc_review_page_event;
  page_class->activated = kc_review_page_activated;
}

static void
kc_review_page_init (KcReviewPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);

  self->store = gtk_list_store_new (N_COLUMNS, G_TYPE_INT64, G_TYPE_INT, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT,
                                    G_TYPE_STRING, G_TYPE_INT64, G_TYPE_STRING);
  gtk_tree_view_set_model (kc_table_page_get_view (page), GTK_TREE_MODEL (self->store));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (kc_table_page_get_view (page))),
                       _ ("Appraisal queue"));
  kc_table_page_add_column (page, _ ("Order"), COL_POSITION, COL_POSITION, FALSE, 1);
  kc_table_page_add_column (page, _ ("Code"), COL_CODE, COL_CODE, FALSE, 0);
  kc_table_page_add_column (page, _ ("Title"), COL_TITLE, COL_TITLE, TRUE, 0);
  kc_table_page_add_column (page, _ ("Stage"), COL_STAGE, COL_STAGE, FALSE, 0);
  kc_table_page_add_column (page, _ ("Submission"), COL_SUBMISSION, COL_SUBMISSION, FALSE, 1);
  kc_table_page_add_column (page, _ ("Average score"), COL_SCORE, COL_SCORE, FALSE, 1);
  kc_table_page_add_column (page, _ ("Late"), COL_LATE, COL_LATE, FALSE, 0);
  kc_table_page_add_column (page, _ ("Total"), COL_TOTAL_TEXT, COL_TOTAL, FALSE, 1);
}

KcReviewPage *
kc_review_page_new (KcSession *session)
{
  KcReviewPage *self = g_object_new (KC_TYPE_REVIEW_PAGE, NULL);

  kc_table_page_set_session (KC_TABLE_PAGE (self), session);
  kc_table_page_refresh (KC_TABLE_PAGE (self));
  return self;
}
