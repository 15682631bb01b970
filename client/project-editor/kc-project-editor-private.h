/*
 * kc-project-editor-private.h — what the project editor's own modules share
 * (kc-project-editor.c, the window; kc-editor-actions.c, the acts of the
 * workflow): the editor's state and the helpers both use. Nothing outside
 * project-editor/ includes it.
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "kc-beneficiaries-section.h"
#include "kc-budget-section.h"
#include "kc-dossier-section.h"
#include "kc-draft-store.h"
#include "kc-editor-fields.h"
#include "kc-editor-section.h"
#include "kc-indicators-section.h"
#include "kc-project-editor.h"
#include "kc-calls.h"
#include "kc-session.h"

G_BEGIN_DECLS

struct _KcProjectEditor
{
  GtkWindow parent_instance;

  GtkHeaderBar *header_bar;
  GtkButton *save_button;
  GtkSpinner *spinner;
  GtkInfoBar *message_bar;
  GtkLabel *message_label;
  GtkButton *reload_button;
  GtkLabel *status_label;
  GtkFlowBox *actions_box; /* the acts offered now (kc-editor-actions.c) */
  GtkLabel *warnings_label;
  GtkNotebook *notebook;
  KcDossierSection *dossier_section;
  KcBudgetSection *budget_section;
  KcIndicatorsSection *indicators_section;
  KcBeneficiariesSection *beneficiaries_section;
  GtkTreeView *history_view;

  /* The four above, in the notebook's order (KcEditorTab). */
  KcEditorSection *sections[KC_EDITOR_N_TABS];
  GtkListStore *history;
  GtkWidget *diff_view;       /* (nullable) kc-project-tabs.c, once sent back */
  GtkWidget *money_view;      /* (nullable) kc-project-tabs.c, once approved */
  GtkWidget *attachments_tab; /* (nullable) KcAttachmentsTab, once the project has an id */
  GtkWidget *comments_tab;    /* (nullable) KcCommentsTab, a national project past draft */
  JsonObject *budget;         /* (nullable) budget.project's answer, for the money tab */
  JsonArray *progress;        /* (nullable) progress.list's items, for the acts */
  JsonArray *adjustments;     /* (nullable) adjustment.list's items, for the acts */
  JsonObject *sent_params;    /* (nullable) the last save's, kept should the server be away */
  KcCallFunc act_call;        /* the act under way (kc-editor-actions.c) */
  char *plan_summary;         /* (nullable) the plan a submit sends, in words */
  gint64 plan_version;        /* its version, as plan.get gave it */
  void (*asked_then) (KcProjectEditor *self); /* on yes to the question asked (modal) */
  const char *deciding;                       /* static: review.decide's decision asked for */
  GPtrArray *acts_wanted; /* (nullable) the acts being listed by kc_editor_actions_update */
  GPtrArray *acts_shown;  /* (nullable) the acts whose buttons are shown, in order */
  /* what to do once budget.settlement is read (kc-editor-acts-money.c) */
  void (*with_settlement) (KcProjectEditor *self, JsonObject *info);
  const char *paying; /* static: the kind of payment the pay dialog records */

  KcSession *session;
  KcDraftStore *drafts; /* the session's, held to leave its signals in dispose */
  GCancellable *cancellable;
  JsonObject *project; /* (nullable): as last read or saved */
  JsonObject *catalog; /* (nullable) */
  gint64 id;
  gint64 plan_id;
  gint64 version;
  gboolean filling;
  gboolean dirty;
  int busy;
  /* Saving as you go: a save of an existing draft a few seconds after the
   * last change. Changes are counted so that an answer to a save sent
   * before the latest typing does not overwrite the form. */
  guint autosave_id;
  guint change_seq;
  guint sent_seq;
};

/* kc-project-editor.c */

/* Counts calls under way: the spinner turns and the acts wait meanwhile. */
void kc_project_editor_set_busy (KcProjectEditor *self, gboolean busy);
/* The message bar: @text of @type, with a Reload button when @offer_reload. */
void kc_project_editor_show_message (KcProjectEditor *self, GtkMessageType type, const char *text,
                                     gboolean offer_reload);
void kc_project_editor_hide_message (KcProjectEditor *self);
/* The answer of a call the editor made, when it is an object (transfer
 * full); NULL when the call was cancelled (the editor may be gone: nothing
 * of it is touched) or failed (shown). Ends the busy state unless cancelled. */
JsonNode *kc_project_editor_finish_call (KcProjectEditor *self, GObject *source,
                                         GAsyncResult *result);
/* A failed call shown where it belongs: objections on their fields, a
 * conflict with a Reload, an ended session in the main window. */
void kc_project_editor_handle_failure (KcProjectEditor *self, const GError *error, JsonNode *data);
/* Marks the fields and violations of @object on their fields; the rest goes
 * to @rest, one "• …" line each. Returns how many were marked. */
guint kc_project_editor_mark_problems (KcProjectEditor *self, JsonObject *object, GString *rest);
void kc_project_editor_clear_errors (KcProjectEditor *self);
/* project.get again, then the whole form. */
void kc_project_editor_load (KcProjectEditor *self);
void kc_project_editor_set_project (KcProjectEditor *self, JsonObject *project);
/* plan.list of the draft plans the user may put a project in. */
void kc_project_editor_list_draft_plans (KcProjectEditor *self, GAsyncReadyCallback callback);
const char *kc_project_editor_role (KcProjectEditor *self);
const char *kc_project_editor_status (KcProjectEditor *self);
gboolean kc_project_editor_is_province_role (KcProjectEditor *self);
gboolean kc_project_editor_is_editable (KcProjectEditor *self);
/* {name: gint64, …} from (name, gint64) pairs, NULL-terminated: the ids and
 * versions of the acts (transfer full). */
JsonNode *kc_editor_params_new (const char *first, ...) G_GNUC_NULL_TERMINATED;

/* kc-editor-actions.c */

/* The buttons of the acts the role may take in the project's status. */
void kc_editor_actions_update (KcProjectEditor *self);
/* One button of the action bar. */
void kc_editor_actions_add (KcProjectEditor *self, const char *label, const char *tooltip,
                            GCallback callback);

/* kc-editor-acts.c */

/* The buttons of the acts after approval the role may take now. */
void kc_editor_acts_add (KcProjectEditor *self);

G_END_DECLS
