/*
 * srv-handler-catalog.c — the catalog.* methods (issue 3), with their table.
 *
 * The reference data of sql/0004_catalog.sql: content categories, sectors,
 * priorities, funding sources, indicators, programme periods, project
 * kinds, support caps and calendar rules, each row with its legal act,
 * validity and confidence.
 *
 *   catalog.get {at?}      every role; the whole catalogue in one statement
 *   catalog.update {section, key, version, fields}
 *                          admin; the editable fields of one row
 *   catalog.add_cap {...}  admin; a new support-cap row from a day on,
 *                          closing the row in force the day before
 *
 * A support cap changes only through a recorded decision (issue 13 point
 * 9): catalog.update of section support_caps, catalog.add_cap and
 * catalog.add_local_cap take decision {number, date, signer,
 * attachment_id?}; without it 1022 rule decision_required. The decision,
 * the rows' change_decision_id and the audit row: sql/0029.
 *
 * Every write is one statement that also writes its audit row. Sections map
 * to fixed statements (one per section below); no SQL is built at run time.
 */
#include "srv-handlers.h"

#include <math.h>
#include <string.h>

#include "kc-date.h"

#define ADMIN SRV_ROLE_ADMIN

/* Statements */

static const SrvQueryDef q_get = { "catalog_get", "SELECT kc_catalog_json($1::date)::text", 1 };

/* catalog.update of one section: $1 key, $2 version, $3 fields (jsonb, only
 * editable members, validated by the handler), $4 actor id, $5 username,
 * $6 peer. The row's new values are the old row overlaid with the fields
 * (jsonb_populate_record); SETS lists the editable columns. Returns
 * (current version or NULL when no such row, new row or NULL when stale). */
#define UPDATE_DEF(SECTION, TABLE, KEY, KEYCAST, RECORD_ID, SETS)                                  \
  {                                                                                                \
    "catalog_update_" SECTION,                                                                     \
        "WITH cur AS (SELECT t, t.version FROM " TABLE " t WHERE t." KEY " = $1" KEYCAST           \
        " FOR UPDATE),"                                                                            \
        " n AS (SELECT (jsonb_populate_record(cur.t, $3::jsonb)).* FROM cur),"                     \
        " upd AS (UPDATE " TABLE " x SET " SETS ", version = x.version + 1 FROM cur, n"            \
        "         WHERE x." KEY " = $1" KEYCAST " AND cur.version = $2::int RETURNING x.*),"       \
        " a AS (SELECT kc_audit($4::bigint, $5, $6, 'catalog.update', 'catalog." SECTION           \
        "', " RECORD_ID ", to_jsonb((SELECT t FROM cur)), to_jsonb(upd)) AS seq FROM upd)"         \
        " SELECT (SELECT version FROM cur), (SELECT to_json(upd)::text FROM upd, a)",              \
        6                                                                                          \
  }

#define COMMON_SETS                                                                                \
  "name_vi = n.name_vi, name_en = n.name_en, note = n.note, legal_act = n.legal_act,"              \
  " confidence = n.confidence, valid_to = n.valid_to"

/* A support cap's update and a new cap, with their decision (sql/0029):
 * (current version or NULL, new row or NULL, a refusal {error} or NULL) and
 * (result or NULL, a later row exists, a refusal or NULL). */
static const SrvQueryDef q_cap_update
    = { "catalog_cap_update",
        "SELECT cur_version, row_json, problem FROM kc_cap_update($1::bigint, $2, $3, $4::bigint,"
        " $5::int, $6::jsonb, $7::jsonb)",
        7 };
static const SrvQueryDef q_cap_add
    = { "catalog_cap_add",
        "SELECT result, later, problem FROM kc_cap_add($1::jsonb, $2::bigint, $3, $4)", 4 };

/* Sections and their editable fields */

typedef enum
{
  F_NAME,     /* required single-line text */
  F_TEXT,     /* nullable single-line text */
  F_NOTE,     /* nullable multi-line text */
  F_CONF,     /* "C", "P" or "U" */
  F_DATE,     /* "YYYY-MM-DD" */
  F_DATE_OPT, /* the same or null */
  F_INT,      /* integer in [min, max] */
  F_INT_OPT,  /* the same or null */
  F_BOOL,
  F_ADVANCE, /* 30, 70, 100 or null */
  F_PCT,     /* number 0 < x <= 100, two decimals, or null */
  F_FACTOR,  /* number 1 <= x <= 3, two decimals, or null */
  F_GRP,     /* "a" or "b" */
} FieldKind;

