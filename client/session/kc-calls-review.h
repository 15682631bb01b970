/*
 * kc-calls-review.h — typed calls of KcSession: the Ministry's appraisal (review.*),
 * correspondence.* and the files of a record (attachment.*).
 *
 * Each sends its method and finishes with kc_session_call_finish(). A read of
 * one record takes its id, a read without parameters none; the others take
 * @params, the method's parameters as an object (transfer none; NULL means {};
 * docs/protocol.md names them): those are KcCallFunc (kc-calls.h).
 */
#pragma once

#include "kc-session.h"

G_BEGIN_DECLS

/* review.assign */
void kc_session_review_assign_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* review.comment */
void kc_session_review_comment_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* review.comments {project_id} */
void kc_session_review_comments_async (KcSession *self, gint64 project_id,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
/* review.decide */
void kc_session_review_decide_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
/* review.diff {project_id} */
void kc_session_review_diff_async (KcSession *self, gint64 project_id, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
/* review.queue */
void kc_session_review_queue_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
/* review.score */
void kc_session_review_score_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);

/* correspondence.answer */
void kc_session_correspondence_answer_async (KcSession *self, JsonNode *params,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
/* correspondence.close */
void kc_session_correspondence_close_async (KcSession *self, JsonNode *params,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
/* correspondence.get {id} */
void kc_session_correspondence_get_async (KcSession *self, gint64 id, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
/* correspondence.list */
void kc_session_correspondence_list_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
/* correspondence.open */
void kc_session_correspondence_open_async (KcSession *self, JsonNode *params,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
/* correspondence.reply */
void kc_session_correspondence_reply_async (KcSession *self, JsonNode *params,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);

/* attachment.abort */
void kc_session_attachment_abort_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* attachment.begin */
void kc_session_attachment_begin_async (KcSession *self, JsonNode *params,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* attachment.delete */
void kc_session_attachment_delete_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* attachment.finish */
void kc_session_attachment_finish_async (KcSession *self, JsonNode *params,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* attachment.get */
void kc_session_attachment_get_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
/* attachment.list */
void kc_session_attachment_list_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* attachment.put */
void kc_session_attachment_put_async (KcSession *self, JsonNode *params, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);

G_END_DECLS
