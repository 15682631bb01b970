/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-editor-acts-progress.c — the acts of the work itself: the monthly
 * progress report (officer), its confirmation or return (the Department's
 * leader), the acceptance dossier (officer) and the acceptance (nghiệm
 * thu) with the indicators achieved. Put on the action bar by
 * kc_editor_acts_add() (kc-editor-acts.c).
 */
#include "kc-editor-acts-private.h"

#include <glib/gi18n.h>

#include "kc-date.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"

/* The files of the reports waiting for the Department, by month. */
static void
add_waiting_report_files (KcProjectEditor *self, KcActDialog *dialog)
{
  KcFileList *files = NULL;

  for (guint i = 0; self->progress != NULL && i < json_array_get_length (self->progress); i++)
    {
      JsonObject *r = json_array_get_object_element (self->progress, i);
      g_autofree char *month = kc_label_month (kc_json_string (r, "period"));

      if (!json_object_get_boolean_member_with_default (r, "confirmed", FALSE)
          && !json_object_get_boolean_member_with_default (r, "returned", FALSE))
        kc_acts_add_stored_files (self, dialog, &files, _ ("Files of the report"),
                                  kc_json_array (r, "attachments"), month);
    }
}
/* Progress: the monthly report (officer) and its confirmation (leader) */

/* What was spent so far, by source (progress.report's spent, sql/0037). */
static const struct
{
  const char *source;
  const char *label;
} spent_sources[] = {
  { "central", N_ ("Spent so far: c_entral budget") },
  { "local", N_ ("Spent so far: _local budget") },
  { "counterpart", N_ ("Spent so far: co_unterpart funds") },
  { "other", N_ ("Spent so far: _other sources") },
};

static JsonObject *
spent_values (KcActDialog *dialog)
{
  JsonObject *spent = json_object_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (spent_sources); i++)
    if (kc_act_dialog_has_value (dialog, spent_sources[i].source))
      json_object_set_int_member (spent, spent_sources[i].source,
                                  kc_act_dialog_get_number (dialog, spent_sources[i].source));
  return spent;
}

/* "Đã chi: Ngân sách trung ương 120.000.000 ₫, …", or "" when nothing is
 * said. The caller frees it. */
static char *
spent_text (JsonObject *report)
{
  JsonObject *spent = kc_json_object (report, "spent");
  g_autoptr (GString) text = g_string_new (NULL);

  for (gsize i = 0; spent != NULL && i < G_N_ELEMENTS (spent_sources); i++)
    if (json_object_has_member (spent, spent_sources[i].source))
      {
        g_autofree char *money = kc_money_format (kc_json_int (spent, spent_sources[i].source));

        g_string_append_printf (text, "%s%s %s", text->len > 0 ? ", " : "",
                                kc_label_source (spent_sources[i].source), money);
      }
  if (text->len == 0)
    return g_strdup ("");
  /* TRANSLATORS: a progress report's spending so far, e.g. "Spent: Central budget 1.000 ₫" */
  return g_strdup_printf (_ ("\nSpent: %s"), text->str);
}

static void
add_spent_fields (KcActDialog *dialog, JsonObject *last)
{
  JsonObject *before = last != NULL ? kc_json_object (last, "spent") : NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (spent_sources); i++)
    {
      kc_act_dialog_add_money (dialog, spent_sources[i].source, _ (spent_sources[i].label),
                               before != NULL ? kc_json_int (before, spent_sources[i].source) : 0,
                               0, -1, NULL);
      kc_act_dialog_set_required (dialog, spent_sources[i].source, FALSE);
    }
}

static JsonNode *
report_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "percent_done",
                                           kc_act_dialog_get_number (dialog, "percent_done"), NULL);
  JsonObject *p = kc_acts_params (params);
  g_autoptr (GString) text = g_string_new (NULL);
  guint filled;

  json_object_set_string_member (p, "period", kc_act_dialog_get_choice (dialog, "period"));
  json_object_set_array_member (p, "indicators", kc_acts_indicator_values (self, dialog, &filled));
  json_object_set_object_member (p, "spent", spent_values (dialog));
  /* The work done and the difficulties go in the report's one text. */
  g_string_append_printf (text, "%s: %s", _ ("Work done"),
                          kc_act_dialog_get_text (dialog, "work_done"));
  if (kc_act_dialog_has_value (dialog, "difficulties"))
    g_string_append_printf (text, "\n%s: %s", _ ("Difficulties"),
                            kc_act_dialog_get_text (dialog, "difficulties"));
  json_object_set_string_member (p, "difficulties", text->str);
  return params;
}