typedef struct
{
  const char *name;
  FieldKind kind;
  gint64 min, max;
} CatalogField;

#define COMMON_FIELDS                                                                              \
  { "name_vi", F_NAME, 1, 1000 }, { "name_en", F_NAME, 1, 1000 }, { "note", F_NOTE, 0, 4000 },     \
      { "legal_act", F_NAME, 1, 500 }, { "confidence", F_CONF, 0, 0 },                             \
  {                                                                                                \
    "valid_to", F_DATE_OPT, 0, 0                                                                   \
  }

typedef struct
{
  const char *name;
  gboolean id_key; /* keyed by a bigint id rather than a text code */
  const CatalogField *fields;
  SrvQueryDef update;
} CatalogSection;

static const CatalogField funding_source_fields[] = {
  COMMON_FIELDS,
  { "sort", F_INT, -100000, 100000 },
  { NULL, 0, 0, 0 },
};

static const CatalogField content_category_fields[] = {
  COMMON_FIELDS,
  { "sort", F_INT, -100000, 100000 },
  { "group_project_eligible", F_BOOL, 0, 0 },
  { "requires_bidding", F_BOOL, 0, 0 },
  { "first_advance_pct", F_ADVANCE, 0, 0 },
  { NULL, 0, 0, 0 },
};

static const CatalogField sector_fields[] = {
  COMMON_FIELDS,
  { "sort", F_INT, -100000, 100000 },
  { NULL, 0, 0, 0 },
};

static const CatalogField priority_area_fields[] = {
  COMMON_FIELDS,
  { "rank", F_INT, 1, 1000 },
  { NULL, 0, 0, 0 },
};

static const CatalogField priority_sector_fields[] = {
  COMMON_FIELDS,
  { "grp", F_GRP, 0, 0 },
  { "rank", F_INT, 1, 1000 },
  { "sort", F_INT, -100000, 100000 },
  { "definition_vi", F_NOTE, 0, 4000 },
  { "definition_en", F_NOTE, 0, 4000 },
  { NULL, 0, 0, 0 },
};

static const CatalogField indicator_fields[] = {
  COMMON_FIELDS,
  { "unit_vi", F_NAME, 1, 100 },
  { "unit_en", F_NAME, 1, 100 },
  { NULL, 0, 0, 0 },
};

static const CatalogField programme_period_fields[] = {
  COMMON_FIELDS,
  { "decision", F_NAME, 1, 200 },
  { "decision_date", F_DATE, 0, 0 },
  { "issuer", F_TEXT, 0, 500 },
  { NULL, 0, 0, 0 },
};

static const CatalogField project_kind_fields[] = {
  COMMON_FIELDS,
  { "sort", F_INT, -100000, 100000 },
  { "min_years", F_INT_OPT, 1, 10 },
  { "max_years", F_INT_OPT, 1, 10 },
  { "min_contents", F_INT_OPT, 1, 100 },
  { "min_beneficiaries", F_INT_OPT, 0, 10000 },
  { NULL, 0, 0, 0 },
};

static const CatalogField support_cap_fields[] = {
  COMMON_FIELDS,
  { "pct_cap", F_PCT, 0, 0 },
  { "abs_cap_vnd", F_INT_OPT, 0, G_MAXINT64 },
  { "unit", F_TEXT, 0, 200 },
  { "base", F_TEXT, 0, 1000 },
  { "priority_factor", F_FACTOR, 0, 0 },
  { NULL, 0, 0, 0 },
};

static const CatalogField calendar_rule_fields[] = {
  { "due", F_DATE, 0, 0 },        { "note", F_NOTE, 0, 4000 },      { "legal_act", F_NAME, 1, 500 },
  { "confidence", F_CONF, 0, 0 }, { "valid_to", F_DATE_OPT, 0, 0 }, { NULL, 0, 0, 0 },
};

