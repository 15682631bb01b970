/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-editor-acts.c — the acts after approval, each in its KcActDialog:
 * progress reports and their confirmation, acceptance, adjustments,
 * cancellation, and the money (allocation, contract, advance, final
 * payment, refund, settlement dossier, settlement, carry-over, recovery).
 * kc_editor_acts_add() puts on the action bar exactly those the signed-in
 * role may take at the project's status and stage (docs/domain.md, "After
 * approval", "Budget", "The money chain"); each dialog shows its limits,
 * asks once and says what happened.
 */
#include "kc-project-editor-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kc-act-dialog.h"
#include "kc-calls.h"
#include "kc-date.h"
#include "kc-file-list.h"
#include "kc-json.h"
#include "kc-labels.h"
#include "kc-money.h"

/* Shared pieces */

static gboolean
is_role (KcProjectEditor *self, const char *role)
{
  return g_str_equal (kc_project_editor_role (self), role);
}

static gboolean
is_national (KcProjectEditor *self)
{
  return g_strcmp0 (kc_json_string (self->project, "scope"), "national") == 0;
}

/* The role that writes the project's money: the Minister's approver for a
 * national project, the province's leader for a local one. */
static gboolean
writes_money (KcProjectEditor *self)
{
  return is_national (self) ? is_role (self, "ministry_approver")
                            : is_role (self, "province_leader");
}

static const char *
project_code (KcProjectEditor *self)
{
  const char *code = kc_json_string (self->project, "code");

  return code != NULL ? code : "";
}

static const char *
money_source (KcProjectEditor *self)
{
  return is_national (self) ? "central" : "local";
}

static gint64
total (KcProjectEditor *self, const char *name)
{
  JsonNode *node = self->budget != NULL ? json_object_get_member (self->budget, "totals") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  return kc_json_int (json_node_get_object (node), name);
}

static gint64
budget_line (KcProjectEditor *self, const char *source)
{
  JsonArray *lines = kc_json_array (self->project, "budget_lines");

  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);

      if (g_strcmp0 (kc_json_string (line, "source"), source) == 0)
        return kc_json_int (line, "amount");
    }
  return 0;
}

/* "2026-11" → "11/2026" (transfer full). */
static char *
month_vn (const char *period)
{
  if (period == NULL || strlen (period) < 7)
    return g_strdup ("");
  return g_strdup_printf ("%.2s/%.4s", period + 5, period);
}

static char *
date_vn (const char *iso)
{
  GDate date;

  if (iso == NULL || !kc_date_parse_iso (iso, &date))
    return g_strdup (iso != NULL ? iso : "");
  return kc_date_format_vn (&date);
}

/* An RFC 3339 instant as "20/03/2026 14:05", local time (transfer full). */
static char *
instant_vn (const char *text)
{
  g_autoptr (GDateTime) at = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
  g_autoptr (GDateTime) local = at != NULL ? g_date_time_to_local (at) : NULL;

  return local != NULL ? g_date_time_format (local, "%d/%m/%Y %H:%M") : g_strdup ("");
}

static const char *
indicator_name (KcProjectEditor *self, const char *code)
{
  JsonArray *items = self->catalog != NULL ? kc_json_array (self->catalog, "indicators") : NULL;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (kc_json_string (item, "code"), code) == 0)
        return kc_json_string (item, "name_vi");
    }
  return NULL;
}

/* One number field per indicator of the project, keyed "indicators.CODE";
 * @achieved (nullable) gives the value to start from by code. */
static void
add_indicator_fields (KcProjectEditor *self, KcActDialog *dialog, JsonArray *achieved)
{
  JsonArray *items = kc_json_array (self->project, "indicators");

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *code = kc_json_string (item, "code");
      const char *name = indicator_name (self, code);
      g_autofree char *key = g_strdup_printf ("indicators.%s", code);
      g_autofree char *label
          = g_strdup_printf ("%s%s%s", code, name != NULL ? " — " : "", name != NULL ? name : "");
      g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, kc_json_int (item, "target"));
      g_autofree char *hint = g_strdup_printf (_ ("target %s"), target);
      gint64 start = -1;

      for (guint j = 0; achieved != NULL && j < json_array_get_length (achieved); j++)
        {
          JsonObject *a = json_array_get_object_element (achieved, j);

          if (g_strcmp0 (kc_json_string (a, "code"), code) == 0)
            start = kc_json_int (a, "achieved");
        }
      if (start < 0 && json_object_has_member (item, "achieved")
          && !json_object_get_null_member (item, "achieved"))
        start = kc_json_int (item, "achieved");
      kc_act_dialog_add_number (dialog, key, label, start, 0, -1, hint);
      kc_act_dialog_set_required (dialog, key, FALSE);
    }
}

/* [{code, achieved}] of the filled indicator fields (transfer full). */
static JsonArray *
indicator_values (KcProjectEditor *self, KcActDialog *dialog, guint *filled)
{
  JsonArray *out = json_array_new ();
  JsonArray *items = kc_json_array (self->project, "indicators");

  *filled = 0;
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      const char *code = kc_json_string (json_array_get_object_element (items, i), "code");
      g_autofree char *key = g_strdup_printf ("indicators.%s", code);
      JsonObject *o;

      if (!kc_act_dialog_has_value (dialog, key))
        continue;
      o = json_object_new ();
      json_object_set_string_member (o, "code", code);
      json_object_set_int_member (o, "achieved", kc_act_dialog_get_number (dialog, key));
      json_array_add_object_element (out, o);
      (*filled)++;
    }
  return out;
}

static void
act_finished (gpointer data, const char *text)
{
  KcProjectEditor *self = data;

  kc_project_editor_clear_errors (self);
  kc_project_editor_show_message (self, GTK_MESSAGE_INFO, text != NULL ? text : "", FALSE);
  kc_project_editor_load (self);
}

static KcActDialog *
act_new (KcProjectEditor *self, const char *title, const char *accept)
{
  return kc_act_dialog_new (GTK_WINDOW (self), self->session, title, accept);
}

static void
act_run (KcProjectEditor *self, KcActDialog *dialog, KcCallFunc method, KcActBuildFunc build,
         KcActTextFunc confirm, KcActTextFunc done)
{
  kc_project_editor_hide_message (self);
  kc_act_dialog_run (dialog, method, build, confirm, done, act_finished, g_object_ref (self),
                     g_object_unref);
}

