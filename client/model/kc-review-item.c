/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-review-item.c — KcReviewItem (see the header).
 */
#include "kc-review-item.h"

#include "kc-json.h"

struct _KcReviewItem
{
  GObject parent_instance;

  gint64 id;
  gint64 total;
  gint64 reviewer_id;
  double score;
  int position;
  int submission;
  gboolean late;
  gboolean has_score;
  char *code;
  char *title;
  char *stage;
};

G_DEFINE_TYPE (KcReviewItem, kc_review_item, G_TYPE_OBJECT)

KcReviewItem *
kc_review_item_new_from_json (JsonObject *object)
{
  KcReviewItem *self = g_object_new (KC_TYPE_REVIEW_ITEM, NULL);
  JsonNode *submission = object != NULL ? json_object_get_member (object, "submission") : NULL;

  self->id = kc_json_int (object, "id");
  self->total = kc_json_int (object, "total");
  self->reviewer_id = kc_json_int (object, "reviewer_id");
  self->position = (int)kc_json_int (object, "position");
  self->submission = submission != NULL && JSON_NODE_HOLDS_VALUE (submission)
                         ? (int)json_node_get_int (submission)
                         : 1;
  self->late = kc_json_bool (object, "late");
  self->has_score = kc_json_number (kc_json_object (object, "rank"), "average_score", &self->score);
  self->code = kc_json_dup_string (object, "code");
  self->title = kc_json_dup_string (object, "title");
  self->stage = kc_json_dup_string (object, "stage");
  return self;
}

gint64
kc_review_item_get_id (KcReviewItem *self)
{
  return self->id;
}

int
kc_review_item_get_position (KcReviewItem *self)
{
  return self->position;
}

const char *
kc_review_item_get_code (KcReviewItem *self)
{
  return self->code;
}

const char *
kc_review_item_get_title (KcReviewItem *self)
{
  return self->title;
}

const char *
kc_review_item_get_stage (KcReviewItem *self)
{
  return self->stage;
}

gboolean
kc_review_item_get_late (KcReviewItem *self)
{
  return self->late;
}

int
kc_review_item_get_submission (KcReviewItem *self)
{
  return self->submission;
}

gboolean
kc_review_item_get_score (KcReviewItem *self, double *score)
{
  if (self->has_score)
    *score = self->score;
  return self->has_score;
}

gint64
kc_review_item_get_total (KcReviewItem *self)
{
  return self->total;
}

gint64
kc_review_item_get_reviewer_id (KcReviewItem *self)
{
  return self->reviewer_id;
}

/* GObject overrides */

static void
kc_review_item_finalize (GObject *object)
{
  KcReviewItem *self = KC_REVIEW_ITEM (object);

  g_free (self->code);
  g_free (self->title);
  g_free (self->stage);
  G_OBJECT_CLASS (kc_review_item_parent_class)->finalize (object);
}

static void
kc_review_item_class_init (KcReviewItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_review_item_finalize;
}

static void
kc_review_item_init (KcReviewItem *self)
{
}