static char *
report_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *month = kc_label_month (kc_act_dialog_get_choice (dialog, "period"));
  guint filled;
  g_autoptr (JsonArray) values = kc_acts_indicator_values (self, dialog, &filled);

  return g_strdup_printf (_ ("Send the progress report of %s for project %s: %d %% done, %u "
                             "indicators reached? It goes to the Department's leader to "
                             "confirm."),
                          month, kc_acts_project_code (self),
                          (int)kc_act_dialog_get_number (dialog, "percent_done"), filled);
}

static char *
report_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *month = kc_label_month (kc_json_string (result, "period"));
  gboolean late = json_object_get_boolean_member_with_default (result, "late", FALSE);

  return g_strdup_printf (late ? _ ("Progress report of %s sent (%d %% done), after the 25th: "
                                    "marked late.")
                               : _ ("Progress report of %s sent (%d %% done)."),
                          month, (int)kc_json_int (result, "percent_done"));
}

/* The months a report may be for, latest first: from January of the plan
 * year to this month (or the project's end, if earlier). */
static void
add_month_choice (KcProjectEditor *self, KcActDialog *dialog, const char *initial)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  int first = (int)kc_json_int (self->project, "year") * 12;
  int last = g_date_time_get_year (now) * 12 + g_date_time_get_month (now) - 1;
  const char *end = kc_json_string (self->project, "end_date");
  GDate date;

  if (end != NULL && kc_date_parse_iso (end, &date))
    last = MIN (last, (int)g_date_get_year (&date) * 12 + (int)g_date_get_month (&date) - 1);
  if (last < first)
    last = first;
  for (int m = last; m >= first; m--)
    {
      g_ptr_array_add (ids, g_strdup_printf ("%04d-%02d", m / 12, m % 12 + 1));
      g_ptr_array_add (texts, g_strdup_printf ("%02d/%04d", m % 12 + 1, m / 12));
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (texts, NULL);
  kc_act_dialog_add_choice (dialog, "period", _ ("_Month"), (const char *const *)ids->pdata,
                            (const char *const *)texts->pdata, initial);
}

void
kc_acts_report (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Monthly progress report"), _ ("_Send the report"));
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *period = g_date_time_format (now, "%Y-%m");
  JsonObject *last = NULL;
  g_autofree char *intro = NULL;

  JsonObject *returned = NULL;

  for (guint i = 0; self->progress != NULL && i < json_array_get_length (self->progress); i++)
    {
      last = json_array_get_object_element (self->progress, i);
      if (json_object_get_boolean_member_with_default (last, "returned", FALSE))
        returned = last;
    }
  if (returned != NULL)
    {
      g_autofree char *month = kc_label_month (kc_json_string (returned, "period"));

      /* The returned month is the one to report again. */
      g_free (period);
      period = g_strdup (kc_json_string (returned, "period"));
      last = returned;
      intro = g_strdup_printf (_ ("Project %s. The Department returned the report of %s: "
                                  "\"%s\". Report that month again."),
                               kc_acts_project_code (self), month,
                               kc_json_string (returned, "return_comment"));
    }
  else
    intro = g_strdup_printf (_ ("Project %s. The report is due before the 25th of the month; "
                                "the Department's leader confirms it and sees the files "
                                "attached to it."),
                             kc_acts_project_code (self));
  kc_act_dialog_set_intro (dialog, intro);
  add_month_choice (self, dialog, period);
  kc_act_dialog_add_number (dialog, "percent_done", _ ("_Percent complete"),
                            last != NULL ? kc_json_int (last, "percent_done") : -1, 0, 100,
                            _ ("0 to 100 %"));
  kc_act_dialog_add_long_text (dialog, "work_done", _ ("_Work done"), NULL, TRUE,
                               _ ("What was done this month"));
  add_spent_fields (dialog, last);
  kc_act_dialog_add_long_text (dialog, "difficulties", _ ("_Difficulties"), NULL, FALSE, NULL);
  kc_acts_add_indicator_fields (self, dialog,
                                last != NULL ? kc_json_array (last, "indicators") : NULL);
  kc_acts_add_chosen_files (dialog, "progress_report", "id", 0);
  kc_acts_run (self, dialog, kc_session_progress_report_async, report_build, report_confirm,
               report_done);
}