static JsonObject *
params_of (JsonNode *node)
{
  return json_node_get_object (node);
}

static void
set_iso (JsonObject *params, const char *member, KcActDialog *dialog, const char *key)
{
  g_autofree char *iso = kc_act_dialog_get_iso (dialog, key);

  json_object_set_string_member (params, member, iso != NULL ? iso : "");
}

/* The files that go with an act (issue 16): chosen here, sent to
 * (@owner_type, the result's @id_member or @owner_id) once the act is
 * done. */
static void
add_chosen_files (KcActDialog *dialog, const char *owner_type, const char *id_member,
                  gint64 owner_id)
{
  GtkWidget *files = GTK_WIDGET (kc_file_list_new_chosen ());

  kc_act_dialog_add_widget (dialog, _ ("Attachments"), files);
  kc_act_dialog_upload_after (dialog, files, owner_type, id_member, owner_id);
}

/* The files already on the server (attachment.list's items), to open or
 * save; @prefix (nullable) before each name. Adds the list to @files,
 * created (and put on @dialog under @label) on the first file. */
static void
add_stored_files (KcProjectEditor *self, KcActDialog *dialog, KcFileList **files, const char *label,
                  JsonArray *attachments, const char *prefix)
{
  for (guint i = 0; attachments != NULL && i < json_array_get_length (attachments); i++)
    {
      if (*files == NULL)
        {
          *files = kc_file_list_new_stored (self->session);
          kc_act_dialog_add_widget (dialog, label, GTK_WIDGET (*files));
        }
      kc_file_list_add_stored (*files, json_array_get_object_element (attachments, i), prefix);
    }
}

/* The files of the reports waiting for the Department, by month. */
static void
add_waiting_report_files (KcProjectEditor *self, KcActDialog *dialog)
{
  KcFileList *files = NULL;

  for (guint i = 0; self->progress != NULL && i < json_array_get_length (self->progress); i++)
    {
      JsonObject *r = json_array_get_object_element (self->progress, i);
      g_autofree char *month = month_vn (kc_json_string (r, "period"));

      if (!json_object_get_boolean_member_with_default (r, "confirmed", FALSE)
          && !json_object_get_boolean_member_with_default (r, "returned", FALSE))
        add_stored_files (self, dialog, &files, _ ("Files of the report"),
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
  JsonObject *p = params_of (params);
  g_autoptr (GString) text = g_string_new (NULL);
  guint filled;

  json_object_set_string_member (p, "period", kc_act_dialog_get_choice (dialog, "period"));
  json_object_set_array_member (p, "indicators", indicator_values (self, dialog, &filled));
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
  g_autofree char *month = month_vn (kc_act_dialog_get_choice (dialog, "period"));
  guint filled;
  g_autoptr (JsonArray) values = indicator_values (self, dialog, &filled);

  return g_strdup_printf (_ ("Send the progress report of %s for project %s: %d %% done, %u "
                             "indicators reached? It goes to the Department's leader to "
                             "confirm."),
                          month, project_code (self),
                          (int)kc_act_dialog_get_number (dialog, "percent_done"), filled);
}

static char *
report_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *month = month_vn (kc_json_string (result, "period"));
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

static void
on_report_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Monthly progress report"), _ ("_Send the report"));
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
      g_autofree char *month = month_vn (kc_json_string (returned, "period"));

      /* The returned month is the one to report again. */
      g_free (period);
      period = g_strdup (kc_json_string (returned, "period"));
      last = returned;
      intro = g_strdup_printf (_ ("Project %s. The Department returned the report of %s: "
                                  "\"%s\". Report that month again."),
                               project_code (self), month,
                               kc_json_string (returned, "return_comment"));
    }
  else
    intro = g_strdup_printf (_ ("Project %s. The report is due before the 25th of the month; "
                                "the Department's leader confirms it and sees the files "
                                "attached to it."),
                             project_code (self));
  kc_act_dialog_set_intro (dialog, intro);
  add_month_choice (self, dialog, period);
  kc_act_dialog_add_number (dialog, "percent_done", _ ("_Percent complete"),
                            last != NULL ? kc_json_int (last, "percent_done") : -1, 0, 100,
                            _ ("0 to 100 %"));
  kc_act_dialog_add_long_text (dialog, "work_done", _ ("_Work done"), NULL, TRUE,
                               _ ("What was done this month"));
  add_spent_fields (dialog, last);
  kc_act_dialog_add_long_text (dialog, "difficulties", _ ("_Difficulties"), NULL, FALSE, NULL);
  add_indicator_fields (self, dialog, last != NULL ? kc_json_array (last, "indicators") : NULL);
  add_chosen_files (dialog, "progress_report", "id", 0);
  act_run (self, dialog, kc_session_progress_report_async, report_build, report_confirm,
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
  g_autofree char *month = month_vn (kc_json_string (r, "period"));

  return g_strdup_printf (_ ("Confirm the progress report of %s for project %s (%d %% done)? "
                             "Later advances rest on it."),
                          month, project_code (self), (int)kc_json_int (r, "percent_done"));
}

static char *
confirm_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *month = month_vn (kc_json_string (result, "period"));

  return g_strdup_printf (_ ("Progress report of %s confirmed."), month);
}

/* A report the Department has neither confirmed nor returned. */
static gboolean
is_waiting (JsonObject *r)
{
  return !json_object_get_boolean_member_with_default (r, "confirmed", FALSE)
         && !json_object_get_boolean_member_with_default (r, "returned", FALSE);
}

static guint
unconfirmed_reports (KcProjectEditor *self)
{
  guint n = 0;

  for (guint i = 0; self->progress != NULL && i < json_array_get_length (self->progress); i++)
    if (is_waiting (json_array_get_object_element (self->progress, i)))
      n++;
  return n;
}

static void
on_confirm_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Confirm a progress report"), _ ("C_onfirm"));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) intro = g_string_new (NULL);

  for (guint i = 0; self->progress != NULL && i < json_array_get_length (self->progress); i++)
    {
      JsonObject *r = json_array_get_object_element (self->progress, i);
      g_autofree char *month = month_vn (kc_json_string (r, "period"));
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
  act_run (self, dialog, kc_session_progress_confirm_async, confirm_build, confirm_confirm,
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
  g_autofree char *month = month_vn (kc_json_string (r, "period"));

  return g_strdup_printf (_ ("Return the progress report of %s for project %s to be reported "
                             "again?"),
                          month, project_code (self));
}

static char *
return_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *month = month_vn (kc_json_string (result, "period"));

  return g_strdup_printf (_ ("Progress report of %s returned to be reported again."), month);
}