static const CatalogSection sections[] = {
  { "funding_sources", FALSE, funding_source_fields,
    UPDATE_DEF ("funding_sources", "funding_sources", "code", "", "NULL",
                COMMON_SETS ", sort = n.sort") },
  { "content_categories", FALSE, content_category_fields,
    UPDATE_DEF ("content_categories", "content_categories", "code", "", "NULL",
                COMMON_SETS ", sort = n.sort, group_project_eligible = n.group_project_eligible,"
                            " requires_bidding = n.requires_bidding,"
                            " first_advance_pct = n.first_advance_pct") },
  { "sectors", FALSE, sector_fields,
    UPDATE_DEF ("sectors", "sectors", "code", "", "NULL", COMMON_SETS ", sort = n.sort") },
  { "priority_areas", FALSE, priority_area_fields,
    UPDATE_DEF ("priority_areas", "priority_areas", "code", "", "NULL",
                COMMON_SETS ", rank = n.rank") },
  { "priority_sectors", FALSE, priority_sector_fields,
    UPDATE_DEF ("priority_sectors", "priority_sectors", "code", "", "NULL",
                COMMON_SETS ", grp = n.grp, rank = n.rank, sort = n.sort,"
                            " definition_vi = n.definition_vi, definition_en = n.definition_en") },
  { "indicators", FALSE, indicator_fields,
    UPDATE_DEF ("indicators", "indicators", "code", "", "NULL",
                COMMON_SETS ", unit_vi = n.unit_vi, unit_en = n.unit_en") },
  { "programme_periods", FALSE, programme_period_fields,
    UPDATE_DEF ("programme_periods", "programme_periods", "code", "", "NULL",
                COMMON_SETS ", decision = n.decision, decision_date = n.decision_date,"
                            " issuer = n.issuer") },
  { "project_kinds", FALSE, project_kind_fields,
    UPDATE_DEF ("project_kinds", "project_kinds", "code", "", "NULL",
                COMMON_SETS ", sort = n.sort, min_years = n.min_years, max_years = n.max_years,"
                            " min_contents = n.min_contents,"
                            " min_beneficiaries = n.min_beneficiaries") },
  { "support_caps", TRUE, support_cap_fields,
    UPDATE_DEF ("support_caps", "support_caps", "id", "::bigint", "$1::bigint",
                COMMON_SETS ", pct_cap = n.pct_cap, abs_cap_vnd = n.abs_cap_vnd, unit = n.unit,"
                            " base = n.base, priority_factor = n.priority_factor") },
  { "calendar_rules", TRUE, calendar_rule_fields,
    UPDATE_DEF ("calendar_rules", "calendar_rules", "id", "::bigint", "$1::bigint",
                "due = n.due, note = n.note, legal_act = n.legal_act,"
                " confidence = n.confidence, valid_to = n.valid_to") },
};

static const char *const confidence_choices[] = { "C", "P", "U", NULL };

/* Helpers */

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static const CatalogSection *
find_section (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    if (g_str_equal (sections[i].name, name))
      return &sections[i];
  return NULL;
}

static const CatalogField *
find_field (const CatalogSection *section, const char *name)
{
  for (const CatalogField *f = section->fields; f->name != NULL; f++)
    if (g_str_equal (f->name, name))
      return f;
  return NULL;
}

/* A JSON number with at most two decimals in [min, max] (exclusive of min
 * when @min_open), as decimal text for a numeric parameter; NULL with
 * *@problem set otherwise. */
static char *
decimal_text (JsonNode *node, double min, gboolean min_open, double max, const char **problem)
{
  GType type;
  double d, cents;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  *problem = NULL;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    d = (double)json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    d = json_node_get_double (node);
  else
    {
      *problem = "must be a number";
      return NULL;
    }
  if (!isfinite (d) || d > max || d < min || (min_open && d <= min))
    {
      *problem = "is out of range";
      return NULL;
    }
  /* d >= 0 here: rounding without libm */
  cents = (double)(gint64)(d * 100.0 + 0.5);
  if (fabs (cents - d * 100.0) > 1e-6)
    {
      *problem = "must have at most two decimals";
      return NULL;
    }
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2f", cents / 100.0));
}

/* Checks one member of "fields" against its descriptor; returns a message
 * or NULL when valid. */
