/*
 * srv-handler-report.c — reports (issue 5): report.summary and
 * report.export, with their table.
 *
 * report.summary is one call of kc_report_summary (sql/0018), which reads
 * the trigger-kept aggregates of sql/0017 and returns the export contract
 * of srv-export.h.
 *
 * report.export is generic: it runs any report.* method of any family with
 * the caller's session (so the same role table and the same SQL scope
 * apply), then renders the result with srv_export_render. The method runs
 * on the database worker like any call; rendering and base64 run in a
 * second stage on the CPU pool, so a large xlsx/pdf neither blocks the
 * main loop nor holds a database connection.
 */
#include "srv-handlers.h"

#include "srv-export.h"

static const SrvQueryDef q_summary
    = { "report_summary", SRV_OUTCOME "kc_report_summary" SRV_READ_ARGS, 2 };

static const char *const dimensions[]
    = { "province", "category", "year", "source", "status", "kind", "priority", NULL };
static const char *const filter_names[]
    = { "province", "category", "source", "status", "kind", "priority", NULL };

/* group_by: a list of distinct dimension names. */
static void
check_group_by (SrvParams *p)
{
  JsonNode *node = json_object_get_member (p->call->params, "group_by");
  JsonArray *array;
  guint seen = 0;

  if (!srv_plan_check_list (p, "group_by", NULL, TRUE))
    {
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        srv_params_error (p, "group_by", "is required");
      return;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *where = g_strdup_printf ("group_by[%u]", i);
      guint d;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        continue; /* reported by srv_plan_check_list */
      for (d = 0; dimensions[d] != NULL; d++)
        if (g_str_equal (json_node_get_string (item), dimensions[d]))
          break;
      if (dimensions[d] == NULL)
        srv_params_error (
            p, where, "must be one of province, category, year, source, status, kind, priority");
      else if (seen & (1u << d))
        srv_params_error (p, where, "is listed twice");
      else
        seen |= 1u << d;
    }
}

/* filters: {province, category, source, status, kind, priority}, each a
 * list of codes; nothing else. */
static void
check_filters (SrvParams *p)
{
  JsonNode *node = json_object_get_member (p->call->params, "filters");
  g_autoptr (GList) members = NULL;
  JsonObject *filters;

  g_hash_table_add (p->seen, (gpointer) "filters");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      srv_params_error (p, "filters", "must be an object");
      return;
    }
  filters = json_node_get_object (node);
  members = json_object_get_members (filters);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *where = g_strdup_printf ("filters.%s", name);
      JsonNode *value = json_object_get_member (filters, name);
      JsonArray *array;
      guint f;

      for (f = 0; filter_names[f] != NULL; f++)
        if (g_str_equal (name, filter_names[f]))
          break;
      if (filter_names[f] == NULL)
        {
          srv_params_error (p, where, "is not a known filter");
          continue;
        }
      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          srv_params_error (p, where, "must be a list of codes");
          continue;
        }
      array = json_node_get_array (value);
      if (json_array_get_length (array) > 1000)
        srv_params_error (p, where, "must have at most 1000 items");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING
              || g_utf8_strlen (json_node_get_string (item), -1) < 1
              || g_utf8_strlen (json_node_get_string (item), -1) > 64)
            {
              g_autofree char *item_where = g_strdup_printf ("%s[%u]", where, i);
              srv_params_error (p, item_where, "must be a code (a string of 1 to 64 characters)");
            }
        }
    }
}

/* report.summary {from_year, to_year, group_by, filters?, province_map?} */
static void
srv_handle_report_summary (SrvCall *call, SrvDbConn *db)
{
  static const char *const maps[] = { "34", "63", NULL };
  gint64 from_year = 0, to_year = 0;
  gboolean have_from, have_to;
  SrvParams p;

  srv_params_init (&p, call);
  have_from = srv_params_int64 (&p, "from_year", TRUE, 2014, 2100, &from_year);
  have_to = srv_params_int64 (&p, "to_year", TRUE, 2014, 2100, &to_year);
  if (have_from && have_to && to_year < from_year)
    srv_params_error (&p, "to_year", "must not be before from_year");
  check_group_by (&p);
  check_filters (&p);
  srv_params_enum (&p, "province_map", FALSE, maps);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_summary, FALSE);
}

