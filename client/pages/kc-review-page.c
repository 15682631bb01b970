/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-review-page.c — KcReviewPage: review.queue.
 */
#include "kc-review-page.h"

#include <glib/gi18n.h>

#include "kc-ask.h"
#include "kc-calls.h"
#include "kc-choose.h"
#include "kc-labels.h"
#include "kc-project-editor.h"
#include "kc-record-list.h"
#include "kc-review-item.h"
#include "kc-column-layout.h"

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
  COL_REVIEWER,
  N_COLUMNS
};

struct _KcReviewPage
{
  KcTablePage parent_instance;

  GtkWidget *assign_button; /* the Ministry approver's */
  /* The queue read (KcReviewItem), in the server's order; the view shows
   * it through @list (which sorts when a header is clicked). */
  GListStore *items;
  KcRecordList *list;
  GHashTable *reviewers; /* id → "full name (role)", from user.reviewers */
  gint64 assign_id;      /* the project whose reviewer is being chosen */
  /* A reading of the queue (one or more pages) puts its records in place of
   * the previous ones, position by position (@filled so far), so that the
   * rows that stay are changed, not replaced; the project selected when it
   * began is selected again at its new place at the end. */
  guint filled;
  gint64 selected_id;
};

G_DEFINE_TYPE (KcReviewPage, kc_review_page, KC_TYPE_TABLE_PAGE)

static void fetch_page (KcReviewPage *self, const char *cursor);
static gboolean get_selected_id (KcReviewPage *self, gint64 *id);

/* The columns, read from each project of the queue when the view asks (by
 * number: kc-column-layout remembers a sort by its column's number). */

static void
get_id (gpointer item, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_review_item_get_id (item));
}

static void
get_position (gpointer item, GValue *value, gpointer page)
{
  g_value_set_int (value, kc_review_item_get_position (item));
}

static void
get_code (gpointer item, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_review_item_get_code (item));
}

static void
get_title (gpointer item, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_review_item_get_title (item));
}

static void
get_stage (gpointer item, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_label_stage (kc_review_item_get_stage (item)));
}

static void
get_late (gpointer item, GValue *value, gpointer page)
{
  g_value_set_string (value, kc_review_item_get_late (item) ? _ ("Late") : "");
}

static void
get_submission (gpointer item, GValue *value, gpointer page)
{
  g_value_set_int (value, kc_review_item_get_submission (item));
}

static void
get_score (gpointer item, GValue *value, gpointer page)
{
  double score;

  if (kc_review_item_get_score (item, &score))
    g_value_take_string (value, kc_label_number (score, 1));
  else
    g_value_set_static_string (value, "");
}

static void
get_total (gpointer item, GValue *value, gpointer page)
{
  g_value_set_int64 (value, kc_review_item_get_total (item));
}

static void
get_total_text (gpointer item, GValue *value, gpointer page)
{
  g_value_take_string (value, kc_label_money (kc_review_item_get_total (item)));
}

/* The reviewer's name from user.reviewers (the page's), else the number. */
static void
get_reviewer (gpointer item, GValue *value, gpointer page)
{
  KcReviewPage *self = page;
  gint64 reviewer = kc_review_item_get_reviewer_id (item);
  const char *name = g_hash_table_lookup (self->reviewers, &reviewer);

  if (reviewer == 0)
    g_value_set_static_string (value, "");
  else if (name != NULL)
    g_value_set_string (value, name);
  else
    g_value_take_string (value, g_strdup_printf ("%" G_GINT64_FORMAT, reviewer));
}

static const KcRecordColumn columns[N_COLUMNS] = {
  [COL_ID] = { G_TYPE_INT64, get_id },
  [COL_POSITION] = { G_TYPE_INT, get_position },
  [COL_CODE] = { G_TYPE_STRING, get_code },
  [COL_TITLE] = { G_TYPE_STRING, get_title },
  [COL_STAGE] = { G_TYPE_STRING, get_stage },
  [COL_LATE] = { G_TYPE_STRING, get_late },
  [COL_SUBMISSION] = { G_TYPE_INT, get_submission },
  [COL_SCORE] = { G_TYPE_STRING, get_score },
  [COL_TOTAL] = { G_TYPE_INT64, get_total },
  [COL_TOTAL_TEXT] = { G_TYPE_STRING, get_total_text },
  [COL_REVIEWER] = { G_TYPE_STRING, get_reviewer },
};