static const char *
check_field (const CatalogField *f, JsonNode *node)
{
  gboolean is_null = JSON_NODE_HOLDS_NULL (node);
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (f->kind)
    {
      case F_NAME:
      case F_TEXT:
      case F_NOTE:
        {
          const char *s;
          glong chars;

          if (is_null)
            return f->kind == F_NAME ? "must not be null" : NULL;
          if (type != G_TYPE_STRING)
            return "must be a string";
          s = json_node_get_string (node);
          chars = g_utf8_strlen (s, -1);
          if (chars < f->min || chars > f->max)
            return "has a length out of range";
          if (srv_text_has_control (s, f->kind == F_NOTE))
            return "must not contain control characters";
          return NULL;
        }
      case F_CONF:
      case F_GRP:
        {
          const char *s;

          if (type != G_TYPE_STRING)
            return f->kind == F_CONF ? "must be one of: C, P, U" : "must be one of: a, b";
          s = json_node_get_string (node);
          if (f->kind == F_CONF && !g_strv_contains (confidence_choices, s))
            return "must be one of: C, P, U";
          if (f->kind == F_GRP && !g_str_equal (s, "a") && !g_str_equal (s, "b"))
            return "must be one of: a, b";
          return NULL;
        }
      case F_DATE:
      case F_DATE_OPT:
        {
          GDate date;

          if (is_null)
            return f->kind == F_DATE_OPT ? NULL : "must not be null";
          if (type != G_TYPE_STRING || strlen (json_node_get_string (node)) != 10
              || !kc_date_parse_iso (json_node_get_string (node), &date))
            return "must be a date as YYYY-MM-DD";
          return NULL;
        }
      case F_INT:
      case F_INT_OPT:
      case F_ADVANCE:
        {
          gint64 v;

          if (is_null)
            return f->kind == F_INT ? "must not be null" : NULL;
          if (type != G_TYPE_INT64)
            return "must be an integer";
          v = json_node_get_int (node);
          if (f->kind == F_ADVANCE)
            return (v == 30 || v == 70 || v == 100) ? NULL : "must be 30, 70, 100 or null";
          if (v < f->min || v > f->max)
            return "is out of range";
          return NULL;
        }
      case F_BOOL:
        return type == G_TYPE_BOOLEAN ? NULL : "must be true or false";
      case F_PCT:
      case F_FACTOR:
        {
          const char *problem;
          g_autofree char *text = NULL;

          if (is_null)
            return NULL;
          text = f->kind == F_PCT ? decimal_text (node, 0, TRUE, 100, &problem)
                                  : decimal_text (node, 1, FALSE, 3, &problem);
          return problem;
        }
      default:
        return "is not editable";
    }
}

/* The decision reference */

static const SrvItemField decision_fields[] = {
  { "number", SRV_ITEM_STRING, TRUE, 100, NULL },
  { "date", SRV_ITEM_DATE, TRUE, 10, NULL },
  { "signer", SRV_ITEM_STRING, TRUE, 300, NULL },
  { "attachment_id", SRV_ITEM_INT, FALSE, G_MAXINT64, NULL },
  { NULL, 0, FALSE, 0, NULL },
};

gboolean
srv_params_decision (SrvParams *p)
{
  return srv_plan_check_object (p, "decision", decision_fields);
}

/* A refusal the SQL returned as {error: {code, message, data?}}. */
static void
set_sql_refusal (SrvCall *call, const char *text)
{
  g_autoptr (JsonNode) node = json_from_string (text, NULL);
  JsonObject *err = NULL;
  JsonNode *data = NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    err = json_object_get_object_member (json_node_get_object (node), "error");
  if (err == NULL)
    {
      srv_call_set_error (call, KC_ERROR_RULE, NULL, "the change was refused");
      return;
    }
  if (json_object_has_member (err, "data"))
    data = json_node_copy (json_object_get_member (err, "data"));
  srv_call_set_error (call, (int)json_object_get_int_member (err, "code"), data, "%s",
                      json_object_get_string_member_with_default (err, "message", ""));
}

/* catalog.get */

