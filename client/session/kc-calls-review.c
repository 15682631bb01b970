/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-calls-review.c — typed calls of KcSession (see kc-calls-review.h).
 */
#include "kc-calls-review.h"

static void
call_with_id (KcSession *self, const char *method, const char *name, gint64 id,
              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (JsonNode) params = NULL;

  json_object_set_int_member (object, name, id);
  params = json_node_init_object (json_node_alloc (), object);
  kc_session_call_async (self, method, params, cancellable, callback, user_data);
}

void
kc_session_review_assign_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "review.assign", params, cancellable, callback, user_data);
}

void
kc_session_review_comment_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "review.comment", params, cancellable, callback, user_data);
}

void
kc_session_review_comments_async (KcSession *self, gint64 project_id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_id (self, "review.comments", "project_id", project_id, cancellable, callback,
                user_data);
}

void
kc_session_review_decide_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "review.decide", params, cancellable, callback, user_data);
}

void
kc_session_review_diff_async (KcSession *self, gint64 project_id, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_id (self, "review.diff", "project_id", project_id, cancellable, callback, user_data);
}

void
kc_session_review_queue_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "review.queue", params, cancellable, callback, user_data);
}

void
kc_session_review_score_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "review.score", params, cancellable, callback, user_data);
}

void
kc_session_correspondence_answer_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  kc_session_call_async (self, "correspondence.answer", params, cancellable, callback, user_data);
}

void
kc_session_correspondence_close_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "correspondence.close", params, cancellable, callback, user_data);
}

void
kc_session_correspondence_get_async (KcSession *self, gint64 id, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  call_with_id (self, "correspondence.get", "id", id, cancellable, callback, user_data);
}

void
kc_session_correspondence_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "correspondence.list", params, cancellable, callback, user_data);
}

void
kc_session_correspondence_open_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "correspondence.open", params, cancellable, callback, user_data);
}

void
kc_session_correspondence_reply_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "correspondence.reply", params, cancellable, callback, user_data);
}

void
kc_session_attachment_abort_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "attachment.abort", params, cancellable, callback, user_data);
}

void
kc_session_attachment_begin_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "attachment.begin", params, cancellable, callback, user_data);
}

void
kc_session_attachment_delete_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "attachment.delete", params, cancellable, callback, user_data);
}

void
kc_session_attachment_finish_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "attachment.finish", params, cancellable, callback, user_data);
}

void
kc_session_attachment_get_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "attachment.get", params, cancellable, callback, user_data);
}

void
kc_session_attachment_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "attachment.list", params, cancellable, callback, user_data);
}

void
kc_session_attachment_put_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  kc_session_call_async (self, "attachment.put", params, cancellable, callback, user_data);
}