/* report.export */

typedef struct
{
  JsonNode *report; /* the method's result */
  SrvExportFormat format;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_clear_pointer (&job->report, json_node_unref);
  g_free (job);
}

/* An ASCII file name stem: lower-case letters, digits and single dashes,
 * Vietnamese letters without their marks ("Báo cáo" → "bao-cao"). */
static char *
file_stem (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text != NULL ? text : "", "C");
  GString *out = g_string_new (NULL);

  for (const char *c = ascii; *c != '\0' && out->len < 80; c++)
    {
      if (g_ascii_isalnum (*c))
        g_string_append_c (out, g_ascii_tolower (*c));
      else if (out->len > 0 && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }
  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "bao-cao");
  return g_string_free (out, FALSE);
}

/* Second stage, on the CPU pool: render, encode, answer. */
static void
export_render (SrvCall *call, SrvDbConn *db)
{
  ExportJob *job = call->scratch;
  JsonObject *report = json_node_get_object (job->report);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *base64 = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const char *hint;
  gsize size;
  gconstpointer data;

  (void)db;
  bytes = srv_export_render (report, job->format, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        srv_call_set_violation (call, "format", "supported", error->message);
      else if (error->domain == KC_PROTOCOL_ERROR)
        srv_call_set_violation (call, "report", "exportable", error->message);
      else
        {
          g_autoptr (GError) e = g_error_new (SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                                              "rendering the export failed: %s", error->message);
          srv_call_set_db_error (call, e);
        }
      return;
    }
  hint = json_object_get_string_member_with_default (report, "file_stem", NULL);
  if (hint == NULL)
    hint = json_object_get_string_member_with_default (report, "title", NULL);
  stem = file_stem (hint);
  filename = g_strdup_printf ("%s.%s", stem, srv_export_extension (job->format));
  data = g_bytes_get_data (bytes, &size);
  base64 = g_base64_encode (data, size);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "filename");
  json_builder_add_string_value (b, filename);
  json_builder_set_member_name (b, "mime_type");
  json_builder_add_string_value (b, srv_export_mime_type (job->format));
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64)size);
  json_builder_set_member_name (b, "content_base64");
  json_builder_add_string_value (b, base64);
  json_builder_end_object (b);
  srv_call_set_result_node (call, json_builder_get_root (b));
}

