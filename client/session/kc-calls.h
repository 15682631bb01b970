/*
 * kc-calls.h — typed calls of KcSession: the method's name and the shape of
 * its parameters in one place, instead of a string in every page. Each
 * finishes with kc_session_call_finish() (the reply's "result").
 *
 * Only the project family so far (the editor, the projects page, the
 * offline drafts and their conflicts call it); the other methods are still
 * called by name through kc_session_call_async().
 */
#pragma once

#include "kc-session.h"

G_BEGIN_DECLS

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