static void
on_return_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Return a progress report"), _ ("Re_turn"));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; self->progress != NULL && i < json_array_get_length (self->progress); i++)
    {
      JsonObject *r = json_array_get_object_element (self->progress, i);
      g_autofree char *month = month_vn (kc_json_string (r, "period"));

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
  act_run (self, dialog, kc_session_progress_return_async, return_build, return_confirm,
           return_done);
}

/* Acceptance (nghiệm thu) with the indicators achieved */

static JsonNode *
accept_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("id", self->id, "version", self->version, NULL);
  JsonObject *p = params_of (params);
  guint filled;

  set_iso (p, "accepted_on", dialog, "accepted_on");
  json_object_set_string_member (p, "record_no", kc_act_dialog_get_text (dialog, "record_no"));
  json_object_set_array_member (p, "indicators", indicator_values (self, dialog, &filled));
  if (kc_act_dialog_has_value (dialog, "note"))
    json_object_set_string_member (p, "note", kc_act_dialog_get_text (dialog, "note"));
  return params;
}

static char *
accept_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  guint filled;
  g_autoptr (JsonArray) values = indicator_values (self, dialog, &filled);

  return g_strdup_printf (_ ("Accept project %s on %s (record %s) with %u indicators achieved? "
                             "The project becomes completed: no more advances, the final "
                             "payment and the settlement follow."),
                          project_code (self), kc_act_dialog_get_text (dialog, "accepted_on"),
                          kc_act_dialog_get_text (dialog, "record_no"), filled);
}

static char *
accept_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Project %s accepted (record %s, %s)."), project_code (self),
                          kc_act_dialog_get_text (dialog, "record_no"),
                          kc_act_dialog_get_text (dialog, "accepted_on"));
}

static void
on_accept_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Acceptance"), _ ("_Accept the project"));
  char *intro = g_strdup_printf (
      _ ("Project %s. Enter the acceptance record and what each indicator achieved (the "
         "programme's achieved figures come from here)."),
      project_code (self));

  JsonObject *dossier = kc_json_object (self->project, "acceptance_dossier");
  KcFileList *files = NULL;

  if (dossier != NULL)
    {
      g_autofree char *at = instant_vn (kc_json_string (dossier, "submitted_at"));
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
  add_indicator_fields (self, dialog,
                        dossier != NULL ? kc_json_array (dossier, "indicators") : NULL);
  kc_act_dialog_add_long_text (dialog, "note", _ ("_Note"), NULL, FALSE, NULL);
  if (dossier != NULL)
    add_stored_files (self, dialog, &files, _ ("Files of the dossier"),
                      kc_json_array (dossier, "attachments"), NULL);
  act_run (self, dialog, kc_session_project_accept_async, accept_build, accept_confirm,
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
  JsonObject *p = params_of (params);
  guint filled;

  json_object_set_string_member (p, "report", kc_act_dialog_get_text (dialog, "report"));
  json_object_set_array_member (p, "indicators", indicator_values (self, dialog, &filled));
  return params;
}

static char *
acceptance_dossier_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  guint filled;
  g_autoptr (JsonArray) values = indicator_values (self, dialog, &filled);

  return g_strdup_printf (is_national (self)
                              ? _ ("Send the acceptance dossier of project %s with %u indicators "
                                   "achieved? The Ministry reviews it and accepts the project.")
                              : _ ("Send the acceptance dossier of project %s with %u indicators "
                                   "achieved? The Department's leader reviews it and accepts the "
                                   "project."),
                          project_code (self), filled);
}

static char *
acceptance_dossier_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Acceptance dossier of project %s sent."), project_code (self));
}

static void
on_submit_acceptance_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Acceptance dossier"), _ ("_Send the dossier"));
  JsonObject *dossier = kc_json_object (self->project, "acceptance_dossier");
  JsonArray *start = dossier != NULL ? kc_json_array (dossier, "indicators") : NULL;
  KcFileList *files = NULL;
  g_autofree char *intro = g_strdup_printf (
      _ ("Project %s. When the work is finished, send the results and what each indicator "
         "achieved; %s reviews the dossier and records the acceptance (nghiệm thu)."),
      project_code (self), is_national (self) ? _ ("the Ministry") : _ ("the Department's leader"));

  /* a first dossier starts from the last progress report */
  for (guint i = 0;
       start == NULL && self->progress != NULL && i < json_array_get_length (self->progress); i++)
    if (i + 1 == json_array_get_length (self->progress))
      start = kc_json_array (json_array_get_object_element (self->progress, i), "indicators");
  kc_act_dialog_set_intro (dialog, intro);
  kc_act_dialog_add_long_text (dialog, "report", _ ("_Results"),
                               dossier != NULL ? kc_json_string (dossier, "report") : NULL, TRUE,
                               _ ("What was done, for whom, with what result"));
  add_indicator_fields (self, dialog, start);
  if (dossier != NULL)
    add_stored_files (self, dialog, &files, _ ("Files already sent"),
                      kc_json_array (dossier, "attachments"), NULL);
  add_chosen_files (dialog, "acceptance", NULL, self->id);
  act_run (self, dialog, kc_session_project_submit_acceptance_async, acceptance_dossier_build,
           acceptance_dossier_confirm, acceptance_dossier_done);
}

/* Adjustments: the request (province) and its decision */

static const char *const adjustment_types[] = { "minor",
                                                "increase_support",
                                                "change_content",
                                                "extend_next_year",
                                                "change_location_beneficiary_partner",
                                                "group_change",
                                                NULL };

static const char *
adjustment_type_label (const char *type)
{
  if (g_strcmp0 (type, "minor") == 0)
    return _ ("Minor change (implementer, schedule, items)");
  if (g_strcmp0 (type, "increase_support") == 0)
    return _ ("Increase of the support");
  if (g_strcmp0 (type, "change_content") == 0)
    return _ ("Change of content");
  if (g_strcmp0 (type, "extend_next_year") == 0)
    return _ ("Extension into the next year");
  if (g_strcmp0 (type, "change_location_beneficiary_partner") == 0)
    return _ ("Change of location, beneficiary or partner");
  if (g_strcmp0 (type, "group_change") == 0)
    return _ ("Change within a group project");
  return _ ("Adjustment");
}