static JsonObject *
chosen_report (KcProjectEditor *self, KcActDialog *dialog)
{
  const char *id = kc_act_dialog_get_choice (dialog, "id");

  for (guint i = 0;
       id != NULL && self->progress != NULL && i < json_array_get_length (self->progress); i++)
    {
      JsonObject *r = json_array_get_object_element (self->progress, i);

      if (kc_json_int (r, "id") == g_ascii_strtoll (id, NULL, 10))
        return r;
    }
  return NULL;
}

static JsonNode *
confirm_build (KcActDialog *dialog, gpointer data)
{
  JsonObject *r = chosen_report (data, dialog);

  if (r == NULL)
    return NULL;
  return kc_editor_params_new ("id", kc_json_int (r, "id"), "version", kc_json_int (r, "version"),
                               NULL);
}

static char *
confirm_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  JsonObject *r = chosen_report (self, dialog);
  g_autofree char *month = kc_label_month (kc_json_string (r, "period"));

  return g_strdup_printf (_ ("Confirm the progress report of %s for project %s (%d %% done)? "
                             "Later advances rest on it."),
                          month, kc_acts_project_code (self), (int)kc_json_int (r, "percent_done"));
}

static char *
confirm_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *month = kc_label_month (kc_json_string (result, "period"));

  return g_strdup_printf (_ ("Progress report of %s confirmed."), month);
}

/* A report the Department has neither confirmed nor returned. */
static gboolean
is_waiting (JsonObject *r)
{
  return !json_object_get_boolean_member_with_default (r, "confirmed", FALSE)
         && !json_object_get_boolean_member_with_default (r, "returned", FALSE);
}

guint
kc_acts_unconfirmed_reports (KcProjectEditor *self)
{
  guint n = 0;

  for (guint i = 0; self->progress != NULL && i < json_array_get_length (self->progress); i++)
    if (is_waiting (json_array_get_object_element (self->progress, i)))
      n++;
  return n;
}

void
kc_acts_confirm_report (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Confirm a progress report"), _ ("C_onfirm"));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) intro = g_string_new (NULL);

  for (guint i = 0; self->progress != NULL && i < json_array_get_length (self->progress); i++)
    {
      JsonObject *r = json_array_get_object_element (self->progress, i);
      g_autofree char *month = kc_label_month (kc_json_string (r, "period"));
      const char *text = kc_json_string (r, "difficulties");
      g_autofree char *spent = NULL;

      if (!is_waiting (r))
        continue;
      g_ptr_array_add (ids, g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (r, "id")));
      g_ptr_array_add (
          texts,
          g_strdup_printf (
              _ ("%s — %d %% done%s"), month, (int)kc_json_int (r, "percent_done"),
              json_object_get_boolean_member_with_default (r, "late", FALSE) ? _ (", late") : ""));
      spent = spent_text (r);
      g_string_append_printf (intro, "%s%s: %s%s", intro->len > 0 ? "\n" : "", month,
                              text != NULL ? text : "", spent);
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (texts, NULL);
  kc_act_dialog_set_intro (dialog, intro->str);
  kc_act_dialog_add_choice (dialog, "id", _ ("_Report"), (const char *const *)ids->pdata,
                            (const char *const *)texts->pdata, ids->len > 1 ? ids->pdata[0] : NULL);
  add_waiting_report_files (self, dialog);
  kc_acts_run (self, dialog, kc_session_progress_confirm_async, confirm_build, confirm_confirm,
               confirm_done);
}

/* Returning a report (sql/0033): the Department's reasons, then the
 * implementer reports the month again. */
