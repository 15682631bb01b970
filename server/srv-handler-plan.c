/*
 * srv-handler-plan.c — the plan.* methods (issue 3), with their table, and
 * the helpers that the project.* methods share.
 *
 * The parameters are validated here (types, ranges, lists: -32602); the
 * rest is one call of a function of sql/0005_plans_projects.sql per
 * method, which checks scope (1004), version (1009), status (1010) and
 * references (1022) before it writes, names the actor for the status
 * triggers and writes its audit row, all in that one statement.
 */
#include "srv-handlers.h"

#include <string.h>

#include "kc-date.h"

/* Helpers shared with srv-handler-project.c */

static gboolean
check_member (SrvParams *p, const char *where, JsonObject *obj, const SrvItemField *f)
{
  JsonNode *m = json_object_get_member (obj, f->name);
  g_autofree char *field = g_strdup_printf ("%s.%s", where, f->name);

  if (m == NULL || JSON_NODE_HOLDS_NULL (m))
    {
      if (f->required)
        srv_params_error (p, field, "is required");
      return !f->required;
    }
  if (f->type == SRV_ITEM_BOOL)
    {
      if (!JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_BOOLEAN)
        {
          srv_params_error (p, field, "must be true or false");
          return FALSE;
        }
      return TRUE;
    }
  if (f->type == SRV_ITEM_INT)
    {
      if (!JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_INT64)
        {
          srv_params_error (p, field, "must be an integer");
          return FALSE;
        }
      if (json_node_get_int (m) < 0 || json_node_get_int (m) > f->max)
        {
          g_autofree char *msg
              = g_strdup_printf ("must be between 0 and %" G_GINT64_FORMAT, f->max);
          srv_params_error (p, field, msg);
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_STRING)
    {
      srv_params_error (p, field, "must be a string");
      return FALSE;
    }
  {
    const char *s = json_node_get_string (m);
    glong chars = g_utf8_strlen (s, -1);

    if (chars < (f->required ? 1 : 0) || chars > f->max)
      {
        g_autofree char *msg = g_strdup_printf (
            "must have at most %" G_GINT64_FORMAT " characters (and not be empty)", f->max);
        srv_params_error (p, field, msg);
        return FALSE;
      }
    if (srv_text_has_control (s, f->type == SRV_ITEM_TEXT))
      {
        srv_params_error (p, field, "must not contain control characters");
        return FALSE;
      }
    if (f->type == SRV_ITEM_DATE)
      {
        GDate date;
        if (!kc_date_parse_iso (s, &date))
          {
            srv_params_error (p, field, "must be a date as YYYY-MM-DD");
            return FALSE;
          }
      }
    if (f->type == SRV_ITEM_ENUM)
      {
        for (gsize i = 0; f->choices[i] != NULL; i++)
          if (g_str_equal (f->choices[i], s))
            return TRUE;
        {
          g_autofree char *list = g_strjoinv (", ", (char **)f->choices);
          g_autofree char *msg = g_strdup_printf ("must be one of: %s", list);
          srv_params_error (p, field, msg);
        }
        return FALSE;
      }
  }
  return TRUE;
}

static void
check_object (SrvParams *p, const char *where, JsonObject *obj, const SrvItemField *fields)
{
  JsonObjectIter iter;
  const char *member;

  for (const SrvItemField *f = fields; f->name != NULL; f++)
    check_member (p, where, obj, f);
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &member, NULL))
    {
      gboolean known = FALSE;
      for (const SrvItemField *f = fields; f->name != NULL && !known; f++)
        known = g_str_equal (f->name, member);
      if (!known)
        {
          g_autofree char *field = g_strdup_printf ("%s.%s", where, member);
          srv_params_error (p, field, "is not a field here");
        }
    }
}

gboolean
srv_plan_check_object (SrvParams *p, const char *name, const SrvItemField *fields)
{
  JsonNode *node = json_object_get_member (p->call->params, name);

  g_hash_table_add (p->seen, (gpointer)name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      srv_params_error (p, name, "must be an object");
      return FALSE;
    }
  check_object (p, name, json_node_get_object (node), fields);
  return TRUE;
}

