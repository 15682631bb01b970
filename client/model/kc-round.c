/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kc-round.c — KcRound, KcRoundReport (see the header).
 */
#include "kc-round.h"

#include <glib/gi18n.h>

#include "kc-date.h"
#include "kc-json.h"

static char *
dup_string (JsonObject *object, const char *name)
{
  return g_strdup (kc_json_string (object, name));
}

static gboolean
get_bool (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static void
section_free (gpointer data)
{
  KcRoundSection *section = data;

  g_free (section->key);
  g_free (section->title);
  g_free (section->guidance);
  g_free (section->text);
  g_free (section);
}

KcRoundReport *
kc_round_report_new_from_json (JsonObject *object)
{
  KcRoundReport *report = g_new0 (KcRoundReport, 1);
  JsonArray *sections = kc_json_array (object, "sections");
  JsonArray *tables = kc_json_array (object, "tables");

  report->id = kc_json_int (object, "id");
  report->round_id = kc_json_int (object, "round_id");
  report->org_id = kc_json_int (object, "org_id");
  report->version = kc_json_int (object, "version");
  report->org_name = g_strdup (kc_json_string (object, "org_name") ?: "");
  report->status = g_strdup (kc_json_string (object, "status") ?: "not_started");
  report->sent_at = dup_string (object, "sent_at");
  report->returned_comment = dup_string (object, "returned_comment");
  report->late = get_bool (object, "late");
  report->tables_frozen = get_bool (object, "tables_frozen");
  report->sections = g_ptr_array_new_with_free_func (section_free);
  for (guint i = 0; sections != NULL && i < json_array_get_length (sections); i++)
    {
      JsonNode *node = json_array_get_element (sections, i);
      JsonObject *s = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      KcRoundSection *section;

      if (s == NULL)
        continue;
      section = g_new0 (KcRoundSection, 1);
      section->key = g_strdup (kc_json_string (s, "key") ?: "");
      section->title = g_strdup (kc_json_string (s, "title") ?: "");
      section->guidance = dup_string (s, "guidance");
      section->text = g_strdup (kc_json_string (s, "text") ?: "");
      g_ptr_array_add (report->sections, section);
    }
  if (tables != NULL)
    report->tables = json_array_ref (tables);
  return report;
}

void
kc_round_report_free (KcRoundReport *report)
{
  if (report == NULL)
    return;
  g_free (report->org_name);
  g_free (report->status);
  g_free (report->sent_at);
  g_free (report->returned_comment);
  g_ptr_array_unref (report->sections);
  g_clear_pointer (&report->tables, json_array_unref);
  g_free (report);
}

G_DEFINE_TYPE (KcRound, kc_round, G_TYPE_OBJECT)

KcRound *
kc_round_new_from_json (JsonObject *object)
{
  KcRound *round = g_object_new (KC_TYPE_ROUND, NULL);
  JsonArray *reports = kc_json_array (object, "reports");
  JsonObject *counts = kc_json_object (object, "counts");

  round->id = kc_json_int (object, "id");
  round->version = kc_json_int (object, "version");
  round->title = g_strdup (kc_json_string (object, "title") ?: "");
  round->document_no = g_strdup (kc_json_string (object, "document_no") ?: "");
  round->kind = g_strdup (kc_json_string (object, "kind") ?: "summary");
  round->signed_on = dup_string (object, "signed_on");
  round->due_on = dup_string (object, "due_on");
  round->from_year = (int)kc_json_int (object, "from_year");
  round->to_year = (int)kc_json_int (object, "to_year");
  round->reports = g_ptr_array_new_with_free_func ((GDestroyNotify)kc_round_report_free);
  for (guint i = 0; reports != NULL && i < json_array_get_length (reports); i++)
    {
      JsonNode *node = json_array_get_element (reports, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (round->reports,
                         kc_round_report_new_from_json (json_node_get_object (node)));
    }
  round->total = (int)kc_json_int (counts, "total");
  round->sent = (int)kc_json_int (counts, "sent");
  round->accepted = (int)kc_json_int (counts, "accepted");
  round->returned = (int)kc_json_int (counts, "returned");
  round->late = (int)kc_json_int (counts, "late");
  return round;
}

static void
kc_round_finalize (GObject *object)
{
  KcRound *round = KC_ROUND (object);

  g_free (round->title);
  g_free (round->document_no);
  g_free (round->kind);
  g_free (round->signed_on);
  g_free (round->due_on);
  g_clear_pointer (&round->reports, g_ptr_array_unref);
  G_OBJECT_CLASS (kc_round_parent_class)->finalize (object);
}

static void
kc_round_class_init (KcRoundClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kc_round_finalize;
}

static void
kc_round_init (KcRound *round)
{
}

KcRoundReport *
kc_round_find_report (KcRound *round, gint64 org_id)
{
  for (guint i = 0; round != NULL && i < round->reports->len; i++)
    {
      KcRoundReport *report = g_ptr_array_index (round->reports, i);

      if (report->org_id == org_id)
        return report;
    }
  return NULL;
}

const char *
kc_round_status_label (const char *status)
{
  if (g_strcmp0 (status, "not_started") == 0)
    return _ ("Not started");
  if (g_strcmp0 (status, "drafting") == 0)
    return _ ("Being written");
  if (g_strcmp0 (status, "sent") == 0)
    return _ ("Sent");
  if (g_strcmp0 (status, "returned") == 0)
    return _ ("Returned");
  if (g_strcmp0 (status, "accepted") == 0)
    return _ ("Accepted by the Ministry");
  return "";
}

gboolean
kc_round_report_is_editable (const KcRoundReport *report)
{
  return report != NULL
         && (g_strcmp0 (report->status, "not_started") == 0
             || g_strcmp0 (report->status, "drafting") == 0
             || g_strcmp0 (report->status, "returned") == 0);
}

char *
kc_round_format_day (const char *iso)
{
  GDate date;
  g_autoptr (GDateTime) instant = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (iso == NULL)
    return g_strdup ("");
  if (kc_date_parse_iso (iso, &date))
    return kc_date_format_vn (&date);
  instant = kc_instant_parse (iso);
  if (instant == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (instant);
  return g_date_time_format (local, "%d/%m/%Y");
}