static JsonNode *
return_build (KcActDialog *dialog, gpointer data)
{
  JsonObject *r = chosen_report (data, dialog);
  JsonNode *params;

  if (r == NULL)
    return NULL;
  params = kc_editor_params_new ("id", kc_json_int (r, "id"), "version", kc_json_int (r, "version"),
                                 NULL);
  json_object_set_string_member (json_node_get_object (params), "comment",
                                 kc_act_dialog_get_text (dialog, "comment"));
  return params;
}

static char *
return_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  JsonObject *r = chosen_report (self, dialog);
  g_autofree char *month = kc_label_month (kc_json_string (r, "period"));

  return g_strdup_printf (_ ("Return the progress report of %s for project %s to be reported "
                             "again?"),
                          month, kc_acts_project_code (self));
}

static char *
return_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *month = kc_label_month (kc_json_string (result, "period"));

  return g_strdup_printf (_ ("Progress report of %s returned to be reported again."), month);
}

void
kc_acts_return_report (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Return a progress report"), _ ("Re_turn"));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; self->progress != NULL && i < json_array_get_length (self->progress); i++)
    {
      JsonObject *r = json_array_get_object_element (self->progress, i);
      g_autofree char *month = kc_label_month (kc_json_string (r, "period"));

      if (!is_waiting (r))
        continue;
      g_ptr_array_add (ids, g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (r, "id")));
      g_ptr_array_add (texts, g_strdup_printf (_ ("%s — %d %% done%s"), month,
                                               (int)kc_json_int (r, "percent_done"), ""));
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (texts, NULL);
  kc_act_dialog_add_choice (dialog, "id", _ ("_Report"), (const char *const *)ids->pdata,
                            (const char *const *)texts->pdata, ids->len > 1 ? ids->pdata[0] : NULL);
  kc_act_dialog_add_long_text (dialog, "comment", _ ("_Why"), NULL, TRUE,
                               _ ("What is missing or wrong; the implementer reads it"));
  add_waiting_report_files (self, dialog);
  kc_acts_run (self, dialog, kc_session_progress_return_async, return_build, return_confirm,
               return_done);
}

/* Acceptance (nghiệm thu) with the indicators achieved */

static JsonNode *
accept_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("id", self->id, "version", self->version, NULL);
  JsonObject *p = kc_acts_params (params);
  guint filled;

  kc_acts_set_iso (p, "accepted_on", dialog, "accepted_on");
  json_object_set_string_member (p, "record_no", kc_act_dialog_get_text (dialog, "record_no"));
  json_object_set_array_member (p, "indicators", kc_acts_indicator_values (self, dialog, &filled));
  if (kc_act_dialog_has_value (dialog, "note"))
    json_object_set_string_member (p, "note", kc_act_dialog_get_text (dialog, "note"));
  return params;
}

static char *
accept_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  guint filled;
  g_autoptr (JsonArray) values = kc_acts_indicator_values (self, dialog, &filled);

  return g_strdup_printf (_ ("Accept project %s on %s (record %s) with %u indicators achieved? "
                             "The project becomes completed: no more advances, the final "
                             "payment and the settlement follow."),
                          kc_acts_project_code (self),
                          kc_act_dialog_get_text (dialog, "accepted_on"),
                          kc_act_dialog_get_text (dialog, "record_no"), filled);
}

static char *
accept_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Project %s accepted (record %s, %s)."), kc_acts_project_code (self),
                          kc_act_dialog_get_text (dialog, "record_no"),
                          kc_act_dialog_get_text (dialog, "accepted_on"));
}

