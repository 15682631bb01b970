/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-act-dialog.h — the form of one act of the workflow (a progress report,
 * an acceptance, a payment, a decision…), following issue 17's rules:
 *
 *   - each field is checked as it is typed; its mistake is said under it
 *     and the act's button waits until every field is right;
 *   - a field may carry its limit, shown under it before it is reached
 *     ("tối đa 196.000.000 ₫ = 70 % hợp đồng");
 *   - an act that sends or decides asks once, in words with its counts and
 *     money (the confirm function);
 *   - the dialog makes the call itself: on a refusal it stays open, marks
 *     the fields the server named and keeps everything typed; on success
 *     it hands the result to the done function, which words what happened,
 *     and closes.
 *
 * A field is named by its key, the protocol member it fills ("amount",
 * "accepted_on", "indicators.I05"); the server's field names are matched
 * against the keys to mark a refusal where it belongs.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "kc-calls.h"
#include "kc-session.h"

G_BEGIN_DECLS

#define KC_TYPE_ACT_DIALOG (kc_act_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KcActDialog, kc_act_dialog, KC, ACT_DIALOG, GtkDialog)

/* The parameters of the call from the fields (transfer full), or NULL
 * when something is wrong (the function marks it with
 * kc_act_dialog_mark()). */
typedef JsonNode *(*KcActBuildFunc) (KcActDialog *dialog, gpointer data);
/* A sentence (transfer full): the question asked once before sending
 * (NULL: ask nothing), or what happened once done. */
typedef char *(*KcActTextFunc) (KcActDialog *dialog, JsonObject *result, gpointer data);

/* A new dialog over @parent; shown by kc_act_dialog_run(). */
KcActDialog *kc_act_dialog_new (GtkWindow *parent, KcSession *session, const char *title,
                                const char *accept_label);
/* A paragraph above the fields (what the act does, what it rests on). */
void kc_act_dialog_set_intro (KcActDialog *self, const char *text);

/* The fields, in order. @label has a mnemonic; @hint (nullable) is the
 * limit or the example shown under the field. */
void kc_act_dialog_add_text (KcActDialog *self, const char *key, const char *label,
                             const char *initial, gboolean required, const char *hint);
void kc_act_dialog_add_long_text (KcActDialog *self, const char *key, const char *label,
                                  const char *initial, gboolean required, const char *hint);
/* An amount in đồng, reformatted as 1.234.567 when the field is left;
 * @max < 0: no upper limit; above it the field says @hint in red. */
void kc_act_dialog_add_money (KcActDialog *self, const char *key, const char *label, gint64 initial,
                              gint64 min, gint64 max, const char *hint);
/* A whole number in [min, max] (percent, indicators). */
void kc_act_dialog_add_number (KcActDialog *self, const char *key, const char *label,
                               gint64 initial, gint64 min, gint64 max, const char *hint);
/* A day as dd/mm/yyyy (initial: ISO or NULL for today); @not_future
 * refuses a day after today. */
void kc_act_dialog_add_date (KcActDialog *self, const char *key, const char *label,
                             const char *initial_iso, gboolean not_future);
/* A month as mm/yyyy (initial: "YYYY-MM"). */
void kc_act_dialog_add_month (KcActDialog *self, const char *key, const char *label,
                              const char *initial_iso);
/* One of @ids, shown as @texts (both NULL-terminated); @initial may be NULL. */
void kc_act_dialog_add_choice (KcActDialog *self, const char *key, const char *label,
                               const char *const *ids, const char *const *texts,
                               const char *initial);

/* A list of check boxes, one per @ids (shown as @texts, both
 * NULL-terminated; @checked may be NULL); at least one must be checked. */
void kc_act_dialog_add_checklist (KcActDialog *self, const char *key, const char *label,
                                  const char *const *ids, const char *const *texts,
                                  const gboolean *checked);
/* The ids checked (transfer container; the strings are the dialog's). */
GPtrArray *kc_act_dialog_get_checked (KcActDialog *self, const char *key);

/* A widget of the act's own (the files that go with it, a list to read)
 * under @label (nullable: the widget spans the form). */
void kc_act_dialog_add_widget (KcActDialog *self, const char *label, GtkWidget *widget);

/* Once the act succeeded, the files chosen in @files (a KcFileList of
 * chosen files) are sent to @owner_type, the record being the result's
 * @id_member (or @owner_id when @id_member is NULL), before the dialog
 * says what happened; a file that did not go is named in that sentence. */
void kc_act_dialog_upload_after (KcActDialog *self, GtkWidget *files, const char *owner_type,
                                 const char *id_member, gint64 owner_id);

/* Makes @key's field optional (or required again). */
void kc_act_dialog_set_required (KcActDialog *self, const char *key, gboolean required);

/* The values, once valid. */
const char *kc_act_dialog_get_text (KcActDialog *self, const char *key); /* stripped */
gint64 kc_act_dialog_get_number (KcActDialog *self, const char *key);    /* money too */
char *kc_act_dialog_get_iso (KcActDialog *self, const char *key);        /* date, month */
const char *kc_act_dialog_get_choice (KcActDialog *self, const char *key);
/* Whether the field was filled (optional fields). */
gboolean kc_act_dialog_has_value (KcActDialog *self, const char *key);

/* Marks @key's field with @message (NULL clears it). */
void kc_act_dialog_mark (KcActDialog *self, const char *key, const char *message);

/* Called once the act succeeded, with the sentence of the done function
 * (the owner shows it and reloads). */
typedef void (*KcActFinishedFunc) (gpointer data, const char *text);

/* Calls @method (a typed call of kc-calls.h) with @build's parameters when the act's button is
 * pressed (after @confirm's question, if any); @done words the result, given to
 * @finished. The dialog is shown now and destroys itself once done or
 * cancelled; @data lives as long as the dialog (@destroy frees it). */
void kc_act_dialog_run (KcActDialog *self, KcCallFunc method, KcActBuildFunc build,
                        KcActTextFunc confirm, KcActTextFunc done, KcActFinishedFunc finished,
                        gpointer data, GDestroyNotify destroy);

G_END_DECLS
