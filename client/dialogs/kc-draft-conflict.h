/*
 * kc-draft-conflict.h — an edit kept on this computer that the server
 * refused once sent (a stale version, 1009, or another objection): the
 * kept values beside the server's current ones, and the user chooses. It
 * never runs a nested main loop; the choice goes to KcDraftStore.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-draft-store.h"

G_BEGIN_DECLS

#define KC_TYPE_DRAFT_CONFLICT (kc_draft_conflict_get_type ())
G_DECLARE_FINAL_TYPE (KcDraftConflict, kc_draft_conflict, KC, DRAFT_CONFLICT, GtkDialog)

/* Shows the conflict of project @id (one dialog per project). */
void kc_draft_conflict_show (GtkWindow *parent, KcSession *session, gint64 id);

G_END_DECLS