/* Selects the row of project @id, or none when it left the queue. */
static void
select_id (KcReviewPage *self, gint64 id)
{
  GtkTreeView *view = kc_table_page_get_view (KC_TABLE_PAGE (self));
  GtkTreeSelection *selection = gtk_tree_view_get_selection (view);
  GListModel *items = G_LIST_MODEL (self->items);
  guint n = g_list_model_get_n_items (items);

  if (id == 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (KcReviewItem) item = g_list_model_get_item (items, i);
      g_autoptr (GtkTreePath) path = NULL;

      if (kc_review_item_get_id (item) != id)
        continue;
      path = kc_record_list_path_of (gtk_tree_view_get_model (view), i);
      if (path != NULL)
        {
          gtk_tree_selection_select_path (selection, path);
          return;
        }
    }
  gtk_tree_selection_unselect_all (selection);
}

static void
queue_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReviewPage *self = user_data;
  KcTablePage *page = KC_TABLE_PAGE (self);
  g_autoptr (JsonNode) reply = kc_table_page_finish_call (page, source, result);
  JsonObject *object;
  JsonArray *items;
  const char *next;
  g_autofree char *count = NULL;

  if (reply == NULL)
    return;
  object = json_node_get_object (reply);
  items = json_object_get_array_member (object, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      g_autoptr (KcReviewItem) item
          = kc_review_item_new_from_json (json_array_get_object_element (items, i));
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

      /* In place of the old record at this position (its row changes and
       * stays), past the end a new row. */
      g_list_store_splice (self->items, self->filled, self->filled < n ? 1 : 0, (gpointer *)&item,
                           1);
      self->filled++;
    }
  next = json_object_get_string_member_with_default (object, "next_cursor", NULL);
  if (next != NULL)
    {
      fetch_page (self, next);
      return;
    }
  /* The projects that left the queue. */
  g_list_store_splice (self->items, self->filled,
                       g_list_model_get_n_items (G_LIST_MODEL (self->items)) - self->filled, NULL,
                       0);
  select_id (self, self->selected_id);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d project to appraise",
                                        "%d projects to appraise", (int)self->filled),
                           (int)self->filled);
  kc_table_page_set_count (page, count);
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
  else
    {
      self->filled = 0;
      self->selected_id = 0;
      get_selected_id (self, &self->selected_id);
    }
  node = json_node_init_object (json_node_alloc (), params);
  kc_table_page_set_busy (page, TRUE);
  kc_session_review_queue_async (kc_table_page_get_session (page), node,
                                 kc_table_page_get_cancellable (page), queue_done_cb, self);
}

static void reviewers_done_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
kc_review_page_refresh (KcTablePage *page)
{
  KcReviewPage *self = KC_REVIEW_PAGE (page);

  /* The names first, so the Reviewer column never shows a bare number. */
  if (g_hash_table_size (self->reviewers) == 0)
    {
      kc_table_page_set_busy (page, TRUE);
      kc_session_user_reviewers_async (kc_table_page_get_session (page),
                                       kc_table_page_get_cancellable (page), reviewers_done_cb,
                                       self);
      return;
    }
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
  KcReviewItem *item
      = kc_record_list_get_record (gtk_tree_view_get_model (kc_table_page_get_view (page)), iter);
  gint64 id = kc_review_item_get_id (item);

  kc_project_editor_open (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                          kc_table_page_get_session (page), id, 0);
}

/* The five criteria of TT 36/2013 Art. 9 (table review_criteria). */
static const char *const criteria[] = {
  N_ ("1. Fit with the policy and the programme (0–10)"),
  N_ ("2. Objectives, necessity, effectiveness, reasonable cost (0–10)"),
  N_ ("3. Capacity of the implementer, partners, beneficiaries (0–10)"),
  N_ ("4. Combination with other programmes (0–10)"),
  N_ ("5. Completeness of the dossier (0–10)"),
};

static gboolean
get_selected_id (KcReviewPage *self, gint64 *id)
{
  GtkTreeSelection *selection
      = gtk_tree_view_get_selection (kc_table_page_get_view (KC_TABLE_PAGE (self)));
  GtkTreeModel *model;
  GtkTreeIter iter;

  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return FALSE;
  *id = kc_review_item_get_id (kc_record_list_get_record (model, &iter));
  return TRUE;
}

static void
act_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReviewPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_table_page_set_busy (KC_TABLE_PAGE (self), FALSE);
  if (reply == NULL && error != NULL)
    kc_table_page_show_error (KC_TABLE_PAGE (self), error, data);
  /* The average score and the reviewer move the queue's order. */
  kc_table_page_refresh (KC_TABLE_PAGE (self));
}

