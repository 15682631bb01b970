/*
 * kc-round-report-editor.h — KcRoundReportEditor: one province's report of
 * a reporting round (issue 15) in a window of its own. The province writes
 * the outline's sections (saved as it goes, round.report_update a moment
 * after the last keystroke), reads the tables the server computes under
 * them, previews the document and — the leader — sends it. The Ministry
 * reads it (read-only).
 */
#pragma once

#include <gtk/gtk.h>

#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_ROUND_REPORT_EDITOR (kc_round_report_editor_get_type ())
G_DECLARE_FINAL_TYPE (KcRoundReportEditor, kc_round_report_editor, KC, ROUND_REPORT_EDITOR,
                      GtkWindow)

/* Opens the report of @org_id (0: the caller's own province) in round
 * @round_id; @round_title heads the window. The window is the caller's to
 * present; it destroys itself when closed. Emits ::sent after a send,
 * ::changed after a save or a send. */
KcRoundReportEditor *kc_round_report_editor_new (GtkWindow *parent, KcSession *session,
                                                 gint64 round_id, gint64 org_id,
                                                 const char *round_title);

/* Reads the report again (an event said it changed); unsaved text stays
 * unless the report is no longer the province's to write. */
void kc_round_report_editor_reload (KcRoundReportEditor *self);
gint64 kc_round_report_editor_get_round_id (KcRoundReportEditor *self);

G_END_DECLS
