/*
 * kc-bench — load generator for kc-server (issue 7, "Load").
 *
 * N client threads, each with one TLS connection logged in once, send a
 * weighted mix of calls back to back for a set time and record each call's
 * latency. Optionally, while that runs: a burst of logins on fresh
 * connections, and a number of idle logged-in connections held open the
 * whole time. Prints requests per second and p50/p95/p99 per method, and
 * with --server-pid the server's RSS and CPU time from /proc.
 *
 * Blocking sockets and a thread per client, on purpose: the measuring side
 * stays simple and each client is exactly one outstanding request, like
 * pgbench's clients, so the figures compare.
 *
 * --summary FILE writes the figures as key=value lines for
 * tests/bench/run-load.
 */
#include <errno.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define N_METHODS 5
static const char *const method_names[N_METHODS]
    = { "project.get", "project.list", "project.update", "report.summary", "plan.submit" };
enum
{
  M_GET,
  M_LIST,
  M_UPDATE,
  M_SUMMARY,
  M_SUBMIT,
};

/* Options */
static char *opt_host = "127.0.0.1";
static int opt_port = 8474;
static char *opt_ca = NULL;
static char *opt_user_prefix = "bench";
static char *opt_password = NULL;
static int opt_users = 0;
static int opt_clients = 8;
static double opt_duration = 20;
static char *opt_mix = "project.get=70,project.list=10,project.update=10,report.summary=10";
static char *opt_summary_params
    = "{\"from_year\":2014,\"to_year\":2030,\"group_by\":[\"province\",\"year\"]}";
static int opt_idle = 0;
static int opt_burst = 0;
static int opt_server_pid = 0;
static char *opt_admin_user = NULL;
static char *opt_admin_password = NULL;
static gboolean opt_create_users = FALSE;
static char *opt_summary_file = NULL;
static char *opt_list_params = "{\"limit\":200}";
static double opt_pace = 0;

static GOptionEntry entries[] = {
  { "host", 'H', 0, G_OPTION_ARG_STRING, &opt_host, "server address (127.0.0.1)", "HOST" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "server port (8474)", "PORT" },
  { "ca", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca, "CA certificate (required)", "FILE" },
  { "user-prefix", 0, 0, G_OPTION_ARG_STRING, &opt_user_prefix,
    "bench accounts are PREFIX-01, PREFIX-02, ... (bench)", "PREFIX" },
  { "password", 0, 0, G_OPTION_ARG_STRING, &opt_password, "their password (or KC_BENCH_PASSWORD)",
    "PW" },
  { "users", 'u', 0, G_OPTION_ARG_INT, &opt_users, "number of accounts (= clients)", "N" },
  { "clients", 'c', 0, G_OPTION_ARG_INT, &opt_clients, "concurrent clients (8)", "N" },
  { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration, "seconds of load (20)", "S" },
  { "mix", 'm', 0, G_OPTION_ARG_STRING, &opt_mix, "method weights", "M=W,..." },
  { "summary-params", 0, 0, G_OPTION_ARG_STRING, &opt_summary_params,
    "params of report.summary (all years by province and year)", "JSON" },
  { "idle", 'i', 0, G_OPTION_ARG_INT, &opt_idle, "idle logged-in connections held during the load",
    "N" },
  { "login-burst", 'b', 0, G_OPTION_ARG_INT, &opt_burst, "logins at once, a third into the load",
    "N" },
  { "server-pid", 0, 0, G_OPTION_ARG_INT, &opt_server_pid, "kc-server's pid, for RSS and CPU",
    "PID" },
  { "admin-user", 0, 0, G_OPTION_ARG_STRING, &opt_admin_user, "admin account for --create-users",
    "NAME" },
  { "admin-password", 0, 0, G_OPTION_ARG_STRING, &opt_admin_password,
    "its password (or KC_BENCH_ADMIN_PASSWORD)", "PW" },
  { "create-users", 0, 0, G_OPTION_ARG_NONE, &opt_create_users,
    "create the accounts (province officers, one province each) and exit", NULL },
  { "summary", 0, 0, G_OPTION_ARG_FILENAME, &opt_summary_file, "write key=value figures here",
    "FILE" },
  { "list-params", 0, 0, G_OPTION_ARG_STRING, &opt_list_params,
    "project.list params that give each client its projects ({\"limit\":200})", "JSON" },
  { "pace", 0, 0, G_OPTION_ARG_DOUBLE, &opt_pace,
    "each client starts a call every S seconds (a user's autosave) instead of back to back; "
    "plan.submit in the mix submits the caller's draft plans",
    "S" },
  { NULL },
};

static SSL_CTX *ssl_ctx;
static int weights[N_METHODS];
static int weight_total;
/* Set once a method answered -32601 (not on this server): skipped since. */
static volatile gint method_missing[N_METHODS];
static gint64 t_start_us;
static volatile gint started;
static volatile gint stop_flag;

/* Connection */

typedef struct
{
  int fd;
  SSL *ssl;
  GString *in;
  gint64 next_id;
} Conn;

static void
conn_free (Conn *c)
{
  if (c == NULL)
    return;
  if (c->ssl != NULL)
    SSL_free (c->ssl);
  if (c->fd >= 0)
    close (c->fd);
  g_string_free (c->in, TRUE);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, conn_free)

