/*
 * kc-calls.h — typed calls of KcSession: the method's name and the shape of
 * its parameters in one place, instead of a string in every page. Each
 * finishes with kc_session_call_finish() (the reply's "result").
 *
 * Every method the client calls has one, kc_session_<family>_<method>_async,
 * so no page, dialog or editor names a method: the three of the editor
 * here (typed: an id, or the record as an object), the others by family in
 * kc-calls-<family>.h, all included here: a read of one record by its id
 * takes the id, a read without parameters none, the rest their parameters
 * as an object node (KcCallFunc). auth.login/resume/logout are
 * kc-session.h's.
 */
#pragma once

#include "kc-session.h"

G_BEGIN_DECLS

/* The shape of every call of kc-calls-<family>.h: a method with its
 * parameters (an object node, transfer none; NULL means {}). A helper that
 * runs one act of several takes the call as a KcCallFunc, not its name. */
typedef void (*KcCallFunc) (KcSession *self, JsonNode *params, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);

/* project.get {id}. */
void kc_session_project_get_async (KcSession *self, gint64 id, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
/* project.create with @params (transfer none): a new project's members and
 * its plan_id. */
void kc_session_project_create_async (KcSession *self, JsonObject *params,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
/* project.update with @params (transfer none): id, version and the members
 * that change. */
void kc_session_project_update_async (KcSession *self, JsonObject *params,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);

G_END_DECLS

#include "kc-calls-account.h"
#include "kc-calls-budget.h"
#include "kc-calls-plan.h"
#include "kc-calls-progress.h"
#include "kc-calls-report.h"
#include "kc-calls-review.h"
