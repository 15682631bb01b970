/*
 * srv-handler-attachment.c — the attachment.* methods and project.import
 * (issue 3), with their table.
 *
 * Attachments: a file is uploaded in chunks (attachment.begin, .put in
 * order, .finish), stored in PostgreSQL (sql/0007_attachments.sql), and
 * becomes visible only once .finish has checked its size and SHA-256 in
 * the database. An upload belongs to the connection that began it: when
 * that connection closes, the server marks its unfinished uploads
 * abandoned, and the sweep (kc_attachment_sweep, run here once a minute)
 * deletes them and any upload untouched for an hour. finish and delete are
 * audited; chunks are not (nothing exists until finish).
 *
 * project.import: the CSV is parsed and checked cell by cell here
 * (common/kc-csv.c), every row then goes through kc_project_create in one
 * statement that keeps all rows or none.
 */
#include "srv-handlers.h"

#include <string.h>

#include "kc-csv.h"
#include "kc-date.h"
#include "kc-money.h"
#include "srv-log.h"

static const SrvQueryDef q_begin
    = { "attachment_begin", SRV_OUTCOME "kc_attachment_begin" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_put
    = { "attachment_put", SRV_OUTCOME "kc_attachment_put" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_finish
    = { "attachment_finish", SRV_OUTCOME "kc_attachment_finish" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_abort
    = { "attachment_abort", SRV_OUTCOME "kc_attachment_abort" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_delete
    = { "attachment_delete", SRV_OUTCOME "kc_attachment_delete" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_list
    = { "attachment_list", SRV_OUTCOME "kc_attachment_list($1::bigint, $2::jsonb) AS r", 2 };
static const SrvQueryDef q_get
    = { "attachment_get", SRV_OUTCOME "kc_attachment_get($1::bigint, $2::jsonb) AS r", 2 };
static const SrvQueryDef q_abandon
    = { "attachment_abandon", "SELECT kc_attachment_abandon($1)", 1 };
static const SrvQueryDef q_sweep = { "attachment_sweep", "SELECT kc_attachment_sweep()", 0 };
static const SrvQueryDef q_import
    = { "project_import", SRV_OUTCOME "kc_project_import" SRV_ACTOR_ARGS, 6 };

#define CHUNK_MAX 1048576 /* decoded bytes of one chunk, put or get */
#define FILE_NAME_MAX 200 /* characters */
#define SWEEP_INTERVAL_US (60 * G_USEC_PER_SEC)

static const char *const owner_types[]
    = { "plan",       "project",        "plan_appraisal", "progress_report",
        "acceptance", "correspondence", "review_comment", NULL };

/* Connections with an upload begun: conn_id → TRUE. */
static GMutex uploading_lock;
static GHashTable *uploading_conns;

/* "instance:conn_id": the connection, unique across server processes. */
static char *
conn_key (guint64 conn_id)
{
  static char *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, g_uuid_string_random ());
  return g_strdup_printf ("%s:%" G_GUINT64_FORMAT, instance, conn_id);
}

static void
set_conn (SrvCall *call)
{
  g_autofree char *key = conn_key (call->conn_id);

  json_object_set_string_member (call->params, "conn", key);
}

/* Background jobs: the connection closed, the periodic sweep. */

typedef struct
{
  const SrvQueryDef *def;
  char *arg;
} Job;

static void
job_work (SrvDbConn *db, gpointer data)
{
  Job *job = data;
  g_autoptr (GError) error = NULL;
  const char *params[] = { job->arg };
  g_autoptr (SrvRows) rows = srv_db_exec_def (db, job->def, params, &error);

  if (rows == NULL)
    srv_log_warning ("%s: %s", job->def->name, error->message);
  else if (job->def == &q_sweep && srv_rows_get_int64 (rows, 0, 0) > 0)
    srv_log_info ("attachments: %" G_GINT64_FORMAT " unfinished upload(s) removed",
                  srv_rows_get_int64 (rows, 0, 0));
}

static void
job_done (gpointer data)
{
  Job *job = data;

  g_free (job->arg);
  g_free (job);
}

void
srv_attachment_connection_closed (SrvContext *ctx, guint64 conn_id)
{
  gboolean had;
  Job *job;

  g_mutex_lock (&uploading_lock);
  had = uploading_conns != NULL && g_hash_table_remove (uploading_conns, &conn_id);
  g_mutex_unlock (&uploading_lock);
  if (!had)
    return;
  job = g_new0 (Job, 1);
  job->def = &q_abandon;
  job->arg = conn_key (conn_id);
  srv_db_submit (ctx->db, job_work, job_done, job);
}

void
srv_attachment_janitor (SrvContext *ctx)
{
  static gint64 last;
  gint64 now = g_get_monotonic_time ();
  Job *job;

  if (last != 0 && now - last < SWEEP_INTERVAL_US)
    return;
  last = now;
  job = g_new0 (Job, 1);
  job->def = &q_sweep;
  srv_db_submit (ctx->db, job_work, job_done, job);
}

/* Parameters */

/* The last component of @raw (either slash), without control or format
 * characters (bidi overrides), leading dots, surrounding spaces, trailing
 * dots; at most FILE_NAME_MAX characters, the extension kept; "file" when
 * nothing is left. (transfer full) */
static char *
sanitise_file_name (const char *raw)
{
  const char *base = raw;
  g_autofree char *nfc = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  char *s;
  glong chars;

  for (const char *c = raw; *c != '\0'; c++)
    if (*c == '/' || *c == '\\')
      base = c + 1;
  nfc = g_utf8_normalize (base, -1, G_NORMALIZE_NFC);
  for (const char *c = nfc != NULL ? nfc : ""; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      GUnicodeType t = g_unichar_type (u);
      if (t == G_UNICODE_CONTROL || t == G_UNICODE_FORMAT || t == G_UNICODE_LINE_SEPARATOR
          || t == G_UNICODE_PARAGRAPH_SEPARATOR || t == G_UNICODE_UNASSIGNED
          || t == G_UNICODE_SURROGATE || t == G_UNICODE_PRIVATE_USE)
        continue;
      if (g_unichar_isspace (u))
        u = ' ';
      g_string_append_unichar (out, u);
    }
  s = out->str;
  while (*s == ' ' || *s == '.')
    s++;
  g_string_erase (out, 0, s - out->str);
  while (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '.'))
    g_string_truncate (out, out->len - 1);
  chars = g_utf8_strlen (out->str, -1);
  if (chars > FILE_NAME_MAX)
    {
      const char *dot = strrchr (out->str, '.');
      glong ext = dot != NULL ? g_utf8_strlen (dot, -1) : 0;
      g_autofree char *ext_text = NULL;
      char *cut;

      if (ext > 16)
        ext = 0;
      ext_text = g_strdup (ext > 0 ? dot : "");
      cut = g_utf8_offset_to_pointer (out->str, FILE_NAME_MAX - ext);
      g_string_truncate (out, cut - out->str);
      while (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append (out, ext_text);
    }
  if (out->len == 0)
    g_string_assign (out, "file");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A string member read as it is (the name is sanitised, the CSV may hold
 * CR): (transfer none) or NULL with the error added. */
static const char *
raw_string (SrvParams *p, const char *name, gsize max_bytes)
{
  JsonNode *node = json_object_get_member (p->call->params, name);

  g_hash_table_add (p->seen, (gpointer)name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      srv_params_error (p, name, "is required");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      srv_params_error (p, name, "must be a string");
      return NULL;
    }
  if (strlen (json_node_get_string (node)) > max_bytes)
    {
      g_autofree char *msg
          = g_strdup_printf ("must be at most %" G_GSIZE_FORMAT " bytes", max_bytes);
      srv_params_error (p, name, msg);
      return NULL;
    }
  return json_node_get_string (node);
}

/* Strict base64 (RFC 4648 alphabet, padded): the decoded length, or -1. */
static gssize
base64_length (const char *s)
{
  gsize n = strlen (s), pad = 0;

  if (n % 4 != 0)
    return -1;
  for (gsize i = 0; i < n; i++)
    {
      char c = s[i];
      if (c == '=')
        {
          if (i < n - 2 || (i == n - 2 && s[n - 1] != '='))
            return -1;
          pad++;
        }
      else if (!g_ascii_isalnum (c) && c != '+' && c != '/')
        return -1;
    }
  return (gssize)(n / 4 * 3 - pad);
}

static gboolean
is_hex (const char *s, gsize n)
{
  if (s == NULL || strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* attachment.* */

void
srv_handle_attachment_begin (SrvCall *call, SrvDbConn *db)
{
  gint64 size = -1, v = 0;
  gsize max = call->ctx->config->attachment_max_bytes;
  gsize line = call->ctx->config->max_message_bytes;
  gint64 chunk = CHUNK_MAX;
  const char *name, *sha, *owner_type;
  g_autofree char *clean = NULL;
  SrvParams p;

  srv_params_init (&p, call);
  owner_type = srv_params_enum (&p, "owner_type", TRUE, owner_types);
  srv_params_int64 (&p, "owner_id", TRUE, 1, G_MAXINT64, &v);
  name = raw_string (&p, "file_name", 4096);
  srv_params_int64 (&p, "size", TRUE, 0, G_MAXINT64, &size);
  sha = srv_params_string (&p, "sha256", TRUE, 64, 64);
  if (sha != NULL && !is_hex (sha, 64))
    srv_params_error (&p, "sha256", "must be the SHA-256 of the file as 64 hexadecimal digits");
  if (!srv_params_finish (&p))
    return;
  if ((call->session->role & SRV_ROLES_MINISTRY) && !g_str_equal (owner_type, "review_comment"))
    {
      srv_call_set_error (call, KC_ERROR_FORBIDDEN, NULL,
                          "the Ministry attaches files to its review comments only");
      return;
    }
  if ((guint64)size > max)
    {
      g_autofree char *msg = g_strdup_printf ("the file has %" G_GINT64_FORMAT
                                              " bytes; at most %" G_GSIZE_FORMAT " are accepted",
                                              size, max);
      srv_call_set_violation (call, "size", "max_bytes", msg);
      return;
    }
  /* a chunk's base64 and its envelope must fit in one line */
  if (line > 4096)
    chunk = MIN (chunk, (gint64)((line - 4096) / 4 * 3));
  clean = sanitise_file_name (name);
  json_object_set_string_member (call->params, "file_name", clean);
  {
    g_autofree char *lower = g_ascii_strdown (sha, -1);
    json_object_set_string_member (call->params, "sha256", lower);
  }
  json_object_set_int_member (call->params, "chunk_size", chunk);
  set_conn (call);
  srv_outcome_run (call, db, &q_begin, TRUE);
  if (!srv_call_failed (call))
    {
      g_mutex_lock (&uploading_lock);
      if (uploading_conns == NULL)
        uploading_conns = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_hash_table_add (uploading_conns, g_memdup2 (&call->conn_id, sizeof call->conn_id));
      g_mutex_unlock (&uploading_lock);
    }
}

void
srv_handle_attachment_put (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  const char *data;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "seq", TRUE, 0, G_MAXINT32, &v);
  data = raw_string (&p, "data", (CHUNK_MAX / 3 + 1) * 4);
  if (data != NULL)
    {
      gssize n = base64_length (data);
      if (n < 0)
        srv_params_error (&p, "data", "must be base64 (RFC 4648, padded, no line breaks)");
      else if (n == 0 || n > CHUNK_MAX)
        srv_params_error (&p, "data", "must hold 1 to 1048576 bytes");
    }
  if (!srv_params_finish (&p))
    return;
  set_conn (call);
  srv_outcome_run (call, db, &q_put, TRUE);
}

static void
id_only (SrvCall *call, SrvDbConn *db, const SrvQueryDef *def)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  set_conn (call);
  srv_outcome_run (call, db, def, TRUE);
}

void
srv_handle_attachment_finish (SrvCall *call, SrvDbConn *db)
{
  id_only (call, db, &q_finish);
}

void
srv_handle_attachment_abort (SrvCall *call, SrvDbConn *db)
{
  id_only (call, db, &q_abort);
}

void
srv_handle_attachment_list (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  const char *cursor;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_enum (&p, "owner_type", TRUE, owner_types);
  srv_params_int64 (&p, "owner_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_page (&p, &v, &cursor);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_list, FALSE);
}

void
srv_handle_attachment_get (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  gint64 id = 0;
  gint64 offset = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &id);
  srv_params_int64 (&p, "offset", FALSE, 0, G_MAXINT64, &offset);
  srv_params_int64 (&p, "length", FALSE, 1, CHUNK_MAX, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_get, FALSE);
  /* A download is on record once, at its first chunk (issue 13). */
  if (!srv_call_failed (call) && offset == 0)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SrvRows) audited = NULL;
      g_autofree char *uid = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->user_id);
      g_autofree char *aid = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      const char *params[]
          = { uid,  call->session->username,      call->peer, "attachment.get", "attachment", aid,
              NULL, "{\"result\":\"downloaded\"}" };

      audited = srv_db_exec (db, SRV_Q_AUDIT, params, &error);
      if (audited == NULL)
        {
          g_clear_pointer (&call->result_json, g_free);
          srv_call_set_db_error (call, error);
        }
    }
}

void
srv_handle_attachment_delete (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_delete, TRUE);
}

/* project.import */

#define IMPORT_MAX_BYTES (8 * 1024 * 1024)
#define IMPORT_MAX_ROWS 2000

typedef enum
{
  COL_LINE,  /* one line of text */
  COL_TEXT,  /* several lines */
  COL_CODE,  /* a catalogue code, checked by the database */
  COL_DATE,  /* YYYY-MM-DD or dd/mm/yyyy */
  COL_MONEY, /* đồng: 1.500.000 or 1500000 */
  COL_BKIND, /* beneficiary kind, code or Vietnamese name */
  COL_BOOL,  /* x, có, yes, true, 1 / không, no, false, 0 */
} ColType;

typedef struct
{
  const char *name;
  ColType type;
  glong max_chars;
  const char *aliases[4]; /* the first is the template's header */
} ImportColumn;

/* docs/domain.md "Importing projects from CSV" lists them. */
static const ImportColumn srv_import_columns[] = {
  { "title", COL_LINE, 500, { "Tên đề án", "Tên dự án", NULL } },
  { "kind", COL_CODE, 32, { "Loại đề án", NULL } },
  { "content_category", COL_CODE, 64, { "Nội dung khuyến công", "Nội dung", "Mã nội dung", NULL } },
  { "sector", COL_CODE, 32, { "Ngành nghề", "Lĩnh vực", NULL } },
  { "priority_area", COL_CODE, 8, { "Địa bàn ưu tiên", NULL } },
  { "start_date", COL_DATE, 10, { "Ngày bắt đầu", "Thời gian bắt đầu", NULL } },
  { "end_date", COL_DATE, 10, { "Ngày kết thúc", "Thời gian kết thúc", NULL } },
  { "implementer", COL_LINE, 500, { "Đơn vị thực hiện", "Đơn vị chủ trì", NULL } },
  { "beneficiary_name", COL_LINE, 300, { "Cơ sở thụ hưởng", "Đơn vị thụ hưởng", NULL } },
  { "beneficiary_kind", COL_BKIND, 64, { "Loại hình cơ sở", "Loại hình thụ hưởng", NULL } },
  { "beneficiary_tax_code", COL_LINE, 20, { "Mã số thuế", NULL } },
  { "central", COL_MONEY, 0, { "Kinh phí khuyến công quốc gia", "Ngân sách trung ương", NULL } },
  { "local", COL_MONEY, 0, { "Kinh phí khuyến công địa phương", "Ngân sách địa phương", NULL } },
  { "counterpart", COL_MONEY, 0, { "Vốn đối ứng", "Đối ứng của cơ sở", NULL } },
  { "other", COL_MONEY, 0, { "Nguồn khác", NULL } },
  { "objectives", COL_TEXT, 20000, { "Mục tiêu", NULL } },
  { "no_double_funding", COL_BOOL, 0, { "Cam kết không trùng lặp", NULL } },
  { NULL, 0, 0, { NULL } },
};

static const char *const bkinds[][2] = {
  { "enterprise", "doanh nghiệp" },
  { "cooperative", "hợp tác xã" },
  { "cooperative_group", "tổ hợp tác" },
  { "household_business", "hộ kinh doanh" },
};

/* Case, Unicode form and spacing folded, for comparing headers and names. */
static char *
fold_label (const char *s)
{
  g_autofree char *nfc = g_utf8_normalize (s, -1, G_NORMALIZE_NFC);
  g_autofree char *folded = g_utf8_casefold (nfc != NULL ? nfc : "", -1);
  g_auto (GStrv) words = g_strsplit_set (g_strstrip (folded), " \t\r\n", -1);
  g_autoptr (GString) out = g_string_new (NULL);

  for (gsize i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      {
        if (out->len > 0)
          g_string_append_c (out, ' ');
        g_string_append (out, words[i]);
      }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const ImportColumn *
find_column (const char *header)
{
  g_autofree char *h = fold_label (header);

  for (const ImportColumn *c = srv_import_columns; c->name != NULL; c++)
    {
      if (g_str_equal (h, c->name))
        return c;
      for (gsize i = 0; i < G_N_ELEMENTS (c->aliases) && c->aliases[i] != NULL; i++)
        {
          g_autofree char *a = fold_label (c->aliases[i]);
          if (g_str_equal (h, a))
            return c;
        }
    }
  return NULL;
}

typedef struct
{
  JsonArray *errors;
  guint row;
  guint line;
} Report;

static void
report (Report *r, const char *column, const char *message)
{
  JsonObject *e = json_object_new ();

  json_object_set_int_member (e, "row", r->row);
  json_object_set_int_member (e, "line", r->line);
  if (column != NULL)
    json_object_set_string_member (e, "column", column);
  else
    json_object_set_null_member (e, "column");
  json_object_set_string_member (e, "message", message);
  json_array_add_object_element (r->errors, e);
}

/* One cell into @project (or a budget line, or the beneficiary); FALSE
 * with the error reported when it is not acceptable. */
static gboolean
import_cell (Report *r, const ImportColumn *c, const char *raw, JsonObject *project,
             JsonArray *budget, JsonObject *fields, JsonObject *beneficiary)
{
  g_autofree char *text = g_strstrip (g_strdup (raw));
  GString *unix_text;

  if (text[0] == '\0')
    return TRUE;
  if (c->type == COL_TEXT)
    {
      unix_text = g_string_new (text);
      g_string_replace (unix_text, "\r\n", "\n", 0);
      g_free (text);
      text = g_string_free (unix_text, FALSE);
    }
  if (srv_text_has_control (text, c->type == COL_TEXT))
    {
      report (r, c->name,
              c->type == COL_TEXT ? "must not contain control characters"
                                  : "must be one line without control characters");
      return FALSE;
    }
  if (c->max_chars > 0 && g_utf8_strlen (text, -1) > c->max_chars)
    {
      g_autofree char *msg = g_strdup_printf ("must have at most %ld characters", c->max_chars);
      report (r, c->name, msg);
      return FALSE;
    }
  switch (c->type)
    {
      case COL_LINE:
      case COL_TEXT:
      case COL_CODE:
        if (g_str_has_prefix (c->name, "beneficiary_"))
          json_object_set_string_member (beneficiary, c->name + strlen ("beneficiary_"), text);
        else
          json_object_set_string_member (project, c->name, text);
        return TRUE;
      case COL_DATE:
        {
          GDate date;
          if (!kc_date_parse_iso (text, &date) && !kc_date_parse_vn (text, &date))
            {
              report (r, c->name, "must be a date as YYYY-MM-DD or dd/mm/yyyy");
              return FALSE;
            }
          g_autofree char *iso = kc_date_format_iso (&date);
          json_object_set_string_member (project, c->name, iso);
          return TRUE;
        }
      case COL_MONEY:
        {
          g_autoptr (GError) error = NULL;
          gint64 amount = 0;
          JsonObject *line;
          g_autofree char *where = NULL;

          if (!kc_money_parse (text, &amount, &error))
            {
              g_autofree char *msg
                  = g_strdup_printf ("must be an amount in đồng: %s", error->message);
              report (r, c->name, msg);
              return FALSE;
            }
          if (amount < 0 || amount > (gint64)1000000000000000)
            {
              report (r, c->name, "must be an amount from 0 to 10^15 đồng");
              return FALSE;
            }
          where = g_strdup_printf ("budget_lines[%u]", json_array_get_length (budget));
          json_object_set_string_member (fields, where, c->name);
          line = json_object_new ();
          json_object_set_string_member (line, "source", c->name);
          json_object_set_int_member (line, "amount", amount);
          json_array_add_object_element (budget, line);
          return TRUE;
        }
      case COL_BKIND:
        {
          g_autofree char *folded = fold_label (text);
          for (gsize i = 0; i < G_N_ELEMENTS (bkinds); i++)
            if (g_str_equal (folded, bkinds[i][0]) || g_str_equal (folded, bkinds[i][1]))
              {
                json_object_set_string_member (beneficiary, "kind", bkinds[i][0]);
                return TRUE;
              }
          report (r, c->name,
                  "must be one of: enterprise (doanh nghiệp), cooperative (hợp tác xã), "
                  "cooperative_group (tổ hợp tác), household_business (hộ kinh doanh)");
          return FALSE;
        }
      case COL_BOOL:
        {
          static const char *const yes[] = { "x", "có", "co", "yes", "true", "1", NULL };
          static const char *const no[] = { "không", "khong", "no", "false", "0", NULL };
          g_autofree char *folded = fold_label (text);
          for (gsize i = 0; yes[i] != NULL; i++)
            if (g_str_equal (folded, yes[i]))
              {
                json_object_set_boolean_member (project, c->name, TRUE);
                return TRUE;
              }
          for (gsize i = 0; no[i] != NULL; i++)
            if (g_str_equal (folded, no[i]))
              {
                json_object_set_boolean_member (project, c->name, FALSE);
                return TRUE;
              }
          report (r, c->name, "must be x, có, yes, true or 1 (or không, no, false, 0)");
          return FALSE;
        }
      default:
        g_assert_not_reached ();
    }
}

static void
set_import_error (SrvCall *call, JsonArray *errors, const char *message)
{
  JsonArray *violations = json_array_new ();
  JsonObject *data = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonObject *e = json_array_get_object_element (errors, i);
      JsonObject *v = json_object_new ();
      const char *column = json_object_get_null_member (e, "column")
                               ? NULL
                               : json_object_get_string_member (e, "column");
      g_autofree char *field = column != NULL
                                   ? g_strdup_printf ("rows[%" G_GINT64_FORMAT "].%s",
                                                      json_object_get_int_member (e, "row"), column)
                                   : g_strdup_printf ("rows[%" G_GINT64_FORMAT "]",
                                                      json_object_get_int_member (e, "row"));
      json_object_set_string_member (v, "field", field);
      json_object_set_string_member (v, "rule", "import");
      json_object_set_string_member (v, "message", json_object_get_string_member (e, "message"));
      json_array_add_object_element (violations, v);
    }
  json_object_set_array_member (data, "errors", json_array_ref (errors));
  json_object_set_array_member (data, "violations", violations);
  json_node_take_object (node, data);
  srv_call_set_error (call, KC_ERROR_RULE, node, "%s", message);
}

void
srv_handle_project_import (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (JsonArray) errors = json_array_new ();
  g_autoptr (JsonArray) rows = json_array_new ();
  g_autofree const ImportColumn **cols = NULL;
  Report r = { errors, 0, 0 };
  gboolean have_title = FALSE, have_category = FALSE;
  const char *csv;
  KcCsvRecord *header;
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "plan_id", TRUE, 1, G_MAXINT64, &v);
  csv = raw_string (&p, "csv", IMPORT_MAX_BYTES);
  if (!srv_params_finish (&p))
    return;

  records = kc_csv_parse (csv, -1, kc_csv_guess_delimiter (csv, -1), &error);
  if (records == NULL)
    {
      report (&r, NULL, error->message);
      set_import_error (call, errors, "the file is not valid CSV; nothing was imported");
      return;
    }
  if (records->len < 2)
    {
      report (&r, NULL, "the file has no project rows under its header");
      set_import_error (call, errors, "the file has no project rows; nothing was imported");
      return;
    }
  if (records->len - 1 > IMPORT_MAX_ROWS)
    {
      g_autofree char *msg
          = g_strdup_printf ("at most %d rows are imported at once", IMPORT_MAX_ROWS);
      report (&r, NULL, msg);
      set_import_error (call, errors, "the file has too many rows; nothing was imported");
      return;
    }

  /* the header (row 0) */
  header = records->pdata[0];
  r.line = header->line;
  cols = g_new0 (const ImportColumn *, header->n_fields + 1);
  for (guint i = 0; i < header->n_fields; i++)
    {
      const ImportColumn *c = find_column (header->fields[i]);
      if (c == NULL)
        {
          g_autofree char *msg = g_strdup_printf (
              "unknown column \"%s\" (docs/domain.md lists the columns)", header->fields[i]);
          report (&r, header->fields[i], msg);
          continue;
        }
      for (guint j = 0; j < i; j++)
        if (cols[j] == c)
          {
            report (&r, c->name, "this column is given twice");
            c = NULL;
            break;
          }
      cols[i] = c;
      have_title |= c != NULL && g_str_equal (c->name, "title");
      have_category |= c != NULL && g_str_equal (c->name, "content_category");
    }
  if (!have_title)
    report (&r, "title", "the file has no title column (Tên đề án)");
  if (!have_category)
    report (&r, "content_category",
            "the file has no content_category column (Nội dung khuyến công)");
  if (json_array_get_length (errors) > 0)
    {
      set_import_error (call, errors, "the file's header is wrong; nothing was imported");
      return;
    }

  /* the rows (1, 2, ...) */
  for (guint i = 1; i < records->len; i++)
    {
      KcCsvRecord *rec = records->pdata[i];
      JsonObject *project = json_object_new ();
      JsonObject *fields = json_object_new ();
      JsonObject *beneficiary = json_object_new ();
      JsonArray *budget = json_array_new ();
      JsonObject *row = json_object_new ();

      r.row = i;
      r.line = rec->line;
      if (rec->n_fields > header->n_fields)
        report (&r, NULL, "the row has more fields than the header");
      for (guint k = 0; k < rec->n_fields && k < header->n_fields; k++)
        import_cell (&r, cols[k], rec->fields[k], project, budget, fields, beneficiary);
      if (!json_object_has_member (project, "title"))
        {
          report (&r, "title", "is required");
          /* a placeholder: the row is refused anyway, its other cells checked */
          json_object_set_string_member (project, "title", "?");
        }
      if (!json_object_has_member (project, "content_category"))
        report (&r, "content_category", "is required");
      json_object_set_array_member (project, "budget_lines", budget);
      if (json_object_get_size (beneficiary) > 0)
        {
          JsonArray *list = json_array_new ();
          if (!json_object_has_member (beneficiary, "name"))
            report (&r, "beneficiary_name", "is required when a beneficiary is described");
          if (!json_object_has_member (beneficiary, "kind"))
            report (&r, "beneficiary_kind", "is required when a beneficiary is named");
          if (json_object_has_member (beneficiary, "name")
              && json_object_has_member (beneficiary, "kind"))
            json_array_add_object_element (list, json_object_ref (beneficiary));
          json_object_set_array_member (project, "beneficiaries", list);
          json_object_set_string_member (fields, "beneficiaries[0]", "beneficiary_name");
          json_object_set_string_member (fields, "beneficiaries[0].province_org_id",
                                         "beneficiary_name");
        }
      json_object_unref (beneficiary);
      json_object_set_int_member (row, "row", i);
      json_object_set_int_member (row, "line", rec->line);
      json_object_set_object_member (row, "project", project);
      json_object_set_object_member (row, "fields", fields);
      json_array_add_object_element (rows, row);
    }

  json_object_remove_member (call->params, "csv");
  json_object_set_array_member (call->params, "rows", json_array_ref (rows));
  json_object_set_array_member (call->params, "errors", json_array_ref (errors));
  srv_outcome_run (call, db, &q_import, TRUE);
}

#define PROVINCE SRV_ROLES_PROVINCE

const SrvMethod srv_attachment_methods[] = {
  /* The Ministry uploads only to its review comments (checked in begin). */
  { "attachment.begin", srv_handle_attachment_begin, PROVINCE | SRV_ROLES_MINISTRY, 0 },
  { "attachment.put", srv_handle_attachment_put, PROVINCE | SRV_ROLES_MINISTRY, 0 },
  { "attachment.finish", srv_handle_attachment_finish, PROVINCE | SRV_ROLES_MINISTRY, 0 },
  { "attachment.abort", srv_handle_attachment_abort, PROVINCE | SRV_ROLES_MINISTRY, 0 },
  { "attachment.list", srv_handle_attachment_list, SRV_ROLES_ALL, 0 },
  { "attachment.get", srv_handle_attachment_get, SRV_ROLES_ALL, 0 },
  { "attachment.delete", srv_handle_attachment_delete, PROVINCE, 0 },
  { "project.import", srv_handle_project_import, PROVINCE, SRV_METHOD_WRITE },
  { NULL, NULL, 0, 0 },
};