static void
call_act (KcReviewPage *self, KcCallFunc method, JsonObject *params)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), params);

  kc_table_page_set_busy (KC_TABLE_PAGE (self), TRUE);
  method (kc_table_page_get_session (KC_TABLE_PAGE (self)), node,
          kc_table_page_get_cancellable (KC_TABLE_PAGE (self)), act_done_cb, self);
}

static void
score_answered_cb (GObject *owner, GStrv answers, gpointer data)
{
  KcReviewPage *self = KC_REVIEW_PAGE (owner);
  gint64 id = *(gint64 *)data;
  JsonObject *params = json_object_new ();
  JsonArray *scores = json_array_new ();

  json_object_set_int_member (params, "project_id", id);
  json_object_set_array_member (params, "scores", scores);
  for (int c = 0; c < (int)G_N_ELEMENTS (criteria); c++)
    {
      guint64 score;
      JsonObject *item;

      /* A criterion left empty is not scored now. */
      if (answers[c][0] == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (answers[c], 10, 0, 10, &score, NULL))
        {
          g_autoptr (GError) error
              = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _ ("Criterion %d: a score is a whole number from 0 to 10."), c + 1);

          kc_table_page_show_error (KC_TABLE_PAGE (self), error, NULL);
          json_object_unref (params);
          return;
        }
      item = json_object_new ();
      json_object_set_int_member (item, "criterion", c + 1);
      json_object_set_int_member (item, "score", (gint64)score);
      json_array_add_object_element (scores, item);
    }
  call_act (self, kc_session_review_score_async, params);
}

/* Before the form closes: each score empty or a whole number 0–10 (the
 * form stays open with all five scores kept otherwise). */
static char *
score_check (GStrv answers, gpointer data)
{
  for (int c = 0; answers[c] != NULL; c++)
    {
      guint64 score;

      if (answers[c][0] != '\0'
          && !g_ascii_string_to_unsigned (answers[c], 10, 0, 10, &score, NULL))
        return g_strdup_printf (_ ("Criterion %d: a score is a whole number from 0 to 10 (“%s” is "
                                   "not)."),
                                c + 1, answers[c]);
    }
  return NULL;
}

static void
on_score_clicked_cb (KcReviewPage *self)
{
  const char *labels[G_N_ELEMENTS (criteria) + 1] = { NULL };
  gint64 id;

  if (!get_selected_id (self, &id))
    return;
  for (gsize c = 0; c < G_N_ELEMENTS (criteria); c++)
    labels[c] = _ (criteria[c]);
  kc_ask_full (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
               _ ("Score the project (TT 36/2013 Art. 9)"), _ ("_Score"), labels, NULL, NULL,
               score_check, G_OBJECT (self), score_answered_cb, g_memdup2 (&id, sizeof id), g_free);
}

static const char *
role_text (const char *role)
{
  return g_strcmp0 (role, "ministry_approver") == 0 ? _ ("approver") : _ ("reviewer");
}

/* The names of the people review.assign accepts: the queue shows them in
 * its Reviewer column, the assign dialog offers them. */
static gboolean
take_reviewers (KcReviewPage *self, JsonNode *reply)
{
  JsonArray *items = JSON_NODE_HOLDS_OBJECT (reply)
                         ? json_object_get_array_member (json_node_get_object (reply), "items")
                         : NULL;

  if (items == NULL)
    return FALSE;
  g_hash_table_remove_all (self->reviewers);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *u = json_array_get_object_element (items, i);
      gint64 id = json_object_get_int_member_with_default (u, "id", 0);

      g_hash_table_insert (
          self->reviewers, g_memdup2 (&id, sizeof id),
          g_strdup_printf ("%s (%s)",
                           json_object_get_string_member_with_default (u, "full_name", ""),
                           role_text (json_object_get_string_member_with_default (u, "role", ""))));
    }
  /* The Reviewer column reads the names. */
  kc_record_list_changed_all (self->list);
  return TRUE;
}

static void
assign_chosen_cb (GObject *owner, gint64 reviewer, gpointer data)
{
  KcReviewPage *self = KC_REVIEW_PAGE (owner);
  JsonObject *params = json_object_new ();

  json_object_set_int_member (params, "project_id", *(gint64 *)data);
  json_object_set_int_member (params, "reviewer_id", reviewer);
  call_act (self, kc_session_review_assign_async, params);
}

static int
compare_names (gconstpointer a, gconstpointer b, gpointer names)
{
  return g_utf8_collate (g_hash_table_lookup (names, a), g_hash_table_lookup (names, b));
}

