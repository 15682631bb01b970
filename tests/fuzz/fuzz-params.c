/*
 * fuzz-params.c — every method's parameter validation, without a database.
 *
 * The input is one request line. A method the dispatch table knows runs its
 * real handler, as the connection would call it (a session for the methods
 * that need one, none for the anonymous ones), against fake-db.c, which
 * refuses every statement. Whatever the params, the handler must end in an
 * error the server can send (validation's -32602 with field details, or
 * the 1050 of the refused statement, or its own refusal), never crash,
 * leak or pass a statement non-UTF-8 text; the answer line it makes must
 * parse back. Stages that a handler continues on the CPU pool (password
 * hashing) are not run: they come after validation.
 */
#include "kc-fuzz.h"
#include "kc-rpc.h"
#include "srv-handlers.h"
#include "srv-log.h"

#include <string.h>

SrvDbConn *kc_fuzz_fake_db (void);

static SrvContext *
context (void)
{
  static SrvContext *ctx;

  if (ctx == NULL)
    {
      ctx = g_new0 (SrvContext, 1);
      ctx->config = srv_config_new_defaults ();
      /* The refused-password list is not needed to validate params; an
       * absent file leaves it empty. */
      g_free (ctx->config->common_passwords);
      ctx->config->common_passwords = g_strdup ("/nonexistent/kc-fuzz");
      ctx->config->argon2_memory_kib = 8;
      ctx->config->argon2_iterations = 1;
      ctx->password = srv_password_new (ctx->config);
      /* Each refused statement logs a warning: keep the output readable. */
      srv_log_set_level (SRV_LOG_ERROR);
    }
  return ctx;
}

/* A session of each kind of user, picked by the input so both the
 * province side (a scope) and the Ministry side (none) are reached. */
static SrvSession *
session_for (guint8 pick)
{
  static const char *const roles[] = { "province_officer",  "province_leader", "ministry_reviewer",
                                       "ministry_approver", "admin",           "viewer" };
  const char *role = roles[pick % G_N_ELEMENTS (roles)];
  SrvSession *s = srv_session_new ();

  s->session_id = 7;
  s->user_id = 42;
  s->username = g_strdup ("fuzz");
  s->full_name = g_strdup ("Người thử");
  s->role_name = g_strdup (role);
  s->role = srv_role_from_name (role);
  s->org_id = 25;
  s->scope_root = g_str_has_prefix (role, "province") || g_str_equal (role, "viewer") ? 25 : 0;
  s->expires_at_us = g_get_real_time () + (gint64)G_USEC_PER_SEC * 3600;
  s->idle_timeout_us = (gint64)G_USEC_PER_SEC * 1800;
  return s;
}

static void
check_answer (SrvCall *call, JsonNode *id)
{
  g_autofree char *line = NULL;
  g_autoptr (KcResponse) back = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  if (call->error_code == 0)
    {
      /* Only methods that need no database can succeed here. */
      g_assert (call->method->flags & SRV_METHOD_INLINE || call->result_json == NULL
                || g_utf8_validate (call->result_json, -1, NULL));
      return;
    }
  if (call->error_code == KC_ERROR_INVALID_PARAMS)
    {
      JsonNode *fields;
      g_assert (call->error_data != NULL && JSON_NODE_HOLDS_OBJECT (call->error_data));
      fields = json_object_get_member (json_node_get_object (call->error_data), "fields");
      g_assert (fields != NULL && JSON_NODE_HOLDS_ARRAY (fields)
                && json_array_get_length (json_node_get_array (fields)) > 0);
    }
  line = kc_rpc_build_error (id, call->error_code, call->error_message, call->error_data, &len);
  g_assert (strlen (line) == len && memchr (line, '\n', len - 1) == NULL);
  back = kc_response_parse (line, len - 1, &error);
  if (back == NULL)
    g_error ("the answer of %s does not parse: %s", call->method->name, error->message);
  g_assert (back->error_code == call->error_code);
}

int
kc_fuzz_params (const guint8 *data, gsize size)
{
  g_autoptr (KcRequest) request = NULL;
  g_autoptr (SrvCall) call = NULL;
  g_autoptr (SrvSession) session = NULL;
  const SrvMethod *method;
  SrvContext *ctx = context ();

  request = kc_request_parse ((const char *)data, size, NULL, NULL);
  if (request == NULL)
    return 0;
  method = srv_dispatch_lookup (request->method);
  if (method == NULL)
    return 0;

  if (!(method->flags & SRV_METHOD_ANONYMOUS))
    session = session_for (size > 0 ? data[size - 1] : 0);
  call = srv_call_new (ctx, method, request->params, session);
  call->peer = g_strdup ("127.0.0.1");
  call->peer_full = g_strdup ("127.0.0.1:1");
  call->conn_id = 1;
  call->request_id = g_strdup ("1");

  method->handler (call, (method->flags & SRV_METHOD_INLINE) ? NULL : kc_fuzz_fake_db ());
  /* Later database stages run too; CPU ones (password hashing) do not. */
  for (int stage = 0; call->next != NULL && !call->next_on_cpu && stage < 8; stage++)
    {
      SrvHandler next = call->next;
      call->next = NULL;
      next (call, kc_fuzz_fake_db ());
    }
  check_answer (call, request->id);
  /* KC_FUZZ_VERBOSE=1: which outcome each input reached (to see that the
   * seeds get past validation: 1050 means they reached the database). */
  if (g_getenv ("KC_FUZZ_VERBOSE") != NULL)
    g_printerr ("%s %d\n", method->name, call->error_code);
  return 0;
}

#ifdef KC_FUZZ_LIBFUZZER
KC_FUZZ_ENTRY (kc_fuzz_params)
#endif
