/*
 * kc-project-editor.h — one project (đề án) in its own window: every field
 * of the dossier, budget lines by source with running totals, indicators,
 * beneficiaries, history, and the acts the role may take in the project's
 * status. Ctrl+S saves. The server's objections are shown on the fields
 * they name; a project changed elsewhere offers to reload.
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_PROJECT_EDITOR (kc_project_editor_get_type ())
G_DECLARE_FINAL_TYPE (KcProjectEditor, kc_project_editor, KC, PROJECT_EDITOR, GtkWindow)

/* Opens (or raises) the editor of project @id; @id 0 opens a new project,
 * in plan @plan_id if not 0. */
KcProjectEditor *kc_project_editor_open (GtkWindow *parent, KcSession *session, gint64 id,
                                         gint64 plan_id);

/* The translated label of a dossier member ("title" → "Tên đề án"), or
 * @member itself. */
const char *kc_project_editor_field_label (const char *member);

G_END_DECLS
