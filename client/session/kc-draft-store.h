/*
 * kc-draft-store.h — edits of draft projects kept on this computer while
 * the server cannot be reached (issue 6, "offline drafts").
 *
 * One JSON file per project under $XDG_DATA_HOME/khuyen-cong/drafts/
 * <host>-<port>-<username>/, mode 0600, written atomically: the params of
 * project.update the editor could not send, with the base version they were
 * made on, or of project.create for a project never saved (a negative local
 * id, file project-new-N.json). They are sent again when the session is back; a stale version
 * (1009) or another refusal is a conflict for the user to settle, never
 * overwritten silently.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_DRAFT_STORE (kc_draft_store_get_type ())
G_DECLARE_FINAL_TYPE (KcDraftStore, kc_draft_store, KC, DRAFT_STORE, GObject)

/* The store of @session's server and user (transfer none); the files of
 * another user or server are not read. */
KcDraftStore *kc_draft_store_get (KcSession *session);

/* TRUE for the failures that mean "not reached", which are kept locally:
 * a connection error of KcSession or 1050 (unavailable). */
gboolean kc_draft_store_is_offline_error (const GError *error);

/* Keeps @params (of project.update: id, version and the changed members).
 * A second edit of a project already waiting replaces the first but keeps
 * its base version, which is what the server last showed. */
gboolean kc_draft_store_keep (KcDraftStore *self, JsonObject *params, GError **error);

/* As kc_draft_store_keep, and also for @params of project.create (no id):
 * a new project is kept under a negative local id that @owner (its editor)
 * remembers, so that saving it again replaces it; the project is created
 * when the server is back ("sent" then gives that local id). */
gboolean kc_draft_store_keep_from (KcDraftStore *self, GObject *owner, JsonObject *params,
                                   GError **error);
/* The local id of @owner's new project kept here, or 0. */
gint64 kc_draft_store_local_id (GObject *owner);

guint kc_draft_store_count (KcDraftStore *self);
/* (transfer none, nullable): the kept params of project @id. */
JsonObject *kc_draft_store_lookup (KcDraftStore *self, gint64 id);
/* (nullable): why the server refused the kept edit, once it has. */
const char *kc_draft_store_get_problem (KcDraftStore *self, gint64 id);
/* The ids of the projects in conflict (free with g_array_unref). */
GArray *kc_draft_store_conflicts (KcDraftStore *self);

/* Sends every kept edit not in conflict (none twice at once). */
void kc_draft_store_send (KcDraftStore *self);
/* The conflict of @id settled: send again on @version, or drop. */
void kc_draft_store_keep_mine (KcDraftStore *self, gint64 id, gint64 version);
void kc_draft_store_take_theirs (KcDraftStore *self, gint64 id);

G_END_DECLS