static Conn *
conn_open (GError **error)
{
  g_autoptr (Conn) c = g_new0 (Conn, 1);
  struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
  struct addrinfo *res = NULL;
  g_autofree char *port = g_strdup_printf ("%d", opt_port);
  int one = 1;
  int rc;

  c->fd = -1;
  c->in = g_string_sized_new (16384);
  rc = getaddrinfo (opt_host, port, &hints, &res);
  if (rc != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot resolve %s: %s", opt_host,
                   gai_strerror (rc));
      return NULL;
    }
  c->fd = socket (res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c->fd < 0 || connect (c->fd, res->ai_addr, res->ai_addrlen) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot connect to %s:%d: %s", opt_host,
                   opt_port, g_strerror (errno));
      freeaddrinfo (res);
      return NULL;
    }
  freeaddrinfo (res);
  setsockopt (c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->ssl = SSL_new (ssl_ctx);
  SSL_set_fd (c->ssl, c->fd);
  SSL_set_tlsext_host_name (c->ssl, "localhost");
  if (g_hostname_is_ip_address (opt_host))
    X509_VERIFY_PARAM_set1_ip_asc (SSL_get0_param (c->ssl), opt_host);
  else
    SSL_set1_host (c->ssl, opt_host);
  if (SSL_connect (c->ssl) != 1)
    {
      char buf[256];
      ERR_error_string_n (ERR_get_error (), buf, sizeof buf);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "TLS handshake with %s:%d failed: %s",
                   opt_host, opt_port, buf);
      return NULL;
    }
  return g_steal_pointer (&c);
}

/* Sends one request and returns the reply line (without '\n'), skipping
 * event notifications. */
static char *
conn_call (Conn *c, const char *method, const char *params, GError **error)
{
  gint64 id = ++c->next_id;
  g_autofree char *line = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%" G_GINT64_FORMAT
                                           ",\"method\":\"%s\",\"params\":%s}\n",
                                           id, method, params);
  gsize len = strlen (line);
  char buf[16384];

  if (SSL_write (c->ssl, line, (int)len) != (int)len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "write failed");
      return NULL;
    }
  for (;;)
    {
      char *nl = memchr (c->in->str, '\n', c->in->len);
      if (nl != NULL)
        {
          gsize n = nl - c->in->str;
          char *reply = g_strndup (c->in->str, n);

          g_string_erase (c->in, 0, n + 1);
          /* notifications carry "method" where replies carry "id" */
          if (g_str_has_prefix (reply, "{\"jsonrpc\":\"2.0\",\"method\""))
            {
              g_free (reply);
              continue;
            }
          return reply;
        }
      int got = SSL_read (c->ssl, buf, sizeof buf);
      if (got <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "connection closed by the server");
          return NULL;
        }
      g_string_append_len (c->in, buf, got);
    }
}

/* The error code of a reply, 0 for a result. The server writes the
 * envelope as {"jsonrpc":"2.0","id":N,"result"|"error":{"code":C,...}:
 * looking at that prefix is enough, and much cheaper than parsing a
 * project's JSON on the measuring side of a 2-core machine. */
static int
reply_code (const char *reply)
{
  static const char result_tag[] = ",\"result\":";
  static const char error_tag[] = ",\"error\":{\"code\":";
  const char *p = strstr (reply, "\"id\":");

  /* Right after the id: a reply of kilobytes is not scanned to its end. */
  if (p != NULL)
    {
      p += strlen ("\"id\":");
      while (*p != '\0' && *p != ',')
        p++;
      if (strncmp (p, result_tag, strlen (result_tag)) == 0)
        return 0;
      if (strncmp (p, error_tag, strlen (error_tag)) == 0)
        return (int)strtol (p + strlen (error_tag), NULL, 10);
    }
  return -32603;
}

static JsonNode *
reply_result (const char *reply, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (!json_parser_load_from_data (parser, reply, -1, error))
    return NULL;
  o = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (o, "result"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "error reply: %.300s", reply);
      return NULL;
    }
  return json_node_copy (json_object_get_member (o, "result"));
}

static char *
json_quote (const char *s)
{
  g_autoptr (JsonNode) n = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (n, s);
  return json_to_string (n, FALSE);
}

/* Logs in; returns the session token. */
static char *
conn_login (Conn *c, const char *user, const char *password, GError **error)
{
  g_autofree char *u = json_quote (user);
  g_autofree char *pw = json_quote (password);
  g_autofree char *params = g_strdup_printf ("{\"username\":%s,\"password\":%s}", u, pw);
  g_autofree char *reply = conn_call (c, "auth.login", params, error);
  g_autoptr (JsonNode) result = NULL;

  if (reply == NULL)
    return NULL;
  result = reply_result (reply, error);
  if (result == NULL)
    {
      g_prefix_error (error, "login as %s: ", user);
      return NULL;
    }
  return g_strdup (json_object_get_string_member (json_node_get_object (result), "token"));
}

static gboolean
conn_resume (Conn *c, const char *token, GError **error)
{
  g_autofree char *t = json_quote (token);
  g_autofree char *params = g_strdup_printf ("{\"token\":%s}", t);
  g_autofree char *reply = conn_call (c, "auth.resume", params, error);

  if (reply == NULL)
    return FALSE;
  if (reply_code (reply) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "auth.resume: %.300s", reply);
      return FALSE;
    }
  return TRUE;
}