void
srv_handle_catalog_get (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  gboolean found = FALSE;
  const char *at;
  SrvParams p;

  srv_params_init (&p, call);
  at = srv_params_date (&p, "at", FALSE);
  if (!srv_params_finish (&p))
    return;
  {
    const char *params[] = { at };
    json = srv_db_exec_def_json (db, &q_get, params, &found, &error);
  }
  if (json == NULL)
    srv_call_set_db_error (call, error);
  else
    srv_call_set_result (call, g_steal_pointer (&json));
}

/* catalog.update */

static void
set_catalog_write_error (SrvCall *call, const GError *error, const char *field)
{
  if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_FOREIGN_KEY))
    srv_call_set_violation (call, field, "exists", "a referenced code does not exist");
  else if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_UNIQUE))
    srv_call_set_violation (call, field, "unique", "such a row already exists");
  else if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_CHECK))
    srv_call_set_violation (call, field, "check",
                            "the values are not allowed (a required value missing, a value out "
                            "of range, validity dates out of order or overlapping another row)");
  else
    srv_call_set_db_error (call, error);
}

void
srv_handle_catalog_update (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *version_text = NULL, *key_text = NULL, *fields_json = NULL;
  g_autofree char *actor = int_text (call->session->user_id);
  const CatalogSection *section = NULL;
  const char *section_name;
  JsonNode *key_node, *fields_node;
  gint64 version = 0;
  SrvParams p;

  srv_params_init (&p, call);
  section_name = srv_params_string (&p, "section", TRUE, 1, 64);
  if (section_name != NULL)
    {
      section = find_section (section_name);
      if (section == NULL)
        srv_params_error (&p, "section",
                          "must be one of: funding_sources, content_categories, sectors, "
                          "priority_areas, priority_sectors, indicators, programme_periods, "
                          "project_kinds, support_caps, calendar_rules");
    }
  srv_params_int64 (&p, "version", TRUE, 1, G_MAXINT32, &version);

  /* key: the code (text), or the id (integer) of support_caps and
   * calendar_rules. */
  g_hash_table_add (p.seen, (gpointer) "key");
  key_node = json_object_get_member (call->params, "key");
  if (key_node == NULL)
    srv_params_error (&p, "key", "is required");
  else if (section != NULL && section->id_key)
    {
      if (!JSON_NODE_HOLDS_VALUE (key_node) || json_node_get_value_type (key_node) != G_TYPE_INT64
          || json_node_get_int (key_node) < 1)
        srv_params_error (&p, "key", "must be the row's id, a positive integer");
      else
        key_text = int_text (json_node_get_int (key_node));
    }
  else if (section != NULL)
    {
      const char *k = NULL;
      if (JSON_NODE_HOLDS_VALUE (key_node) && json_node_get_value_type (key_node) == G_TYPE_STRING)
        k = json_node_get_string (key_node);
      if (k == NULL || *k == '\0' || g_utf8_strlen (k, -1) > 64)
        srv_params_error (&p, "key", "must be the row's code, a string of 1 to 64 characters");
      else
        key_text = g_strdup (k);
    }

  g_hash_table_add (p.seen, (gpointer) "fields");
  fields_node = json_object_get_member (call->params, "fields");
  if (fields_node == NULL)
    srv_params_error (&p, "fields", "is required");
  else if (!JSON_NODE_HOLDS_OBJECT (fields_node))
    srv_params_error (&p, "fields", "must be an object");
  else if (json_object_get_size (json_node_get_object (fields_node)) == 0)
    srv_params_error (&p, "fields", "must name at least one field");
  else if (section != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (fields_node));
      while (json_object_iter_next (&iter, &member, &value))
        {
          const CatalogField *f = find_field (section, member);
          g_autofree char *where = g_strdup_printf ("fields.%s", member);
          const char *problem
              = f == NULL ? "is not an editable field of this section" : check_field (f, value);
          if (problem != NULL)
            srv_params_error (&p, where, problem);
        }
      fields_json = kc_json_to_string (fields_node, FALSE);
    }
  if (srv_params_decision (&p) && section != NULL && !g_str_equal (section->name, "support_caps"))
    srv_params_error (&p, "decision", "goes only with section support_caps");
  if (!srv_params_finish (&p))
    return;

  version_text = int_text (version);
  if (g_str_equal (section->name, "support_caps"))
    {
      JsonNode *d = json_object_get_member (call->params, "decision");
      g_autofree char *decision_json
          = d != NULL && !JSON_NODE_HOLDS_NULL (d) ? json_to_string (d, FALSE) : NULL;
      const char *params[] = { actor,        call->session->username,
                               call->peer,   key_text,
                               version_text, fields_json,
                               decision_json };

      rows = srv_db_exec_def (db, &q_cap_update, params, &error);
      if (rows != NULL && rows->n_rows > 0 && srv_rows_get (rows, 0, 2) != NULL)
        {
          set_sql_refusal (call, srv_rows_get (rows, 0, 2));
          return;
        }
    }
  else
    {
      const char *params[]
          = { key_text, version_text, fields_json, actor, call->session->username, call->peer };
      rows = srv_db_exec_def (db, &section->update, params, &error);
    }
  if (rows == NULL)
    {
      set_catalog_write_error (call, error, "fields");
      return;
    }
  if (rows->n_rows == 0 || srv_rows_get (rows, 0, 0) == NULL)
    {
      srv_call_set_error (call, KC_ERROR_NOT_FOUND, NULL, "no such catalogue row");
      return;
    }
  if (srv_rows_get (rows, 0, 1) == NULL)
    {
      srv_call_set_conflict (call, srv_rows_get_int64 (rows, 0, 0));
      return;
    }
  srv_call_set_result (call, g_strdup (srv_rows_get (rows, 0, 1)));
}

