/*
 * kc-editor-acts-private.h — what the files of the acts after approval
 * share (kc-editor-acts.c, the shared pieces and the buttons;
 * kc-editor-acts-progress.c, kc-editor-acts-change.c,
 * kc-editor-acts-money.c, the acts by concept). Nothing outside
 * project-editor/ includes it.
 */
#pragma once

#include "kc-act-dialog.h"
#include "kc-file-list.h"
#include "kc-project-editor-private.h"

G_BEGIN_DECLS

/* kc-editor-acts.c: the project as the acts see it */

gboolean kc_acts_is_role (KcProjectEditor *self, const char *role);
gboolean kc_acts_is_national (KcProjectEditor *self);
/* The role that writes the project's money: the Minister's approver for a
 * national project, the province's leader for a local one. */
gboolean kc_acts_writes_money (KcProjectEditor *self);
/* The project's code, "" before it has one. */
const char *kc_acts_project_code (KcProjectEditor *self);
/* "central" for a national project, "local" for a province's. */
const char *kc_acts_money_source (KcProjectEditor *self);
/* A member of budget.project's totals, 0 when unknown. */
gint64 kc_acts_total (KcProjectEditor *self, const char *name);
/* The project's budget line of @source, 0 when it has none. */
gint64 kc_acts_budget_line (KcProjectEditor *self, const char *source);

/* kc-editor-acts.c: the pieces of an act's dialog */

/* One number field per indicator of the project, keyed "indicators.CODE";
 * @achieved (nullable) gives the value to start from by code. */
void kc_acts_add_indicator_fields (KcProjectEditor *self, KcActDialog *dialog, JsonArray *achieved);
/* [{code, achieved}] of the filled indicator fields (transfer full). */
JsonArray *kc_acts_indicator_values (KcProjectEditor *self, KcActDialog *dialog, guint *filled);
KcActDialog *kc_acts_new (KcProjectEditor *self, const char *title, const char *accept);
/* Runs @dialog: @build the params, @confirm asks, @method is called, @done
 * says what happened on the editor's message bar, and the project is read
 * again. */
void kc_acts_run (KcProjectEditor *self, KcActDialog *dialog, KcCallFunc method,
                  KcActBuildFunc build, KcActTextFunc confirm, KcActTextFunc done);
JsonObject *kc_acts_params (JsonNode *node);
/* @params' @member: the ISO date of @dialog's field @key ("" when empty). */
void kc_acts_set_iso (JsonObject *params, const char *member, KcActDialog *dialog, const char *key);
/* The files that go with an act (issue 16): chosen here, sent to
 * (@owner_type, the result's @id_member or @owner_id) once the act is
 * done. */
void kc_acts_add_chosen_files (KcActDialog *dialog, const char *owner_type, const char *id_member,
                               gint64 owner_id);
/* The files already on the server (attachment.list's items), to open or
 * save; @prefix (nullable) before each name. Adds the list to @files,
 * created (and put on @dialog under @label) on the first file. */
void kc_acts_add_stored_files (KcProjectEditor *self, KcActDialog *dialog, KcFileList **files,
                               const char *label, JsonArray *attachments, const char *prefix);

/* kc-editor-acts-progress.c: each opens its dialog */

void kc_acts_report (KcProjectEditor *self);
void kc_acts_confirm_report (KcProjectEditor *self);
void kc_acts_return_report (KcProjectEditor *self);
void kc_acts_submit_acceptance (KcProjectEditor *self);
void kc_acts_accept (KcProjectEditor *self);
/* How many reports the Department has neither confirmed nor returned. */
guint kc_acts_unconfirmed_reports (KcProjectEditor *self);

/* kc-editor-acts-change.c */

void kc_acts_request_adjustment (KcProjectEditor *self);
void kc_acts_decide_adjustment (KcProjectEditor *self);
void kc_acts_cancel (KcProjectEditor *self);
/* The open adjustment request (@mine: one this role decides), or NULL. */
JsonObject *kc_acts_open_adjustment (KcProjectEditor *self, gboolean mine);

/* kc-editor-acts-money.c */

void kc_acts_allocate (KcProjectEditor *self);
void kc_acts_contract (KcProjectEditor *self);
void kc_acts_advance (KcProjectEditor *self);
void kc_acts_final_payment (KcProjectEditor *self);
void kc_acts_refund (KcProjectEditor *self);
void kc_acts_settlement_dossier (KcProjectEditor *self);
void kc_acts_settle (KcProjectEditor *self);
void kc_acts_carry_over (KcProjectEditor *self);
void kc_acts_recover (KcProjectEditor *self);

G_END_DECLS