/* report.export {report, params?, format} */
static void
srv_handle_report_export (SrvCall *call, SrvDbConn *db)
{
  static const char *const formats[] = { "csv", "xlsx", "pdf", "docx", "odt", NULL };
  static const char *const document_reports[] = { "round_report", "round_consolidated", NULL };
  /* Only reports that read: report.province_send (a write: it sends the
   * province's report to the Ministry) or any later write named report.*
   * must never run through here (issue 13). */
  static const char *const exportable[] = { "summary",
                                            "programme",
                                            "province",
                                            "registration_list",
                                            "cost_estimate",
                                            "round_report",
                                            "round_consolidated",
                                            "dashboard",
                                            NULL };
  const char *report, *format;
  g_autofree char *method_name = NULL;
  const SrvMethod *method = NULL;
  g_autoptr (JsonObject) inner_params = NULL;
  g_autoptr (SrvCall) inner = NULL;
  JsonNode *params_node;
  ExportJob *job;
  SrvParams p;

  srv_params_init (&p, call);
  report = srv_params_string (&p, "report", TRUE, 1, 64);
  format = srv_params_enum (&p, "format", TRUE, formats);
  params_node = json_object_get_member (call->params, "params");
  g_hash_table_add (p.seen, (gpointer) "params");
  if (params_node != NULL && !JSON_NODE_HOLDS_NULL (params_node)
      && !JSON_NODE_HOLDS_OBJECT (params_node))
    srv_params_error (&p, "params", "must be an object");
  /* docx and odt are documents (text under headings, srv-export-doc.c):
   * the reports that carry one; a table report is refused up front rather
   * than after running it. */
  if (report != NULL && format != NULL
      && (g_str_equal (format, "docx") || g_str_equal (format, "odt"))
      && !g_strv_contains (document_reports, report))
    srv_params_error (&p, "format",
                      "docx and odt are for the documents round_report and round_consolidated; "
                      "export this report as csv, xlsx or pdf");
  if (report != NULL)
    {
      method_name = g_strdup_printf ("report.%s", report);
      method = srv_dispatch_lookup (method_name);
      if (method == NULL || !g_strv_contains (exportable, report)
          || (method->flags & (SRV_METHOD_ANONYMOUS | SRV_METHOD_INLINE)) != 0)
        srv_params_error (&p, "report", "is not a report that can be exported");
    }
  if (!srv_params_finish (&p))
    return;

  /* The report's own role gate, as if it had been called directly. */
  if ((call->session->role & method->roles) == 0)
    {
      srv_call_set_error (call, KC_ERROR_FORBIDDEN, NULL, "%s is not allowed for role %s",
                          method_name, call->session->role_name);
      return;
    }

  if (params_node != NULL && JSON_NODE_HOLDS_OBJECT (params_node))
    inner_params = json_object_ref (json_node_get_object (params_node));
  else
    inner_params = json_object_new ();
  inner = srv_call_new (call->ctx, method, inner_params, call->session);
  inner->peer = g_strdup (call->peer);
  inner->peer_full = g_strdup (call->peer_full);
  inner->conn_id = call->conn_id;
  inner->request_id = g_strdup (call->request_id);
  method->handler (inner, db);

  if (inner->error_code != 0)
    {
      /* The report's own answer (its -32602 names its own fields). */
      call->error_code = inner->error_code;
      call->error_message = g_steal_pointer (&inner->error_message);
      call->error_data = g_steal_pointer (&inner->error_data);
      return;
    }
  if (inner->next != NULL || inner->result_json == NULL)
    {
      g_autoptr (GError) e = g_error_new (SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                                          "%s gave no result to export", method_name);
      srv_call_set_db_error (call, e);
      return;
    }

  /* Every export on record: who took which figures out, in what form. */
  {
    g_autoptr (GError) e = NULL;
    g_autoptr (SrvRows) audited = NULL;
    g_autoptr (JsonBuilder) ab = json_builder_new ();
    g_autofree char *after = NULL;
    g_autofree char *uid = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->user_id);
    g_autoptr (JsonNode) params_copy = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (params_copy, inner_params);
    json_builder_begin_object (ab);
    json_builder_set_member_name (ab, "report");
    json_builder_add_string_value (ab, report);
    json_builder_set_member_name (ab, "format");
    json_builder_add_string_value (ab, format);
    json_builder_set_member_name (ab, "params");
    json_builder_add_value (ab, json_node_copy (params_copy));
    json_builder_end_object (ab);
    {
      g_autoptr (JsonNode) root = json_builder_get_root (ab);
      after = kc_json_to_string (root, FALSE);
    }
    {
      const char *params[] = {
        uid, call->session->username, call->peer, "report.export", "report", NULL, NULL, after
      };
      audited = srv_db_exec (db, SRV_Q_AUDIT, params, &e);
    }
    if (audited == NULL)
      {
        srv_call_set_db_error (call, e);
        return;
      }
  }

  job = g_new0 (ExportJob, 1);
  job->report = json_from_string (inner->result_json, NULL);
  if (job->report == NULL || !JSON_NODE_HOLDS_OBJECT (job->report))
    {
      g_autoptr (GError) e = g_error_new (SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                                          "%s returned no object to export", method_name);
      export_job_free (job);
      srv_call_set_db_error (call, e);
      return;
    }
  srv_export_format_parse (format, &job->format);
  call->scratch = job;
  call->scratch_free = export_job_free;
  srv_call_continue (call, export_render, TRUE);
}

#define READERS (SRV_ROLES_MINISTRY | SRV_ROLES_PROVINCE | SRV_ROLE_VIEWER)

/* Every role but admin (accounts, not figures); a province's users see
 * their province only (in the SQL). report.export lets anyone who may read
 * reports ask, then applies the exported report's own roles. */
const SrvMethod srv_report_methods[] = {
  { "report.summary", srv_handle_report_summary, READERS, SRV_METHOD_REPLICA_OK },
  { "report.export", srv_handle_report_export, READERS, 0 },
  { NULL, NULL, 0, 0 },
};