gboolean
srv_plan_check_list (SrvParams *p, const char *name, const SrvItemField *fields, gboolean strings)
{
  JsonNode *node = json_object_get_member (p->call->params, name);
  JsonArray *array;

  g_hash_table_add (p->seen, (gpointer)name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      srv_params_error (p, name, "must be a list");
      return FALSE;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > 1000)
    {
      srv_params_error (p, name, "must have at most 1000 items");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *where = g_strdup_printf ("%s[%u]", name, i);

      if (strings)
        {
          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING
              || g_utf8_strlen (json_node_get_string (item), -1) < 1
              || g_utf8_strlen (json_node_get_string (item), -1) > 64)
            srv_params_error (p, where, "must be a code (a string of 1 to 64 characters)");
          continue;
        }
      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          srv_params_error (p, where, "must be an object");
          continue;
        }
      check_object (p, where, json_node_get_object (item), fields);
    }
  return TRUE;
}

const char *
srv_plan_opt_string (SrvParams *p, const char *name, glong max_chars, gboolean multiline)
{
  if (srv_params_is_null (p, name))
    {
      g_hash_table_add (p->seen, (gpointer)name);
      return NULL;
    }
  return multiline ? srv_params_text (p, name, FALSE, 0, max_chars)
                   : srv_params_string (p, name, FALSE, 0, max_chars);
}

/* Statements */

static const SrvQueryDef q_create
    = { "plan_create", SRV_OUTCOME "kc_plan_create" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_get
    = { "plan_get", SRV_OUTCOME "kc_plan_get($1::bigint, $2::jsonb) AS r", 2 };
static const SrvQueryDef q_list
    = { "plan_list", SRV_OUTCOME "kc_plan_list($1::bigint, $2::jsonb) AS r", 2 };
static const SrvQueryDef q_update
    = { "plan_update", SRV_OUTCOME "kc_plan_update" SRV_ACTOR_ARGS, 6 };
static const SrvQueryDef q_submit
    = { "plan_submit",
        SRV_OUTCOME
        "kc_plan_transition($1::bigint, $2, $3, $4, $5::bigint, 'plan.submit', $6::jsonb) AS r",
        6 };
static const SrvQueryDef q_withdraw
    = { "plan_withdraw",
        SRV_OUTCOME
        "kc_plan_transition($1::bigint, $2, $3, $4, $5::bigint, 'plan.withdraw', $6::jsonb) AS r",
        6 };
static const SrvQueryDef q_appraise
    = { "plan_appraise",
        SRV_OUTCOME
        "kc_plan_transition($1::bigint, $2, $3, $4, $5::bigint, 'plan.appraise', $6::jsonb) AS r",
        6 };
static const SrvQueryDef q_approve_local
    = { "plan_approve_local",
        SRV_OUTCOME "kc_plan_transition($1::bigint, $2, $3, $4, $5::bigint, 'plan.approve_local', "
                    "$6::jsonb) AS r",
        6 };

static const char *const scopes[] = { "national", "local", NULL };
static const char *const statuses[] = { "draft", "submitted", "forwarded", "approved", NULL };

/* plan.* */

static void
id_version (SrvParams *p)
{
  gint64 v = 0;

  srv_params_int64 (p, "id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (p, "version", TRUE, 1, G_MAXINT32, &v);
}

void
srv_handle_plan_create (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "org_id", TRUE, 1, G_MAXINT64, &v);
  srv_params_int64 (&p, "year", TRUE, 2014, 2100, &v);
  srv_params_enum (&p, "scope", TRUE, scopes);
  srv_plan_opt_string (&p, "title", 500, FALSE);
  srv_plan_opt_string (&p, "note", 10000, TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_create, TRUE);
}

void
srv_handle_plan_get (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "id", TRUE, 1, G_MAXINT64, &v);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_get, FALSE);
}