static JsonNode *
request_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, NULL);
  JsonObject *p = params_of (params);
  JsonObject *changes = json_object_new ();

  json_object_set_string_member (p, "type", kc_act_dialog_get_choice (dialog, "type"));
  json_object_set_string_member (p, "reason", kc_act_dialog_get_text (dialog, "reason"));
  if (kc_act_dialog_has_value (dialog, "end_date"))
    set_iso (changes, "end_date", dialog, "end_date");
  if (kc_act_dialog_has_value (dialog, "objectives"))
    json_object_set_string_member (changes, "objectives",
                                   kc_act_dialog_get_text (dialog, "objectives"));
  if (kc_act_dialog_has_value (dialog, "implementation"))
    json_object_set_string_member (changes, "implementation",
                                   kc_act_dialog_get_text (dialog, "implementation"));
  if (json_object_get_size (changes) == 0)
    {
      json_object_unref (changes);
      json_node_unref (params);
      kc_act_dialog_mark (dialog, "end_date", _ ("Name at least one change."));
      return NULL;
    }
  json_object_set_object_member (p, "changes", changes);
  return params;
}

static char *
request_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Send the adjustment request \"%s\" for project %s? Until it is "
                             "decided the project cannot be adjusted again."),
                          adjustment_type_label (kc_act_dialog_get_choice (dialog, "type")),
                          project_code (self));
}

static char *
request_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  return g_strdup_printf (_ ("Adjustment request sent (%s)."),
                          adjustment_type_label (kc_json_string (result, "type")));
}

static void
on_request_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Adjustment request"), _ ("_Send the request"));
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();

  for (int i = 0; adjustment_types[i] != NULL; i++)
    g_ptr_array_add (texts, (gpointer)adjustment_type_label (adjustment_types[i]));
  g_ptr_array_add (texts, NULL);
  kc_act_dialog_set_intro (dialog, _ ("Say what changes and why. The deciding authority follows "
                                      "from the kind of change: the Minister, the Ministry's "
                                      "department or the province's Department."));
  kc_act_dialog_add_choice (dialog, "type", _ ("_Kind of change"), adjustment_types,
                            (const char *const *)texts->pdata, NULL);
  kc_act_dialog_add_date (dialog, "end_date", _ ("New _end date"),
                          kc_json_string (self->project, "end_date"), FALSE);
  kc_act_dialog_set_required (dialog, "end_date", FALSE);
  kc_act_dialog_add_long_text (dialog, "objectives", _ ("New _objectives"), NULL, FALSE, NULL);
  kc_act_dialog_add_long_text (dialog, "implementation", _ ("New _implementation"), NULL, FALSE,
                               NULL);
  kc_act_dialog_add_long_text (dialog, "reason", _ ("_Why"), NULL, TRUE, NULL);
  act_run (self, dialog, kc_session_adjustment_request_async, request_build, request_confirm,
           request_done);
}

/* The open request this role decides, or NULL. */
static JsonObject *
open_adjustment (KcProjectEditor *self, gboolean mine)
{
  for (guint i = 0; self->adjustments != NULL && i < json_array_get_length (self->adjustments); i++)
    {
      JsonObject *a = json_array_get_object_element (self->adjustments, i);
      JsonArray *roles = kc_json_array (a, "approver_roles");

      if (g_strcmp0 (kc_json_string (a, "status"), "requested") != 0)
        continue;
      if (!mine)
        return a;
      for (guint j = 0; roles != NULL && j < json_array_get_length (roles); j++)
        if (g_strcmp0 (json_array_get_string_element (roles, j), kc_project_editor_role (self))
            == 0)
          return a;
    }
  return NULL;
}

static JsonNode *
decide_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonObject *a = open_adjustment (self, TRUE);
  const char *decision = kc_act_dialog_get_choice (dialog, "decision");
  JsonNode *params;

  if (a == NULL)
    return NULL;
  if (g_strcmp0 (decision, "reject") == 0 && !kc_act_dialog_has_value (dialog, "comment"))
    {
      kc_act_dialog_mark (dialog, "comment", _ ("Say why the request is refused."));
      return NULL;
    }
  params = kc_editor_params_new ("id", kc_json_int (a, "id"), "version", kc_json_int (a, "version"),
                                 NULL);
  json_object_set_string_member (params_of (params), "decision", decision);
  if (kc_act_dialog_has_value (dialog, "comment"))
    json_object_set_string_member (params_of (params), "comment",
                                   kc_act_dialog_get_text (dialog, "comment"));
  return params;
}

static char *
decide_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  JsonObject *a = open_adjustment (self, TRUE);
  gboolean approve = g_strcmp0 (kc_act_dialog_get_choice (dialog, "decision"), "approve") == 0;

  return g_strdup_printf (approve ? _ ("Approve the adjustment \"%s\" of project %s? Its changes "
                                       "apply to the project at once.")
                                  : _ ("Refuse the adjustment \"%s\" of project %s?"),
                          adjustment_type_label (kc_json_string (a, "type")), project_code (self));
}

static char *
decide_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  const char *type = adjustment_type_label (kc_json_string (result, "type"));

  return g_strdup_printf (g_strcmp0 (kc_json_string (result, "status"), "approved") == 0
                              ? _ ("Adjustment approved (%s): the project is changed.")
                              : _ ("Adjustment refused (%s)."),
                          type);
}

static void
on_decide_adjustment_clicked_cb (KcProjectEditor *self)
{
  JsonObject *a = open_adjustment (self, TRUE);
  KcActDialog *dialog = act_new (self, _ ("Decide an adjustment"), _ ("_Decide"));
  static const char *const ids[] = { "approve", "reject", NULL };
  const char *texts[] = { _ ("Approve"), _ ("Refuse"), NULL };
  g_autoptr (GString) intro = g_string_new (NULL);
  JsonObject *changes = a != NULL ? kc_json_object (a, "changes") : NULL;
  g_autoptr (GList) members = changes != NULL ? json_object_get_members (changes) : NULL;

  g_string_append_printf (intro, _ ("%s. Why: %s"),
                          adjustment_type_label (kc_json_string (a, "type")),
                          kc_json_string (a, "reason") != NULL ? kc_json_string (a, "reason") : "");
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (changes, l->data);
      const char *label = kc_project_editor_field_label (l->data);
      g_autofree char *shown = JSON_NODE_HOLDS_VALUE (value)
                                   ? g_strdup (json_node_get_string (value))
                                   : json_to_string (value, FALSE);

      if (g_strcmp0 (l->data, "end_date") == 0)
        {
          g_free (shown);
          shown = date_vn (json_node_get_string (value));
        }
      g_string_append_printf (intro, "\n• %s: %s", label != NULL ? label : (char *)l->data,
                              shown != NULL ? shown : "");
    }
  kc_act_dialog_set_intro (dialog, intro->str);
  kc_act_dialog_add_choice (dialog, "decision", _ ("_Decision"), ids, texts, "approve");
  kc_act_dialog_add_long_text (dialog, "comment", _ ("_Comment"), NULL, FALSE,
                               _ ("Required to refuse"));
  act_run (self, dialog, kc_session_adjustment_decide_async, decide_build, decide_confirm,
           decide_done);
}

