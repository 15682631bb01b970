/*
 * srv-outcome.c — the one way a handler runs its SQL function: the caller
 * and the parameters in, the function's {result} or {error} out, mapped
 * onto the call (see srv-outcome.h).
 */
#include "srv-outcome.h"

#include <string.h>

char *
srv_outcome_params_json (SrvCall *call)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, call->params);
  return kc_json_to_string (node, FALSE);
}

void
srv_outcome_run (SrvCall *call, SrvDbConn *db, const SrvQueryDef *def, gboolean with_actor)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = NULL;
  g_autofree char *json = srv_outcome_params_json (call);
  g_autofree char *user = g_strdup_printf ("%" G_GINT64_FORMAT, call->session->user_id);
  g_autofree char *scope = call->session->scope_root > 0
                               ? g_strdup_printf ("%" G_GINT64_FORMAT, call->session->scope_root)
                               : NULL;

  if (with_actor)
    {
      const char *params[]
          = { user, call->session->username, call->peer, call->session->role_name, scope, json };
      g_return_if_fail (db != NULL);
      rows = srv_db_exec_def (db, def, params, &error);
    }
  else if (db == NULL)
    {
      /* SRV_METHOD_MAIN_LOOP: the caller sends it (srv-conn.c). */
      g_return_if_fail (call->defer_read);
      call->deferred_def = def;
      call->deferred_params[0] = g_steal_pointer (&scope);
      call->deferred_params[1] = g_steal_pointer (&json);
      return;
    }
  else
    {
      const char *params[] = { scope, json };
      rows = srv_db_exec_def (db, def, params, &error);
    }
  srv_outcome_apply (call, rows, error);
}

void
srv_outcome_run_deferred (SrvCall *call, SrvDbConn *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvRows) rows = srv_db_exec_def (db, call->deferred_def,
                                              (const char *const *)call->deferred_params, &error);

  srv_outcome_apply (call, rows, error);
}

void
srv_outcome_apply (SrvCall *call, SrvRows *rows, const GError *error)
{
  const char *code;

  if (rows == NULL)
    {
      if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_BAD_STATUS))
        srv_call_set_error (call, KC_ERROR_BAD_STATUS, NULL,
                            "not allowed in the record's current status");
      else if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_UNIQUE)
               || g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_FOREIGN_KEY)
               || g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_CHECK))
        srv_call_set_violation (call, "params", "constraint",
                                "the data conflicts with another record or a rule");
      else if (g_error_matches (error, SRV_DB_ERROR, SRV_DB_ERROR_RULE)
               && strstr (error->message, "by its author only") != NULL)
        /* attachments_comment_author_guard (sql/0024), after the owner
         * was found visible: a refusal, not a fault. */
        srv_call_set_error (call, KC_ERROR_FORBIDDEN, NULL,
                            "files are attached to a review comment by its author only");
      else
        srv_call_set_db_error (call, error);
      return;
    }
  code = rows->n_rows > 0 ? srv_rows_get (rows, 0, 0) : NULL;
  if (code != NULL)
    {
      const char *data_text = srv_rows_get (rows, 0, 2);
      JsonNode *data = NULL;

      if (data_text != NULL)
        data = json_from_string (data_text, NULL);
      srv_call_set_error (call, (int)g_ascii_strtoll (code, NULL, 10), data, "%s",
                          srv_rows_get (rows, 0, 1));
      return;
    }
  if (rows->n_rows == 0 || srv_rows_get (rows, 0, 3) == NULL)
    {
      g_autoptr (GError) e
          = g_error_new_literal (SRV_DB_ERROR, SRV_DB_ERROR_FAILED, "no outcome from the database");
      srv_call_set_db_error (call, e);
      return;
    }
  /* The rows' copy of the text is the result's: no second copy. */
  srv_call_set_result (call, g_steal_pointer (&rows->values[3]));
}