void
kc_acts_accept (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Acceptance"), _ ("_Accept the project"));
  char *intro = g_strdup_printf (
      _ ("Project %s. Enter the acceptance record and what each indicator achieved (the "
         "programme's achieved figures come from here)."),
      kc_acts_project_code (self));

  JsonObject *dossier = kc_json_object (self->project, "acceptance_dossier");
  KcFileList *files = NULL;

  if (dossier != NULL)
    {
      g_autofree char *at = kc_label_instant (kc_json_string (dossier, "submitted_at"));
      const char *by = kc_json_string (dossier, "submitted_by_name");
      g_autofree char *more = g_strdup_printf (
          /* TRANSLATORS: the acceptance dialog's intro, then the officer's dossier */
          _ ("%s\n\nAcceptance dossier sent by %s on %s: \"%s\"\nThe indicators start from the "
             "values it proposes."),
          intro, by != NULL ? by : "", at, kc_json_string (dossier, "report"));

      g_free (intro);
      intro = g_steal_pointer (&more);
    }
  kc_act_dialog_set_intro (dialog, intro);
  kc_act_dialog_add_date (dialog, "accepted_on", _ ("Accepted _on"), NULL, TRUE);
  kc_act_dialog_add_text (dialog, "record_no", _ ("_Record number"), NULL, TRUE, NULL);
  kc_acts_add_indicator_fields (self, dialog,
                                dossier != NULL ? kc_json_array (dossier, "indicators") : NULL);
  kc_act_dialog_add_long_text (dialog, "note", _ ("_Note"), NULL, FALSE, NULL);
  if (dossier != NULL)
    kc_acts_add_stored_files (self, dialog, &files, _ ("Files of the dossier"),
                              kc_json_array (dossier, "attachments"), NULL);
  kc_acts_run (self, dialog, kc_session_project_accept_async, accept_build, accept_confirm,
               accept_done);
  g_free (intro);
}

/* The acceptance dossier (issue 16, sql/0043): the officer's report of the
 * results, the indicators achieved as proposed, the files */

static JsonNode *
acceptance_dossier_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("id", self->id, "version", self->version, NULL);
  JsonObject *p = kc_acts_params (params);
  guint filled;

  json_object_set_string_member (p, "report", kc_act_dialog_get_text (dialog, "report"));
  json_object_set_array_member (p, "indicators", kc_acts_indicator_values (self, dialog, &filled));
  return params;
}

static char *
acceptance_dossier_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  guint filled;
  g_autoptr (JsonArray) values = kc_acts_indicator_values (self, dialog, &filled);

  return g_strdup_printf (kc_acts_is_national (self)
                              ? _ ("Send the acceptance dossier of project %s with %u indicators "
                                   "achieved? The Ministry reviews it and accepts the project.")
                              : _ ("Send the acceptance dossier of project %s with %u indicators "
                                   "achieved? The Department's leader reviews it and accepts the "
                                   "project."),
                          kc_acts_project_code (self), filled);
}

static char *
acceptance_dossier_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Acceptance dossier of project %s sent."),
                          kc_acts_project_code (self));
}

void
kc_acts_submit_acceptance (KcProjectEditor *self)
{
  KcActDialog *dialog = kc_acts_new (self, _ ("Acceptance dossier"), _ ("_Send the dossier"));
  JsonObject *dossier = kc_json_object (self->project, "acceptance_dossier");
  JsonArray *start = dossier != NULL ? kc_json_array (dossier, "indicators") : NULL;
  KcFileList *files = NULL;
  g_autofree char *intro = g_strdup_printf (
      _ ("Project %s. When the work is finished, send the results and what each indicator "
         "achieved; %s reviews the dossier and records the acceptance (nghiệm thu)."),
      kc_acts_project_code (self),
      kc_acts_is_national (self) ? _ ("the Ministry") : _ ("the Department's leader"));

  /* a first dossier starts from the last progress report */
  for (guint i = 0;
       start == NULL && self->progress != NULL && i < json_array_get_length (self->progress); i++)
    if (i + 1 == json_array_get_length (self->progress))
      start = kc_json_array (json_array_get_object_element (self->progress, i), "indicators");
  kc_act_dialog_set_intro (dialog, intro);
  kc_act_dialog_add_long_text (dialog, "report", _ ("_Results"),
                               dossier != NULL ? kc_json_string (dossier, "report") : NULL, TRUE,
                               _ ("What was done, for whom, with what result"));
  kc_acts_add_indicator_fields (self, dialog, start);
  if (dossier != NULL)
    kc_acts_add_stored_files (self, dialog, &files, _ ("Files already sent"),
                              kc_json_array (dossier, "attachments"), NULL);
  kc_acts_add_chosen_files (dialog, "acceptance", NULL, self->id);
  kc_acts_run (self, dialog, kc_session_project_submit_acceptance_async, acceptance_dossier_build,
               acceptance_dossier_confirm, acceptance_dossier_done);
}