/* /proc */

typedef struct
{
  double rss_mib;
  double cpu_s;
} ProcStat;

static gboolean
proc_read (int pid, ProcStat *out)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  g_autofree char *stat = NULL;
  const char *p;
  unsigned long long utime = 0, stime = 0;

  if (pid <= 0 || !g_file_get_contents (path, &status, NULL, NULL))
    return FALSE;
  p = strstr (status, "VmRSS:");
  out->rss_mib = p != NULL ? g_ascii_strtod (p + 6, NULL) / 1024.0 : 0;
  g_free (path);
  path = g_strdup_printf ("/proc/%d/stat", pid);
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  /* fields 14 and 15 (utime, stime) follow the ')' that ends the name */
  p = strrchr (stat, ')');
  if (p == NULL
      || sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime)
             != 2)
    return FALSE;
  out->cpu_s = (double)(utime + stime) / (double)sysconf (_SC_CLK_TCK);
  return TRUE;
}

/* Samples */

typedef struct
{
  guint32 start_ms; /* since t_start_us */
  guint32 latency_us;
} Sample;

typedef struct
{
  int index;
  char *user;
  GArray *samples[N_METHODS];
  guint errors[N_METHODS];
  guint conflicts;
  GHashTable *error_codes; /* "method code" → count */
  GArray *ids;             /* projects it may read and update */
  GHashTable *versions;    /* id → version */
  GArray *plans;           /* draft plans it may submit: id, version pairs */
  char *failure;
} Client;

static int
pick_method (GRand *rand)
{
  for (int tries = 0; tries < 100; tries++)
    {
      int x = g_rand_int_range (rand, 0, weight_total);
      for (int m = 0; m < N_METHODS; m++)
        {
          if (x < weights[m])
            {
              if (!g_atomic_int_get (&method_missing[m]))
                return m;
              break;
            }
          x -= weights[m];
        }
    }
  return M_GET;
}

static gboolean
load_ids (Client *cl, Conn *c, GError **error)
{
  g_autofree char *reply = conn_call (c, "project.list", opt_list_params, error);
  g_autoptr (JsonNode) result = NULL;
  JsonArray *items;

  if (reply == NULL || (result = reply_result (reply, error)) == NULL)
    return FALSE;
  items = json_object_get_array_member (json_node_get_object (result), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *p = json_array_get_object_element (items, i);
      gint64 id = json_object_get_int_member (p, "id");
      gint64 version = json_object_get_int_member_with_default (p, "version", 1);
      const char *status = json_object_get_string_member_with_default (p, "status", "");

      g_array_append_val (cl->ids, id);
      if (g_str_equal (status, "draft"))
        g_hash_table_insert (cl->versions, g_memdup2 (&id, sizeof id),
                             GINT_TO_POINTER ((int)version));
    }
  if (cl->ids->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s sees no projects (load bench data)",
                   cl->user);
      return FALSE;
    }
  if (weights[M_SUBMIT] > 0)
    {
      g_autofree char *plans
          = conn_call (c, "plan.list", "{\"status\":\"draft\",\"limit\":100}", error);
      g_autoptr (JsonNode) presult = NULL;
      if (plans == NULL || (presult = reply_result (plans, error)) == NULL)
        return FALSE;
      items = json_object_get_array_member (json_node_get_object (presult), "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *p = json_array_get_object_element (items, i);
          gint64 pv[2] = { json_object_get_int_member (p, "id"),
                           json_object_get_int_member_with_default (p, "version", 1) };
          g_array_append_vals (cl->plans, pv, 2);
        }
    }
  return TRUE;
}

static char *
params_for (Client *cl, int m, GRand *rand, gint64 *id_out)
{
  gint64 id = g_array_index (cl->ids, gint64, g_rand_int_range (rand, 0, cl->ids->len));

  *id_out = id;
  switch (m)
    {
      case M_GET:
        return g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT "}", id);
      case M_LIST:
        return g_strdup_printf ("{\"limit\":20,\"cursor\":\"%" G_GINT64_FORMAT "\"}",
                                id > 20 ? id - 20 : 1);
      case M_UPDATE:
        {
          gpointer v = g_hash_table_lookup (cl->versions, &id);
          if (v == NULL)
            return NULL; /* not a draft: nothing to update */
          return g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT ",\"version\":%d,"
                                  "\"title\":\"Bench %s %u\"}",
                                  id, GPOINTER_TO_INT (v), cl->user, g_rand_int (rand));
        }
      case M_SUBMIT:
        {
          guint k;
          if (cl->plans->len == 0)
            return NULL; /* no draft plan left */
          k = 2 * (guint)g_rand_int_range (rand, 0, (gint32)(cl->plans->len / 2));
          *id_out = g_array_index (cl->plans, gint64, k);
          return g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT ",\"version\":%" G_GINT64_FORMAT "}",
                                  g_array_index (cl->plans, gint64, k),
                                  g_array_index (cl->plans, gint64, k + 1));
        }
      default:
        return g_strdup (opt_summary_params);
    }
}

/* The integer member @key of the reply's result object itself (not of a
 * nested object), or -1. A scan that skips strings and counts depth:
 * parsing each updated project's JSON (kilobytes) with json-glib cost the
 * measuring side a fifth of a millisecond per update, on the same two
 * cores as the server; pgbench parses nothing. */