/* Cancellation or suspension */

static JsonNode *
cancel_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("id", self->id, "version", self->version, NULL);
  JsonObject *p = params_of (params);

  json_object_set_string_member (p, "kind", kc_act_dialog_get_choice (dialog, "kind"));
  json_object_set_string_member (p, "decision_no", kc_act_dialog_get_text (dialog, "decision_no"));
  set_iso (p, "decision_date", dialog, "decision_date");
  json_object_set_string_member (p, "reason", kc_act_dialog_get_text (dialog, "reason"));
  return params;
}

static char *
cancel_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  gint64 paid = total (self, "paid");
  g_autofree char *unpaid = kc_money_format (MAX (0, total (self, "allocated") - paid));
  g_autofree char *owed = kc_money_format (paid);
  gboolean suspend = g_strcmp0 (kc_act_dialog_get_choice (dialog, "kind"), "suspension") == 0;

  return g_strdup_printf (suspend ? _ ("Suspend project %s by decision %s? This ends it: %s "
                                       "allocated and not paid returns to the appropriation, "
                                       "%s paid is owed back.")
                                  : _ ("Cancel project %s by decision %s? This ends it: %s "
                                       "allocated and not paid returns to the appropriation, "
                                       "%s paid is owed back."),
                          project_code (self), kc_act_dialog_get_text (dialog, "decision_no"),
                          unpaid, owed);
}

static char *
cancel_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (g_strcmp0 (kc_act_dialog_get_choice (dialog, "kind"), "suspension") == 0
                              ? _ ("Project %s suspended (decision %s).")
                              : _ ("Project %s cancelled (decision %s)."),
                          project_code (self), kc_act_dialog_get_text (dialog, "decision_no"));
}

static void
on_cancel_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Cancel or suspend the project"), _ ("_End the project"));
  static const char *const ids[] = { "cancellation", "suspension", NULL };
  const char *texts[] = { _ ("Cancellation"), _ ("Suspension"), NULL };

  kc_act_dialog_add_choice (dialog, "kind", _ ("_Kind"), ids, texts, "cancellation");
  kc_act_dialog_add_text (dialog, "decision_no", _ ("Decision _number"), NULL, TRUE, NULL);
  kc_act_dialog_add_date (dialog, "decision_date", _ ("Decision _date"), NULL, TRUE);
  kc_act_dialog_add_long_text (dialog, "reason", _ ("_Reason"), NULL, TRUE, NULL);
  act_run (self, dialog, kc_session_project_cancel_async, cancel_build, cancel_confirm,
           cancel_done);
}

/* Money: allocation, contract, payments */

static char *
money_of (KcActDialog *dialog, const char *key)
{
  return kc_money_format (kc_act_dialog_get_number (dialog, key));
}

static JsonNode *
allocate_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params
      = kc_editor_params_new ("project_id", self->id, "version", self->version, "amount",
                              kc_act_dialog_get_number (dialog, "amount"), NULL);

  json_object_set_string_member (params_of (params), "source", money_source (self));
  return params;
}

static char *
allocate_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Allocate %s of the %s to project %s?"), amount,
                          kc_label_source (money_source (self)), project_code (self));
}

static char *
allocate_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("%s allocated to project %s."), amount, project_code (self));
}

static void
on_allocate_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Allocate budget"), _ ("_Allocate"));
  gint64 line = budget_line (self, money_source (self));
  gint64 left = MAX (0, line - total (self, "allocated"));
  g_autofree char *money = kc_money_format (left);
  g_autofree char *hint = g_strdup_printf (_ ("at most %s = the project's %s line less what is "
                                              "allocated"),
                                           money, kc_label_source (money_source (self)));

  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), left, 1, left, hint);
  act_run (self, dialog, kc_session_budget_allocate_async, allocate_build, allocate_confirm,
           allocate_done);
}

static JsonNode *
contract_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params
      = kc_editor_params_new ("project_id", self->id, "version", self->version, "amount",
                              kc_act_dialog_get_number (dialog, "amount"), NULL);

  json_object_set_string_member (params_of (params), "number",
                                 kc_act_dialog_get_text (dialog, "number"));
  set_iso (params_of (params), "signed_on", dialog, "signed_on");
  return params;
}

static char *
contract_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Record contract %s of %s for project %s? A project has one "
                             "contract."),
                          kc_act_dialog_get_text (dialog, "number"), amount, project_code (self));
}

static char *
contract_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Contract %s recorded (%s)."),
                          kc_act_dialog_get_text (dialog, "number"), amount);
}

static void
on_contract_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Record the contract"), _ ("_Record"));
  gint64 allocated = total (self, "allocated");
  g_autofree char *money = kc_money_format (allocated);
  g_autofree char *hint = g_strdup_printf (_ ("at most %s = what is allocated"), money);

  kc_act_dialog_add_text (dialog, "number", _ ("Contract _number"), NULL, TRUE, NULL);
  kc_act_dialog_add_date (dialog, "signed_on", _ ("_Signed on"), NULL, TRUE);
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), allocated, 1, allocated, hint);
  act_run (self, dialog, kc_session_budget_contract_async, contract_build, contract_confirm,
           contract_done);
}

/* The kind of payment the dialog records: "advance", "final" or "refund". */
static const char *
payment_kind (KcProjectEditor *self)
{
  return self->paying;
}

static const char *
payment_name (const char *kind)
{
  if (g_strcmp0 (kind, "final") == 0)
    return _ ("final payment");
  if (g_strcmp0 (kind, "refund") == 0)
    return _ ("refund");
  return _ ("advance");
}