void
srv_handle_plan_list (SrvCall *call, SrvDbConn *db)
{
  gint64 v = 0;
  const char *cursor;
  SrvParams p;

  srv_params_init (&p, call);
  srv_params_int64 (&p, "year", FALSE, 2014, 2100, &v);
  srv_params_int64 (&p, "org_id", FALSE, 1, G_MAXINT64, &v);
  srv_params_enum (&p, "scope", FALSE, scopes);
  srv_params_enum (&p, "status", FALSE, statuses);
  srv_params_page (&p, &v, &cursor);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_list, FALSE);
}

void
srv_handle_plan_update (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_plan_opt_string (&p, "title", 500, FALSE);
  srv_plan_opt_string (&p, "note", 10000, TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_update, TRUE);
}

void
srv_handle_plan_submit (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_plan_opt_string (&p, "comment", 4000, TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_submit, TRUE);
}

void
srv_handle_plan_withdraw (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_plan_opt_string (&p, "comment", 4000, TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_withdraw, TRUE);
}

void
srv_handle_plan_appraise (SrvCall *call, SrvDbConn *db)
{
  static const char *const decisions[] = { "forward", "return", NULL };
  /* Phiếu thẩm định cấp cơ sở (Mẫu 4a): the criteria of TT 36/2013 Art. 9. */
  static const SrvItemField sheet[] = {
    { "policy_fit", SRV_ITEM_BOOL, FALSE, 0, NULL },
    { "objectives_effective", SRV_ITEM_BOOL, FALSE, 0, NULL },
    { "capacity", SRV_ITEM_BOOL, FALSE, 0, NULL },
    { "combinable", SRV_ITEM_BOOL, FALSE, 0, NULL },
    { "dossier_complete", SRV_ITEM_BOOL, FALSE, 0, NULL },
    { "council", SRV_ITEM_BOOL, FALSE, 0, NULL },
    { "appraised_on", SRV_ITEM_DATE, FALSE, 10, NULL },
    { "conclusion", SRV_ITEM_TEXT, FALSE, 4000, NULL },
    { "notes", SRV_ITEM_TEXT, FALSE, 10000, NULL },
    { NULL, 0, FALSE, 0, NULL },
  };
  const char *decision, *comment;
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  decision = srv_params_enum (&p, "decision", TRUE, decisions);
  comment = srv_plan_opt_string (&p, "comment", 4000, TRUE);
  srv_plan_check_object (&p, "sheet", sheet);
  if (decision != NULL && g_str_equal (decision, "return"))
    {
      g_autofree char *copy = g_strstrip (g_strdup (comment != NULL ? comment : ""));
      if (copy[0] == '\0')
        srv_params_error (&p, "comment", "is required when the plan is returned");
    }
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_appraise, TRUE);
}

void
srv_handle_plan_approve_local (SrvCall *call, SrvDbConn *db)
{
  SrvParams p;

  srv_params_init (&p, call);
  id_version (&p);
  srv_params_string (&p, "decision_no", TRUE, 1, 100);
  srv_params_date (&p, "decision_date", TRUE);
  srv_params_string (&p, "issuer", TRUE, 1, 300);
  srv_plan_opt_string (&p, "comment", 4000, TRUE);
  if (!srv_params_finish (&p))
    return;
  srv_outcome_run (call, db, &q_approve_local, TRUE);
}

#define PROVINCE SRV_ROLES_PROVINCE
#define LEADER SRV_ROLE_PROVINCE_LEADER

const SrvMethod srv_plan_methods[] = {
  { "plan.create", srv_handle_plan_create, PROVINCE, SRV_METHOD_WRITE },
  { "plan.get", srv_handle_plan_get, SRV_ROLES_ALL, 0 },
  { "plan.list", srv_handle_plan_list, SRV_ROLES_ALL, 0 },
  { "plan.update", srv_handle_plan_update, PROVINCE, SRV_METHOD_WRITE },
  { "plan.submit", srv_handle_plan_submit, PROVINCE, SRV_METHOD_WRITE },
  { "plan.withdraw", srv_handle_plan_withdraw, PROVINCE, SRV_METHOD_WRITE },
  { "plan.appraise", srv_handle_plan_appraise, LEADER, SRV_METHOD_WRITE },
  { "plan.approve_local", srv_handle_plan_approve_local, LEADER, SRV_METHOD_WRITE },
  { NULL, NULL, 0, 0 },
};