static gint64
result_member_int (const char *reply, const char *key)
{
  const char *p = strstr (reply, ",\"result\":{");
  gsize key_len = strlen (key);
  int depth = 0;

  if (p == NULL)
    return -1;
  for (p += strlen (",\"result\":"); *p != '\0'; p++)
    {
      if (*p == '"')
        {
          const char *start = ++p;
          while (*p != '\0' && *p != '"')
            p += (*p == '\\' && p[1] != '\0') ? 2 : 1;
          if (*p == '\0')
            return -1;
          if (depth == 1 && (gsize)(p - start) == key_len && memcmp (start, key, key_len) == 0
              && p[1] == ':')
            return g_ascii_strtoll (p + 2, NULL, 10);
        }
      else if (*p == '{' || *p == '[')
        depth++;
      else if (*p == '}' || *p == ']')
        {
          if (--depth == 0)
            return -1;
        }
    }
  return -1;
}

static void
note_update (Client *cl, gint64 id, const char *reply, int code)
{
  gint64 version = code == 0 ? result_member_int (reply, "version") : -1;

  if (version > 0)
    g_hash_table_insert (cl->versions, g_memdup2 (&id, sizeof id), GINT_TO_POINTER ((int)version));
  else
    g_hash_table_remove (cl->versions, &id); /* someone else's change: leave it */
}

/* A plan is submitted once: refused (1022, its projects break the rules),
 * submitted, or changed by someone else, it is not tried again. */
static void
note_submit (Client *cl, gint64 id)
{
  for (guint k = 0; k + 1 < cl->plans->len; k += 2)
    if (g_array_index (cl->plans, gint64, k) == id)
      {
        g_array_remove_range (cl->plans, k, 2);
        return;
      }
}

static gpointer
client_thread (gpointer data)
{
  Client *cl = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (Conn) c = conn_open (&error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (cl->index * 7919 + 1);
  g_autofree char *token = NULL;
  gint64 deadline;

  if (c == NULL || (token = conn_login (c, cl->user, opt_password, &error)) == NULL
      || !load_ids (cl, c, &error))
    {
      cl->failure = g_strdup (error->message);
      return NULL;
    }
  while (!g_atomic_int_get (&started))
    g_usleep (1000);
  deadline = t_start_us + (gint64)(opt_duration * G_USEC_PER_SEC);
  /* --pace: the clients' first calls spread over one period, then one call
   * per period each, whatever the answers take (a user's autosave timer) */
  gint64 next = t_start_us
                + (opt_pace > 0 ? (gint64)(g_rand_double (rand) * opt_pace * G_USEC_PER_SEC) : 0);
  while (!g_atomic_int_get (&stop_flag))
    {
      if (opt_pace > 0)
        {
          gint64 now = g_get_monotonic_time ();
          if (next >= deadline)
            break;
          if (next > now)
            g_usleep ((gulong)(next - now));
          next += (gint64)(opt_pace * G_USEC_PER_SEC);
        }
      int m = pick_method (rand);
      gint64 id = 0;
      g_autofree char *params = params_for (cl, m, rand, &id);
      g_autofree char *reply = NULL;
      gint64 t0, t1;
      int code;

      if (params == NULL && m == M_SUBMIT)
        {
          m = M_UPDATE;
          params = params_for (cl, m, rand, &id);
        }
      if (params == NULL)
        {
          m = M_GET;
          params = params_for (cl, m, rand, &id);
        }
      t0 = g_get_monotonic_time ();
      if (t0 >= deadline)
        break;
      reply = conn_call (c, method_names[m], params, &error);
      t1 = g_get_monotonic_time ();
      if (reply == NULL)
        {
          cl->failure = g_strdup_printf ("%s: %s", method_names[m], error->message);
          break;
        }
      code = reply_code (reply);
      if (code == -32601 || (m == M_SUMMARY && code == -32602))
        {
          if (!g_atomic_int_get (&method_missing[m]))
            {
              g_atomic_int_set (&method_missing[m], 1);
              g_printerr ("note: %s answers %d: left out of the mix (%.200s)\n", method_names[m],
                          code, reply);
            }
          continue;
        }
      if (m == M_UPDATE)
        note_update (cl, id, reply, code);
      if (m == M_SUBMIT)
        note_submit (cl, id);
      /* plan.submit refused by the rules (1022) did all the checking a
       * submission does: its time counts */
      if (code == 0 || (m == M_UPDATE && code == 1009) || (m == M_SUBMIT && code == 1022))
        {
          Sample s = { (guint32)((t0 - t_start_us) / 1000), (guint32)(t1 - t0) };
          g_array_append_val (cl->samples[m], s);
          if (code == 1009)
            cl->conflicts++;
          if (code == 1022) /* listed with the errors by code, not counted as one */
            {
              g_autofree char *key
                  = g_strdup_printf ("%s %d (refused by the rules)", method_names[m], code);
              g_hash_table_insert (
                  cl->error_codes, g_strdup (key),
                  GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (cl->error_codes, key))
                                    + 1));
            }
        }
      else
        {
          g_autofree char *key = g_strdup_printf ("%s %d", method_names[m], code);
          cl->errors[m]++;
          g_hash_table_insert (
              cl->error_codes, g_strdup (key),
              GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (cl->error_codes, key)) + 1));
        }
    }
  return NULL;
}