static JsonNode *
pay_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "amount",
                                           kc_act_dialog_get_number (dialog, "amount"), NULL);
  JsonObject *p = params_of (params);

  json_object_set_string_member (p, "kind", payment_kind (self));
  set_iso (p, "date", dialog, "date");
  json_object_set_string_member (p, "document_no", kc_act_dialog_get_text (dialog, "document_no"));
  return params;
}

static char *
pay_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");
  const char *kind = payment_kind (self);

  if (g_str_equal (kind, "refund"))
    return g_strdup_printf (_ ("Record a refund of %s from project %s (voucher %s)?"), amount,
                            project_code (self), kc_act_dialog_get_text (dialog, "document_no"));
  return g_strdup_printf (_ ("Pay %s to project %s as its %s (voucher %s)?"), amount,
                          project_code (self), payment_name (kind),
                          kc_act_dialog_get_text (dialog, "document_no"));
}

static char *
pay_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");
  const char *kind = payment_kind (self);

  if (g_str_equal (kind, "refund"))
    return g_strdup_printf (_ ("Refund of %s recorded for project %s."), amount,
                            project_code (self));
  if (g_str_equal (kind, "final"))
    return g_strdup_printf (_ ("Final payment of %s recorded for project %s."), amount,
                            project_code (self));
  return g_strdup_printf (_ ("Advance of %s recorded for project %s."), amount,
                          project_code (self));
}

static gint64
max_before_acceptance_pct (KcProjectEditor *self)
{
  JsonObject *rules
      = self->catalog != NULL ? kc_json_object (self->catalog, "advance_rules") : NULL;
  gint64 pct = rules != NULL ? kc_json_int (rules, "max_before_acceptance_pct") : 0;

  return pct > 0 ? pct : 70;
}

static void
pay (KcProjectEditor *self, const char *kind)
{
  static const char *const kinds[] = { "advance", "final", "refund" };
  gint64 contracted = total (self, "contracted");
  gint64 advanced = total (self, "advanced");
  gint64 refunded = total (self, "refunded");
  gint64 paid = advanced + total (self, "final") - refunded;
  g_autofree char *hint = NULL;
  g_autofree char *money = NULL;
  KcActDialog *dialog;
  gint64 max;

  if (g_str_equal (kind, "refund"))
    {
      dialog = act_new (self, _ ("Record a refund"), _ ("_Record"));
      max = total (self, "refund_outstanding");
      money = kc_money_format (max);
      hint = g_strdup_printf (_ ("at most %s = what is still owed back"), money);
    }
  else if (g_str_equal (kind, "final"))
    {
      dialog = act_new (self, _ ("Final payment"), _ ("_Pay"));
      max = MAX (0, MIN (contracted, total (self, "allocated")) - paid);
      money = kc_money_format (max);
      hint = g_strdup_printf (_ ("at most %s = the contract less what was paid"), money);
    }
  else
    {
      gint64 pct = max_before_acceptance_pct (self);

      dialog = act_new (self, _ ("Record an advance"), _ ("_Pay"));
      max = MAX (0, contracted * pct / 100 - (advanced - refunded));
      money = kc_money_format (max);
      hint = advanced > 0
                 ? g_strdup_printf (_ ("at most %s = %d %% of the contract less the "
                                       "advances"),
                                    money, (int)pct)
                 : g_strdup_printf (_ ("at most %s = %d %% of the contract"), money, (int)pct);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i], kind))
      self->paying = kinds[i];
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"),
                           g_str_equal (kind, "advance") ? 0 : max, 1, max, hint);
  kc_act_dialog_add_date (dialog, "date", _ ("_Date"), NULL, FALSE);
  kc_act_dialog_add_text (dialog, "document_no", _ ("_Voucher number"), NULL, TRUE, NULL);
  act_run (self, dialog, kc_session_budget_disburse_async, pay_build, pay_confirm, pay_done);
}

static void
on_advance_clicked_cb (KcProjectEditor *self)
{
  pay (self, "advance");
}

static void
on_final_clicked_cb (KcProjectEditor *self)
{
  pay (self, "final");
}

static void
on_refund_clicked_cb (KcProjectEditor *self)
{
  pay (self, "refund");
}

/* Settlement: the province's dossier, the settlement, carry-over, recovery */

static JsonNode *
dossier_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "version", self->version, NULL);

  set_iso (params_of (params), "submitted_on", dialog, "submitted_on");
  json_object_set_string_member (params_of (params), "record_no",
                                 kc_act_dialog_get_text (dialog, "record_no"));
  return params;
}

static char *
dossier_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Send the settlement dossier %s of project %s?"),
                          kc_act_dialog_get_text (dialog, "record_no"), project_code (self));
}

static char *
dossier_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;

  return g_strdup_printf (_ ("Settlement dossier of project %s sent."), project_code (self));
}

static void
on_dossier_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Settlement dossier"), _ ("_Send the dossier"));

  kc_act_dialog_set_intro (dialog, _ ("The dossier is due 15 days after acceptance. Attach its "
                                      "documents in the Attachments tab."));
  kc_act_dialog_add_date (dialog, "submitted_on", _ ("_Submitted on"), NULL, TRUE);
  kc_act_dialog_add_text (dialog, "record_no", _ ("Dossier _number"), NULL, TRUE, NULL);
  act_run (self, dialog, kc_session_budget_submit_settlement_async, dossier_build, dossier_confirm,
           dossier_done);
}

static JsonNode *
settle_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "version", self->version, NULL);
  JsonArray *amounts = json_array_new ();

  set_iso (params_of (params), "settled_on", dialog, "settled_on");
  json_object_set_string_member (params_of (params), "record_no",
                                 kc_act_dialog_get_text (dialog, "record_no"));
  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      g_autofree char *key = g_strdup_printf ("amounts.%s", kc_sources[i]);
      JsonObject *o;

      if (!kc_act_dialog_has_value (dialog, key))
        continue;
      o = json_object_new ();
      json_object_set_string_member (o, "source", kc_sources[i]);
      json_object_set_int_member (o, "amount", kc_act_dialog_get_number (dialog, key));
      json_array_add_object_element (amounts, o);
    }
  json_object_set_array_member (params_of (params), "amounts", amounts);
  return params;
}

static gint64
settled_sum (KcActDialog *dialog)
{
  gint64 sum = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      g_autofree char *key = g_strdup_printf ("amounts.%s", kc_sources[i]);

      sum += kc_act_dialog_get_number (dialog, key);
    }
  return sum;
}