/* catalog.add_cap */

/* An optional number member as decimal text (NULL when absent or null). */
static char *
decimal_param (SrvParams *p, const char *name, double min, gboolean min_open, double max)
{
  JsonNode *node = json_object_get_member (p->call->params, name);
  const char *problem = NULL;
  char *text;

  g_hash_table_add (p->seen, (gpointer)name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  text = decimal_text (node, min, min_open, max, &problem);
  if (problem != NULL)
    srv_params_error (p, name, problem);
  return text;
}

void
srv_handle_catalog_add_cap (SrvCall *call, SrvDbConn *db)
{
  static GRegex *cap_re;
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *pct = NULL, *factor = NULL;
  g_autofree char *actor = int_text (call->session->user_id);
  const char *cap_code, *name_vi;
  gint64 abs_cap = 0;
  SrvParams p;

  if (g_once_init_enter (&cap_re))
    g_once_init_leave (&cap_re, g_regex_new ("^C[0-9]{2}[a-z]?$", G_REGEX_OPTIMIZE, 0, NULL));

  srv_params_init (&p, call);
  cap_code = srv_params_string (&p, "cap_code", TRUE, 3, 4);
  if (cap_code != NULL && !g_regex_match (cap_re, cap_code, 0, NULL))
    srv_params_error (&p, "cap_code", "must look like C02 or C04b");
  /* content_code is required but may be null: a cap of every content */
  if (srv_params_is_null (&p, "content_code"))
    g_hash_table_add (p.seen, (gpointer) "content_code");
  else
    srv_params_string (&p, "content_code", TRUE, 1, 64);
  pct = decimal_param (&p, "pct_cap", 0, TRUE, 100);
  if (srv_params_is_null (&p, "abs_cap_vnd"))
    g_hash_table_add (p.seen, (gpointer) "abs_cap_vnd");
  else
    srv_params_int64 (&p, "abs_cap_vnd", FALSE, 0, G_MAXINT64, &abs_cap);
  factor = decimal_param (&p, "priority_factor", 1, FALSE, 3);
  srv_params_string (&p, "unit", TRUE, 1, 200);
  srv_params_string (&p, "base", TRUE, 1, 1000);
  srv_params_string (&p, "legal_act", TRUE, 1, 500);
  srv_params_date (&p, "valid_from", TRUE);
  srv_params_enum (&p, "confidence", TRUE, confidence_choices);
  srv_params_text (&p, "note", FALSE, 0, 4000);
  name_vi = srv_params_string (&p, "name_vi", FALSE, 1, 1000);
  srv_params_string (&p, "name_en", FALSE, 1, 1000);
  srv_params_decision (&p);
  if (!srv_params_finish (&p))
    return;

  {
    g_autofree char *json = srv_outcome_params_json (call);
    const char *params[] = { json, actor, call->session->username, call->peer };
    rows = srv_db_exec_def (db, &q_cap_add, params, &error);
  }
  if (rows == NULL)
    {
      const char *field = "valid_from";
      if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_FOREIGN_KEY))
        field = "content_code";
      else if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_CHECK) && name_vi == NULL)
        field = "name_vi";
      set_catalog_write_error (call, error, field);
      return;
    }
  if (rows->n_rows > 0 && srv_rows_get (rows, 0, 2) != NULL)
    {
      set_sql_refusal (call, srv_rows_get (rows, 0, 2));
      return;
    }
  if (rows->n_rows == 0 || srv_rows_get (rows, 0, 0) == NULL)
    {
      if (rows->n_rows > 0 && srv_rows_get_bool (rows, 0, 1))
        srv_call_set_violation (call, "valid_from", "after_last",
                                "a row of this cap already applies from that day or later; "
                                "a new row must start after the last one");
      else
        srv_call_set_violation (call, "valid_from", "check", "the cap could not be added");
      return;
    }
  srv_call_set_result (call, g_strdup (srv_rows_get (rows, 0, 0)));
}