/* Login burst */

typedef struct
{
  char *user;
  double latency_ms;
  char *failure;
} BurstLogin;

static gpointer
burst_login_thread (gpointer data)
{
  BurstLogin *b = data;
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (Conn) c = conn_open (&error);
  g_autofree char *token = NULL;

  if (c == NULL || (token = conn_login (c, b->user, opt_password, &error)) == NULL)
    b->failure = g_strdup (error->message);
  b->latency_ms = (g_get_monotonic_time () - t0) / 1000.0;
  return NULL;
}

/* Figures */

static int
cmp_u32 (gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  return x < y ? -1 : x > y;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted latencies, in ms. */
static double
pct (GArray *sorted, double p)
{
  guint n = sorted->len;
  guint k;

  if (n == 0)
    return 0;
  k = (guint)(p / 100.0 * n + 0.999999);
  k = CLAMP (k, 1, n);
  return g_array_index (sorted, guint32, k - 1) / 1000.0;
}

static GString *summary;

static void put (const char *key, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
put (const char *key, const char *fmt, ...)
{
  va_list ap;

  g_string_append_printf (summary, "%s=", key);
  va_start (ap, fmt);
  g_string_append_vprintf (summary, fmt, ap);
  va_end (ap);
  g_string_append_c (summary, '\n');
}

static gboolean
parse_mix (const char *mix, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (mix, ",", -1);

  for (int i = 0; parts[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (g_strstrip (parts[i]), "=", 2);
      int m;

      if (kv[0] == NULL || *kv[0] == '\0')
        continue;
      for (m = 0; m < N_METHODS; m++)
        if (g_str_equal (kv[0], method_names[m]))
          break;
      if (m == N_METHODS || kv[1] == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--mix: expected METHOD=WEIGHT with METHOD one of project.get, "
                       "project.list, project.update, report.summary, plan.submit; "
                       "got \"%s\"",
                       parts[i]);
          return FALSE;
        }
      weights[m] = atoi (kv[1]);
      if (weights[m] < 0)
        weights[m] = 0;
    }
  weight_total = 0;
  for (int m = 0; m < N_METHODS; m++)
    weight_total += weights[m];
  if (weight_total == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--mix: all weights are 0");
      return FALSE;
    }
  return TRUE;
}

static char *
user_name (int i)
{
  return g_strdup_printf ("%s-%02d", opt_user_prefix, i + 1);
}

/* --create-users: one province officer per province (the NN.TTKC
 * promotion centres of the current map), round robin. */
static int
create_users (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Conn) c = conn_open (&error);
  g_autofree char *token = NULL;
  g_autofree char *reply = NULL;
  g_autoptr (JsonNode) result = NULL;
  g_autoptr (GArray) orgs = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *items;
  int created = 0;

  if (c == NULL || (token = conn_login (c, opt_admin_user, opt_admin_password, &error)) == NULL
      || (reply = conn_call (c, "org.list", "{\"limit\":1000}", &error)) == NULL
      || (result = reply_result (reply, &error)) == NULL)
    {
      g_printerr ("kc-bench: %s\n", error->message);
      return 1;
    }
  items = json_object_get_array_member (json_node_get_object (result), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      const char *code = json_object_get_string_member_with_default (o, "code", "");

      if (g_str_has_suffix (code, ".TTKC") && json_object_has_member (o, "valid_to")
          && json_object_get_null_member (o, "valid_to"))
        {
          gint64 id = json_object_get_int_member (o, "id");
          g_array_append_val (orgs, id);
        }
    }
  if (orgs->len == 0)
    {
      g_printerr ("kc-bench: no NN.TTKC organisation in org.list\n");
      return 1;
    }
  for (int i = 0; i < opt_users; i++)
    {
      g_autofree char *name = user_name (i);
      g_autofree char *pw = json_quote (opt_password);
      g_autofree char *params = g_strdup_printf (
          "{\"username\":\"%s\",\"full_name\":\"Bench %d\",\"role\":\"province_officer\","
          "\"org_id\":%" G_GINT64_FORMAT ",\"password\":%s}",
          name, i + 1, g_array_index (orgs, gint64, i % orgs->len), pw);
      g_autofree char *r = conn_call (c, "user.create", params, &error);

      if (r == NULL)
        {
          g_printerr ("kc-bench: user.create: %s\n", error->message);
          return 1;
        }
      if (reply_code (r) == 0)
        created++;
      else if (strstr (r, "exists") == NULL && strstr (r, "unique") == NULL)
        {
          g_printerr ("kc-bench: user.create %s: %.300s\n", name, r);
          return 1;
        }
    }
  g_print ("kc-bench: %d accounts created (%d asked; the others existed)\n", created, opt_users);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— load kc-server and measure it");
  g_autoptr (GPtrArray) idle = g_ptr_array_new_with_free_func ((GDestroyNotify)conn_free);
  Client *clients;
  GThread **threads;
  BurstLogin *burst = NULL;
  ProcStat before = { 0 }, after = { 0 }, burst_before = { 0 }, burst_after = { 0 };
  ProcStat idle_before = { 0 };
  gboolean have_proc = FALSE;
  gint64 burst_start_ms = 0, burst_end_ms = 0;
  double elapsed, total_rps = 0;
  guint total = 0, total_errors = 0;
  int status = 0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("kc-bench: %s\n", error->message);
      return 2;
    }
  if (opt_password == NULL)
    opt_password = (char *)g_getenv ("KC_BENCH_PASSWORD");
  if (opt_admin_password == NULL)
    opt_admin_password = (char *)g_getenv ("KC_BENCH_ADMIN_PASSWORD");
  if (opt_ca == NULL || opt_password == NULL || opt_clients < 1 || opt_duration <= 0)
    {
      g_printerr ("kc-bench: --ca and --password (or KC_BENCH_PASSWORD) are required, "
                  "--clients and --duration positive\n");
      return 2;
    }
  if (opt_users <= 0)
    opt_users = opt_clients;
  if (!parse_mix (opt_mix, &error))
    {
      g_printerr ("kc-bench: %s\n", error->message);
      return 2;
    }

  /* --idle 1000 and the clients: more than the usual soft limit of 1024 */
  {
    struct rlimit limit;
    if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
      {
        limit.rlim_cur = limit.rlim_max;
        setrlimit (RLIMIT_NOFILE, &limit);
      }
  }

  ssl_ctx = SSL_CTX_new (TLS_client_method ());
  SSL_CTX_set_min_proto_version (ssl_ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify (ssl_ctx, SSL_VERIFY_PEER, NULL);
  if (SSL_CTX_load_verify_locations (ssl_ctx, opt_ca, NULL) != 1)
    {
      g_printerr ("kc-bench: cannot load CA %s\n", opt_ca);
      return 2;
    }

  if (opt_create_users)
    {
      if (opt_admin_user == NULL || opt_admin_password == NULL)
        {
          g_printerr ("kc-bench: --create-users needs --admin-user and --admin-password\n");
          return 2;
        }
      status = create_users ();
      SSL_CTX_free (ssl_ctx);
      return status;
    }

  summary = g_string_new ("");
  clients = g_new0 (Client, opt_clients);
  threads = g_new0 (GThread *, opt_clients);

  /* Idle connections first: one login per account, then auth.resume on
   * each connection (1,000 Argon2 hashes would measure logins, not
   * holding connections). */
  if (opt_idle > 0)
    {
      g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
      have_proc = proc_read (opt_server_pid, &idle_before);
      for (int i = 0; i < opt_idle; i++)
        {
          Conn *c = conn_open (&error);
          if (c == NULL)
            {
              g_printerr ("kc-bench: idle connection %d: %s\n", i + 1, error->message);
              return 1;
            }
          g_ptr_array_add (idle, c);
          if ((guint)i < (guint)opt_users)
            {
              g_autofree char *u = user_name (i);
              char *t = conn_login (c, u, opt_password, &error);
              if (t == NULL)
                {
                  g_printerr ("kc-bench: %s\n", error->message);
                  return 1;
                }
              g_ptr_array_add (tokens, t);
            }
          else if (!conn_resume (c, g_ptr_array_index (tokens, i % tokens->len), &error))
            {
              g_printerr ("kc-bench: idle connection %d: %s\n", i + 1, error->message);
              return 1;
            }
        }
      g_print ("kc-bench: %d idle logged-in connections open\n", opt_idle);
    }

  for (int i = 0; i < opt_clients; i++)
    {
      clients[i].index = i;
      clients[i].user = user_name (i % opt_users);
      for (int m = 0; m < N_METHODS; m++)
        clients[i].samples[m] = g_array_new (FALSE, FALSE, sizeof (Sample));
      clients[i].error_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      clients[i].ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      clients[i].versions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      clients[i].plans = g_array_new (FALSE, FALSE, sizeof (gint64));
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  /* let every client log in and fetch its projects before the clock runs */
  g_usleep (G_USEC_PER_SEC / 2);
  for (int tries = 0; tries < 600; tries++)
    {
      gboolean ready = TRUE;
      for (int i = 0; i < opt_clients; i++)
        if (clients[i].ids->len == 0 && clients[i].failure == NULL)
          ready = FALSE;
      if (ready)
        break;
      g_usleep (G_USEC_PER_SEC / 10);
    }
  have_proc = proc_read (opt_server_pid, &before) || have_proc;
  t_start_us = g_get_monotonic_time ();
  g_atomic_int_set (&started, 1);

  if (opt_burst > 0)
    {
      GThread **bt = g_new0 (GThread *, opt_burst);
      g_usleep ((gulong)(opt_duration * G_USEC_PER_SEC / 3));
      burst = g_new0 (BurstLogin, opt_burst);
      proc_read (opt_server_pid, &burst_before);
      burst_start_ms = (g_get_monotonic_time () - t_start_us) / 1000;
      for (int i = 0; i < opt_burst; i++)
        {
          burst[i].user = user_name (i % opt_users);
          bt[i] = g_thread_new ("login", burst_login_thread, &burst[i]);
        }
      for (int i = 0; i < opt_burst; i++)
        g_thread_join (bt[i]);
      burst_end_ms = (g_get_monotonic_time () - t_start_us) / 1000;
      proc_read (opt_server_pid, &burst_after);
      g_free (bt);
    }
  for (int i = 0; i < opt_clients; i++)
    g_thread_join (threads[i]);
  elapsed = (g_get_monotonic_time () - t_start_us) / (double)G_USEC_PER_SEC;
  proc_read (opt_server_pid, &after);

  /* Per method */
  g_print ("\nkc-bench: %d clients, %.1f s, %s:%d\n", opt_clients, elapsed, opt_host, opt_port);
  g_print ("%-16s %8s %9s %8s %8s %8s %7s\n", "method", "calls", "rps", "p50 ms", "p95 ms",
           "p99 ms", "errors");
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GArray) in_burst = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GArray) out_burst = g_array_new (FALSE, FALSE, sizeof (guint32));
  /* project.get alone: the mix's tail is its updates (they wait on each
   * other, not on the logins), so "did the logins stall the readers" is
   * read off the reads, in and outside the burst of the same run */
  g_autoptr (GArray) get_in = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GArray) get_out = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (int m = 0; m < N_METHODS; m++)
    {
      g_autoptr (GArray) lat = g_array_new (FALSE, FALSE, sizeof (guint32));
      guint errors = 0;
      for (int i = 0; i < opt_clients; i++)
        {
          GArray *s = clients[i].samples[m];
          for (guint k = 0; k < s->len; k++)
            {
              Sample *x = &g_array_index (s, Sample, k);
              g_array_append_val (lat, x->latency_us);
              g_array_append_val (all, x->latency_us);
              if (burst != NULL && x->start_ms >= burst_start_ms && x->start_ms <= burst_end_ms)
                {
                  g_array_append_val (in_burst, x->latency_us);
                  if (m == M_GET)
                    g_array_append_val (get_in, x->latency_us);
                }
              else
                {
                  g_array_append_val (out_burst, x->latency_us);
                  if (m == M_GET)
                    g_array_append_val (get_out, x->latency_us);
                }
            }
          errors += clients[i].errors[m];
        }
      total_errors += errors;
      if (weights[m] == 0)
        continue;
      if (method_missing[m])
        {
          g_print ("%-16s skipped: not on this server\n", method_names[m]);
          put ("skipped", "%s", method_names[m]);
          continue;
        }
      g_array_sort (lat, cmp_u32);
      g_print ("%-16s %8u %9.1f %8.2f %8.2f %8.2f %7u\n", method_names[m], lat->len,
               lat->len / elapsed, pct (lat, 50), pct (lat, 95), pct (lat, 99), errors);
      {
        g_autofree char *k = g_strdup_printf ("%s", method_names[m]);
        for (char *p = k; *p; p++)
          if (*p == '.')
            *p = '_';
        g_autofree char *k1 = g_strconcat (k, "_rps", NULL);
        g_autofree char *k2 = g_strconcat (k, "_p50_ms", NULL);
        g_autofree char *k3 = g_strconcat (k, "_p95_ms", NULL);
        g_autofree char *k4 = g_strconcat (k, "_p99_ms", NULL);
        g_autofree char *k5 = g_strconcat (k, "_errors", NULL);
        put (k1, "%.1f", lat->len / elapsed);
        put (k2, "%.3f", pct (lat, 50));
        put (k3, "%.3f", pct (lat, 95));
        put (k4, "%.3f", pct (lat, 99));
        put (k5, "%u", errors);
      }
      total += lat->len;
    }
  g_array_sort (all, cmp_u32);
  total_rps = total / elapsed;
  g_print ("%-16s %8u %9.1f %8.2f %8.2f %8.2f %7u\n", "total", total, total_rps, pct (all, 50),
           pct (all, 95), pct (all, 99), total_errors);
  put ("clients", "%d", opt_clients);
  put ("duration_s", "%.2f", elapsed);
  put ("total_rps", "%.1f", total_rps);
  put ("p50_ms", "%.3f", pct (all, 50));
  put ("p95_ms", "%.3f", pct (all, 95));
  put ("p99_ms", "%.3f", pct (all, 99));
  put ("errors", "%u", total_errors);
  {
    guint conflicts = 0;
    for (int i = 0; i < opt_clients; i++)
      {
        GHashTableIter it;
        gpointer k, v;
        conflicts += clients[i].conflicts;
        g_hash_table_iter_init (&it, clients[i].error_codes);
        while (g_hash_table_iter_next (&it, &k, &v))
          g_print ("  error %s: %u\n", (char *)k, GPOINTER_TO_UINT (v));
      }
    if (conflicts > 0)
      g_print ("  project.update version conflicts (1009, counted as answered): %u\n", conflicts);
  }

  if (burst != NULL)
    {
      g_autoptr (GArray) lat = g_array_new (FALSE, FALSE, sizeof (double));
      guint failed = 0;
      double window = (burst_end_ms - burst_start_ms) / 1000.0;
      double cpu = burst_after.cpu_s - burst_before.cpu_s;
      /* the load keeps running during the burst: take its CPU rate from
       * the rest of the run off, what remains is the logins' */
      double load_rate = (after.cpu_s - before.cpu_s - cpu) / MAX (elapsed - window, 0.001);
      double login_cpu_ms = (cpu - load_rate * window) * 1000.0 / opt_burst;

      for (int i = 0; i < opt_burst; i++)
        {
          if (burst[i].failure != NULL)
            {
              if (failed++ == 0)
                g_print ("  login failed: %s\n", burst[i].failure);
            }
          g_array_append_val (lat, burst[i].latency_ms);
        }
      g_array_sort (lat, cmp_double);
      g_array_sort (in_burst, cmp_u32);
      g_array_sort (out_burst, cmp_u32);
      g_array_sort (get_in, cmp_u32);
      g_array_sort (get_out, cmp_u32);
      g_print ("\nlogin burst: %d at once, %.2f s; login latency p50 %.1f ms, max %.1f ms; "
               "%u failed\n",
               opt_burst, window, g_array_index (lat, double, lat->len / 2),
               g_array_index (lat, double, lat->len - 1), failed);
      g_print ("  load during the burst: %u calls, p50 %.2f ms, p99 %.2f ms, max %.2f ms "
               "(outside: p50 %.2f ms, p99 %.2f ms)\n",
               in_burst->len, pct (in_burst, 50), pct (in_burst, 99), pct (in_burst, 100),
               pct (out_burst, 50), pct (out_burst, 99));
      if (get_in->len > 0 && get_out->len > 0)
        {
          g_print (
              "  project.get during the burst: %u calls, p50 %.2f ms, p99 %.2f ms, max %.2f ms "
              "(outside: %u calls, p50 %.2f ms, p99 %.2f ms, max %.2f ms)\n",
              get_in->len, pct (get_in, 50), pct (get_in, 99), pct (get_in, 100), get_out->len,
              pct (get_out, 50), pct (get_out, 99), pct (get_out, 100));
          put ("burst_get_p50_ms", "%.3f", pct (get_in, 50));
          put ("burst_get_p99_ms", "%.3f", pct (get_in, 99));
          put ("burst_get_max_ms", "%.3f", pct (get_in, 100));
          put ("outside_get_p50_ms", "%.3f", pct (get_out, 50));
          put ("outside_get_p99_ms", "%.3f", pct (get_out, 99));
          put ("outside_get_max_ms", "%.3f", pct (get_out, 100));
        }
      put ("burst_logins", "%d", opt_burst);
      put ("burst_failed", "%u", failed);
      put ("burst_window_s", "%.3f", window);
      put ("burst_login_p50_ms", "%.1f", g_array_index (lat, double, lat->len / 2));
      put ("burst_login_max_ms", "%.1f", g_array_index (lat, double, lat->len - 1));
      put ("burst_load_calls", "%u", in_burst->len);
      put ("burst_load_p99_ms", "%.3f", pct (in_burst, 99));
      put ("burst_load_max_ms", "%.3f", pct (in_burst, 100));
      put ("outside_burst_p99_ms", "%.3f", pct (out_burst, 99));
      put ("outside_burst_max_ms", "%.3f", pct (out_burst, 100));
      if (have_proc)
        {
          g_print ("  server CPU per login: %.1f ms (%.2f s CPU in the window, load alone "
                   "%.2f CPU-s/s)\n",
                   login_cpu_ms, cpu, load_rate);
          put ("login_cpu_ms", "%.2f", login_cpu_ms);
        }
      for (int i = 0; i < opt_burst; i++)
        {
          g_free (burst[i].user);
          g_free (burst[i].failure);
        }
      g_free (burst);
    }

  if (have_proc)
    {
      g_print ("\nserver (pid %d): RSS %.1f MiB before, %.1f MiB after; CPU %.2f s over the run "
               "(%.0f%% of one core)\n",
               opt_server_pid, before.rss_mib, after.rss_mib, after.cpu_s - before.cpu_s,
               (after.cpu_s - before.cpu_s) * 100.0 / elapsed);
      put ("rss_before_mib", "%.1f", before.rss_mib);
      put ("rss_after_mib", "%.1f", after.rss_mib);
      put ("server_cpu_s", "%.2f", after.cpu_s - before.cpu_s);
      if (opt_idle > 0)
        {
          g_print ("  %d idle connections: RSS %.1f MiB before opening them, %.1f MiB at the end\n",
                   opt_idle, idle_before.rss_mib, after.rss_mib);
          put ("idle", "%d", opt_idle);
          put ("rss_before_idle_mib", "%.1f", idle_before.rss_mib);
        }
    }

  for (int i = 0; i < opt_clients; i++)
    {
      if (clients[i].failure != NULL)
        {
          g_printerr ("kc-bench: client %d (%s): %s\n", i + 1, clients[i].user, clients[i].failure);
          status = 1;
        }
      for (int m = 0; m < N_METHODS; m++)
        g_array_free (clients[i].samples[m], TRUE);
      g_hash_table_destroy (clients[i].error_codes);
      g_hash_table_destroy (clients[i].versions);
      g_array_free (clients[i].ids, TRUE);
      g_array_free (clients[i].plans, TRUE);
      g_free (clients[i].user);
      g_free (clients[i].failure);
    }
  g_free (clients);
  g_free (threads);
  put ("status", "%d", status);
  if (opt_summary_file != NULL
      && !g_file_set_contents (opt_summary_file, summary->str, summary->len, &error))
    {
      g_printerr ("kc-bench: %s\n", error->message);
      status = 1;
    }
  g_string_free (summary, TRUE);
  g_ptr_array_set_size (idle, 0);
  SSL_CTX_free (ssl_ctx);
  return status;
}