static char *
settle_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *sum = kc_money_format (settled_sum (dialog));
  const char *source = money_source (self);
  g_autofree char *key = g_strdup_printf ("amounts.%s", source);
  gint64 paid = total (self, "advanced") + total (self, "final") - total (self, "refunded");
  g_autofree char *recover
      = kc_money_format (MAX (0, paid - kc_act_dialog_get_number (dialog, key)));

  return g_strdup_printf (_ ("Settle project %s at %s in all (record %s)? What was allocated "
                             "and not paid returns to the appropriation; %s paid and not "
                             "settled is to be recovered."),
                          project_code (self), sum, kc_act_dialog_get_text (dialog, "record_no"),
                          recover);
}

static char *
settle_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *sum = kc_money_format (settled_sum (dialog));
  g_autofree char *recover = kc_money_format (kc_json_int (result, "to_recover"));

  if (kc_json_int (result, "to_recover") > 0)
    return g_strdup_printf (_ ("Project %s settled: %s; %s to recover."), project_code (self), sum,
                            recover);
  return g_strdup_printf (_ ("Project %s settled: %s."), project_code (self), sum);
}

/* budget.settlement first: the deadlines and what is to be recovered. */
typedef void (*WithSettlementFunc) (KcProjectEditor *self, JsonObject *info);

static void
settlement_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KcProjectEditor *self = user_data;
  g_autoptr (JsonNode) reply = kc_project_editor_finish_call (self, source, result);
  WithSettlementFunc then;

  if (reply == NULL)
    return;
  then = self->with_settlement;
  if (then != NULL)
    then (self, json_node_get_object (reply));
}

static void
with_settlement (KcProjectEditor *self, WithSettlementFunc then)
{
  self->with_settlement = then;
  kc_project_editor_set_busy (self, TRUE);
  kc_session_budget_settlement_async (self->session, self->id, self->cancellable,
                                      settlement_read_cb, self);
}

static void
open_settle (KcProjectEditor *self, JsonObject *info)
{
  KcActDialog *dialog = act_new (self, _ ("Settlement"), _ ("_Settle"));
  gint64 paid = total (self, "advanced") + total (self, "final") - total (self, "refunded");
  g_autofree char *accepted = date_vn (kc_json_string (info, "accepted_on"));
  g_autofree char *dossier = date_vn (kc_json_string (info, "dossier_due"));
  g_autofree char *due = date_vn (kc_json_string (info, "settle_due"));
  g_autofree char *intro = g_strdup_printf (
      json_object_get_boolean_member_with_default (info, "overdue", FALSE)
          ? _ ("Accepted on %s; the settlement dossier was due on %s and the settlement on %s: "
               "it is late.")
          : _ ("Accepted on %s; the settlement dossier is due on %s and the settlement on %s."),
      accepted, dossier, due);

  kc_act_dialog_set_intro (dialog, intro);

  kc_act_dialog_add_date (dialog, "settled_on", _ ("Settled _on"), NULL, TRUE);
  kc_act_dialog_add_text (dialog, "record_no", _ ("_Record number"), NULL, TRUE, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (kc_sources); i++)
    {
      const char *source = kc_sources[i];
      g_autofree char *key = g_strdup_printf ("amounts.%s", source);
      g_autofree char *label = g_strdup_printf (_ ("%s (đồng)"), kc_label_source (source));
      g_autofree char *money = kc_money_format (paid);
      g_autofree char *hint = NULL;
      gboolean paid_source = g_str_equal (source, money_source (self));
      gint64 line = budget_line (self, source);

      if (!paid_source && line == 0)
        continue;
      if (paid_source)
        hint = g_strdup_printf (_ ("at most %s = what was paid"), money);
      kc_act_dialog_add_money (dialog, key, label, paid_source ? paid : line, 0,
                               paid_source ? paid : -1, hint);
      kc_act_dialog_set_required (dialog, key, paid_source);
    }
  act_run (self, dialog, kc_session_budget_settle_async, settle_build, settle_confirm, settle_done);
}

static void
on_settle_clicked_cb (KcProjectEditor *self)
{
  with_settlement (self, open_settle);
}

static JsonNode *
carry_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;

  return kc_editor_params_new ("project_id", self->id, "to_year",
                               kc_act_dialog_get_number (dialog, "to_year"), "amount",
                               kc_act_dialog_get_number (dialog, "amount"), NULL);
}

static char *
carry_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Carry %s of project %s over to %d?"), amount, project_code (self),
                          (int)kc_act_dialog_get_number (dialog, "to_year"));
}

static char *
carry_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("%s carried over to %d."), amount,
                          (int)kc_act_dialog_get_number (dialog, "to_year"));
}

static void
on_carry_clicked_cb (KcProjectEditor *self)
{
  KcActDialog *dialog = act_new (self, _ ("Carry over"), _ ("_Carry over"));
  gint64 year = kc_json_int (self->project, "year");
  gint64 paid = total (self, "advanced") + total (self, "final") - total (self, "refunded");
  gint64 unspent = MAX (0, total (self, "allocated") - paid);
  g_autofree char *money = kc_money_format (unspent);
  g_autofree char *hint = g_strdup_printf (_ ("at most %s = allocated and not paid"), money);

  kc_act_dialog_add_number (dialog, "to_year", _ ("To _year"), year + 1, year + 1, 2100, NULL);
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), unspent, 1, unspent, hint);
  act_run (self, dialog, kc_session_budget_carry_over_async, carry_build, carry_confirm,
           carry_done);
}

static JsonNode *
recover_build (KcActDialog *dialog, gpointer data)
{
  KcProjectEditor *self = data;
  JsonNode *params = kc_editor_params_new ("project_id", self->id, "amount",
                                           kc_act_dialog_get_number (dialog, "amount"), NULL);

  set_iso (params_of (params), "date", dialog, "date");
  json_object_set_string_member (params_of (params), "document_no",
                                 kc_act_dialog_get_text (dialog, "document_no"));
  return params;
}

static char *
recover_confirm (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  KcProjectEditor *self = data;
  g_autofree char *amount = money_of (dialog, "amount");

  return g_strdup_printf (_ ("Record the recovery of %s from project %s (voucher %s)?"), amount,
                          project_code (self), kc_act_dialog_get_text (dialog, "document_no"));
}