/* catalog.add_local_cap {cap_code, name_vi, legal_act, valid_from, confidence,
 * content_code?, pct_cap?, abs_cap_vnd?, unit?, base?, priority_factor?,
 * valid_to?, note?, province_id?}: a province's own cap (its HĐND
 * resolution, DOMAIN §3.5), by its leader or the administrator (any
 * province: province_id). The rest is kc_local_cap_add (sql/0025). */
static const SrvQueryDef q_add_local_cap = {
  "catalog_add_local_cap",
  "SELECT r->'error'->>'code', r->'error'->>'message', (r->'error'->'data')::text, "
  "(r->'result')::text FROM kc_local_cap_add($1::bigint, $2, $3, $4, $5::bigint, $6::jsonb) AS r",
  6
};

static void
srv_handle_catalog_add_local_cap (SrvCall *call, SrvDbConn *db)
{
  static GRegex *cap_re;
  g_autofree char *pct = NULL, *factor = NULL;
  gint64 v = 0;
  const char *cap_code;
  SrvParams p;

  if (g_once_init_enter (&cap_re))
    g_once_init_leave (&cap_re, g_regex_new ("^C[0-9]{2}[a-z]?$", G_REGEX_OPTIMIZE, 0, NULL));
  srv_params_init (&p, call);
  cap_code = srv_params_string (&p, "cap_code", TRUE, 3, 4);
  if (cap_code != NULL && !g_regex_match (cap_re, cap_code, 0, NULL))
    srv_params_error (&p, "cap_code", "must look like C02 or C04b");
  srv_params_string (&p, "name_vi", TRUE, 1, 1000);
  srv_params_string (&p, "content_code", FALSE, 1, 64);
  pct = decimal_param (&p, "pct_cap", 0, TRUE, 100);
  srv_params_int64 (&p, "abs_cap_vnd", FALSE, 0, G_MAXINT64, &v);
  factor = decimal_param (&p, "priority_factor", 1, FALSE, 3);
  srv_params_string (&p, "unit", FALSE, 1, 200);
  srv_params_string (&p, "base", FALSE, 1, 1000);
  srv_params_string (&p, "legal_act", TRUE, 1, 500);
  srv_params_date (&p, "valid_from", TRUE);
  srv_params_date (&p, "valid_to", FALSE);
  srv_params_enum (&p, "confidence", TRUE, confidence_choices);
  srv_params_text (&p, "note", FALSE, 0, 4000);
  srv_params_int64 (&p, "province_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_decision (&p);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_add_local_cap, TRUE);
}

const SrvMethod srv_catalog_methods[] = {
  { "catalog.get", srv_handle_catalog_get, SRV_ROLES_ALL, 0 },
  { "catalog.update", srv_handle_catalog_update, ADMIN, SRV_METHOD_WRITE },
  { "catalog.add_cap", srv_handle_catalog_add_cap, ADMIN, SRV_METHOD_WRITE },
  { "catalog.add_local_cap", srv_handle_catalog_add_local_cap, ADMIN | SRV_ROLE_PROVINCE_LEADER,
    SRV_METHOD_WRITE },
  { NULL, NULL, 0, 0 },
};
