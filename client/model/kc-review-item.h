/*
 * kc-review-item.h — KcReviewItem: a project of the appraisal queue as
 * review.queue lists it (id, position, code, title, stage, late,
 * submission, rank.average_score, total, reviewer_id), parsed once from the
 * reply; the review page reads its fields, not the JSON.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KC_TYPE_REVIEW_ITEM (kc_review_item_get_type ())
G_DECLARE_FINAL_TYPE (KcReviewItem, kc_review_item, KC, REVIEW_ITEM, GObject)

/* (transfer full): @object (borrowed) read; absent numbers are 0 (the
 * submission 1: the first), absent strings "". */
KcReviewItem *kc_review_item_new_from_json (JsonObject *object);

gint64 kc_review_item_get_id (KcReviewItem *self);
/* The place in the queue. */
int kc_review_item_get_position (KcReviewItem *self);
/* (transfer none): never NULL. */
const char *kc_review_item_get_code (KcReviewItem *self);
const char *kc_review_item_get_title (KcReviewItem *self);
/* (transfer none): the stage code (kc-labels words it), never NULL. */
const char *kc_review_item_get_stage (KcReviewItem *self);
gboolean kc_review_item_get_late (KcReviewItem *self);
int kc_review_item_get_submission (KcReviewItem *self);
/* FALSE (and @score untouched) when no reviewer has scored it yet. */
gboolean kc_review_item_get_score (KcReviewItem *self, double *score);
/* Đồng. */
gint64 kc_review_item_get_total (KcReviewItem *self);
/* 0: none assigned. */
gint64 kc_review_item_get_reviewer_id (KcReviewItem *self);

G_END_DECLS