static char *
recover_done (KcActDialog *dialog, JsonObject *result, gpointer data)
{
  g_autofree char *amount = money_of (dialog, "amount");
  g_autofree char *left = kc_money_format (kc_json_int (result, "outstanding"));

  return g_strdup_printf (_ ("%s recovered; %s still to recover."), amount, left);
}

static void
open_recover (KcProjectEditor *self, JsonObject *info)
{
  KcActDialog *dialog = act_new (self, _ ("Recovery"), _ ("_Record"));
  JsonObject *settlement = kc_json_object (info, "settlement");
  g_autofree char *money = kc_money_format (kc_json_int (settlement, "to_recover"));
  g_autofree char *hint = g_strdup_printf (_ ("the settlement left %s to recover"), money);

  kc_act_dialog_set_intro (dialog, _ ("What was paid and not settled is paid back, in one or "
                                      "more payments."));
  kc_act_dialog_add_money (dialog, "amount", _ ("_Amount (đồng)"), 0, 1, -1,
                           settlement != NULL ? hint : NULL);
  kc_act_dialog_add_date (dialog, "date", _ ("_Date"), NULL, FALSE);
  kc_act_dialog_add_text (dialog, "document_no", _ ("_Voucher number"), NULL, TRUE, NULL);
  act_run (self, dialog, kc_session_budget_recover_async, recover_build, recover_confirm,
           recover_done);
}

static void
on_recover_clicked_cb (KcProjectEditor *self)
{
  with_settlement (self, open_recover);
}

/* The buttons */

void
kc_editor_acts_add (KcProjectEditor *self)
{
  const char *st = kc_project_editor_status (self);
  const char *stage = kc_json_string (self->project, "stage");
  gboolean running = g_str_equal (st, "approved") || g_str_equal (st, "in_progress");
  gboolean province = kc_project_editor_is_province_role (self);
  gboolean leader = is_role (self, "province_leader");
  gboolean ministry = is_role (self, "ministry_reviewer") || is_role (self, "ministry_approver");
  gboolean money = writes_money (self);

  if (province && running)
    kc_editor_actions_add (self, _ ("_Progress report…"),
                           _ ("Report this month's progress to the Department"),
                           G_CALLBACK (on_report_clicked_cb));
  if (leader && running && unconfirmed_reports (self) > 0)
    kc_editor_actions_add (self, _ ("C_onfirm progress…"),
                           _ ("Confirm a progress report of the implementer"),
                           G_CALLBACK (on_confirm_clicked_cb));
  if (leader && running && unconfirmed_reports (self) > 0)
    kc_editor_actions_add (self, _ ("Re_turn progress…"),
                           _ ("Send a progress report back to be reported again"),
                           G_CALLBACK (on_return_clicked_cb));
  if (province && g_str_equal (st, "in_progress")
      && (g_strcmp0 (stage, "advanced") == 0 || g_strcmp0 (stage, "acceptance_submitted") == 0))
    kc_editor_actions_add (self,
                           g_strcmp0 (stage, "acceptance_submitted") == 0
                               ? _ ("Send the acceptance dossier a_gain…")
                               : _ ("Acceptance dossie_r…"),
                           _ ("Send the results for acceptance (nghiệm thu)"),
                           G_CALLBACK (on_submit_acceptance_clicked_cb));
  if (running && ((leader && !is_national (self)) || (ministry && is_national (self))))
    kc_editor_actions_add (self, _ ("Acc_eptance…"),
                           _ ("Record the acceptance and the indicators achieved"),
                           G_CALLBACK (on_accept_clicked_cb));
  if (province && running && open_adjustment (self, FALSE) == NULL)
    kc_editor_actions_add (self, _ ("Ad_justment request…"), _ ("Ask to change the project"),
                           G_CALLBACK (on_request_clicked_cb));
  if (running && open_adjustment (self, TRUE) != NULL)
    kc_editor_actions_add (self, _ ("Decide the ad_justment…"),
                           _ ("Approve or refuse the open adjustment request"),
                           G_CALLBACK (on_decide_adjustment_clicked_cb));
  if (money && (running || g_str_equal (st, "completed")))
    kc_editor_actions_add (self, _ ("A_llocate…"), _ ("Allocate budget to the project"),
                           G_CALLBACK (on_allocate_clicked_cb));
  if (money && running && total (self, "contracted") == 0)
    kc_editor_actions_add (self, _ ("_Contract…"), _ ("Record the contract before any payment"),
                           G_CALLBACK (on_contract_clicked_cb));
  if (money && running && total (self, "contracted") > 0)
    kc_editor_actions_add (self, _ ("Record an ad_vance…"), _ ("Record an advance payment"),
                           G_CALLBACK (on_advance_clicked_cb));
  if (province && g_str_equal (st, "completed") && g_strcmp0 (stage, "settlement_submitted") != 0)
    kc_editor_actions_add (self, _ ("Settlement _dossier…"),
                           _ ("Send the settlement dossier (due 15 days after acceptance)"),
                           G_CALLBACK (on_dossier_clicked_cb));
  if (money && g_str_equal (st, "completed"))
    {
      kc_editor_actions_add (self, _ ("_Final payment…"), _ ("Pay the rest after acceptance"),
                             G_CALLBACK (on_final_clicked_cb));
      kc_editor_actions_add (self, _ ("_Settle…"), _ ("Settle the project's accounts"),
                             G_CALLBACK (on_settle_clicked_cb));
    }
  if (money && is_national (self)
      && (g_str_equal (st, "in_progress") || g_str_equal (st, "completed")))
    kc_editor_actions_add (self, _ ("Carry _over…"),
                           _ ("Carry unspent allocation over to a later year"),
                           G_CALLBACK (on_carry_clicked_cb));
  if (money && g_str_equal (st, "settled"))
    kc_editor_actions_add (self, _ ("_Recovery…"), _ ("Record money paid back after settlement"),
                           G_CALLBACK (on_recover_clicked_cb));
  if (money && g_str_equal (st, "cancelled") && total (self, "refund_outstanding") > 0)
    kc_editor_actions_add (self, _ ("Record a _refund…"),
                           _ ("Record money paid back after the cancellation"),
                           G_CALLBACK (on_refund_clicked_cb));
  if (running
      && ((leader && !is_national (self))
          || (is_role (self, "ministry_approver") && is_national (self))))
    kc_editor_actions_add (self, _ ("Cancel or s_uspend…"), _ ("End the project by a decision"),
                           G_CALLBACK (on_cancel_clicked_cb));
}