static void
reviewers_for_assign_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReviewPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);
  g_autoptr (GList) keys = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_table_page_set_busy (KC_TABLE_PAGE (self), FALSE);
  if (reply == NULL || !take_reviewers (self, reply))
    {
      if (error != NULL)
        kc_table_page_show_error (KC_TABLE_PAGE (self), error, data);
      return;
    }
  keys = g_list_sort_with_data (g_hash_table_get_keys (self->reviewers), compare_names,
                                self->reviewers);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_array_append_val (ids, *(gint64 *)l->data);
      g_ptr_array_add (texts, g_hash_table_lookup (self->reviewers, l->data));
    }
  kc_choose (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), _ ("Assign a reviewer"),
             _ ("_Assign"), _ ("Reviewer"), (const gint64 *)(gpointer)ids->data,
             (const char *const *)texts->pdata, ids->len, G_OBJECT (self), assign_chosen_cb,
             g_memdup2 (&self->assign_id, sizeof self->assign_id), g_free);
}

static void
on_assign_clicked_cb (KcReviewPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);

  if (!get_selected_id (self, &self->assign_id))
    return;
  /* Read again each time: accounts come and go. */
  kc_table_page_set_busy (page, TRUE);
  kc_session_user_reviewers_async (kc_table_page_get_session (page),
                                   kc_table_page_get_cancellable (page), reviewers_for_assign_cb,
                                   self);
}

static void
reviewers_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcReviewPage *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autoptr (JsonNode) reply = kc_session_call_finish (KC_SESSION (source), result, &data, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kc_table_page_set_busy (KC_TABLE_PAGE (self), FALSE);
  /* Without the names the queue still shows, with account numbers. */
  if ((reply == NULL || !take_reviewers (self, reply)) && error != NULL)
    kc_table_page_show_error (KC_TABLE_PAGE (self), error, data);
  fetch_page (self, NULL);
}

static void
kc_review_page_dispose (GObject *object)
{
  KcReviewPage *self = KC_REVIEW_PAGE (object);

  /* The view first: @list's getters read @reviewers. */
  if (self->list != NULL)
    gtk_tree_view_set_model (kc_table_page_get_view (KC_TABLE_PAGE (self)), NULL);
  g_clear_object (&self->list);
  g_clear_object (&self->items);
  g_clear_pointer (&KC_REVIEW_PAGE (object)->reviewers, g_hash_table_unref);
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

  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/vn/gov/moit/KhuyenCong/ui/kc-review-page.ui");
  gtk_widget_class_bind_template_child (GTK_WIDGET_CLASS (klass), KcReviewPage, assign_button);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_score_clicked_cb);
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), on_assign_clicked_cb);
}

static void
kc_review_page_init (KcReviewPage *self)
{
  KcTablePage *page = KC_TABLE_PAGE (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->reviewers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->items = g_list_store_new (KC_TYPE_REVIEW_ITEM);
  self->list = kc_record_list_new (G_LIST_MODEL (self->items), columns, N_COLUMNS, self);
  gtk_tree_view_set_model (kc_table_page_get_view (page), GTK_TREE_MODEL (self->list));
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (kc_table_page_get_view (page))),
                       _ ("Appraisal queue"));
  kc_table_page_add_column (page, _ ("Order"), COL_POSITION, COL_POSITION, FALSE, 1);
  kc_table_page_add_column (page, _ ("Code"), COL_CODE, COL_CODE, FALSE, 0);
  kc_table_page_add_column (page, _ ("Title"), COL_TITLE, COL_TITLE, TRUE, 0);
  kc_table_page_add_column (page, _ ("Stage"), COL_STAGE, COL_STAGE, FALSE, 0);
  kc_table_page_add_column (page, _ ("Submission"), COL_SUBMISSION, COL_SUBMISSION, FALSE, 1);
  kc_table_page_add_column (page, _ ("Average score"), COL_SCORE, COL_SCORE, FALSE, 1);
  kc_table_page_add_column (page, _ ("Late"), COL_LATE, COL_LATE, FALSE, 0);
  kc_table_page_add_column (page, _ ("Reviewer"), COL_REVIEWER, COL_REVIEWER, FALSE, 1);
  kc_table_page_add_column (page, _ ("Total"), COL_TOTAL_TEXT, COL_TOTAL, FALSE, 1);
  kc_column_layout_remember (kc_table_page_get_view (page), "review");
}

KcReviewPage *
kc_review_page_new (KcSession *session)
{
  KcReviewPage *self = g_object_new (KC_TYPE_REVIEW_PAGE, NULL);

  kc_table_page_set_session (KC_TABLE_PAGE (self), session);
  gtk_widget_set_visible (self->assign_button,
                          g_strcmp0 (kc_session_get_role (session), "ministry_approver") == 0);
  kc_table_page_refresh (KC_TABLE_PAGE (self));
  return self;
}
