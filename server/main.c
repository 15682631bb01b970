/*
 * main.c — kc-server's command line:
 *
 *   kc-server --config FILE                       serve (foreground, logs to stderr)
 *   kc-server --config FILE migrate               apply sql/ migrations
 *   kc-server --config FILE create-admin USERNAME password from stdin
 *   kc-server --config FILE verify-audit          check the audit hash chain
 *   kc-server --methods                           print the access table and exit
 *
 * Exit status: 0 success, 1 failure, 2 bad usage or configuration.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kc-version.h"
#include "srv-db.h"
#include "srv-handlers.h"
#include "srv-log.h"
#include "srv-migrate.h"
#include "srv-password.h"
#include "srv-server.h"

static char *opt_config;
static gboolean opt_version;
static gboolean opt_verbose;
static gboolean opt_methods;

static const GOptionEntry entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, "Configuration file", "FILE" },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Log debug messages too", NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL },
  { "methods", 0, 0, G_OPTION_ARG_NONE, &opt_methods,
    "Print every method with the roles that may call it and exit", NULL },
  { NULL },
};

static int
usage_error (const char *message)
{
  fprintf (stderr, "kc-server: %s (see kc-server --help)\n", message);
  return 2;
}

static void
print_line (const char *line)
{
  printf ("%s\n", line);
  fflush (stdout);
}

/* Each client is a socket: the usual soft limit of 1024 descriptors would
 * cap us near 1,000 connections, so take what the hard limit allows. */
static void
raise_file_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static int
run_migrate (SrvConfig *config)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvDbConn) conn = srv_db_conn_open (config, &error);

  if (conn == NULL || !srv_migrate_run (conn, print_line, &error))
    {
      fprintf (stderr, "kc-server: %s\n", error->message);
      return 1;
    }
  return 0;
}

/* The first line of standard input, without its newline. */
static char *
read_password (void)
{
  g_autoptr (GString) line = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    {
      g_string_append_c (line, (char)c);
      if (line->len > 4096)
        return NULL;
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static int
run_create_admin (SrvConfig *config, const char *username)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvDbConn) conn = NULL;
  g_autoptr (SrvRows) exists = NULL;
  g_autoptr (SrvRows) org = NULL;
  g_autoptr (SrvRows) created = NULL;
  g_autofree char *password = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *lower = g_ascii_strdown (username, -1);
  SrvPassword *pw;

  if (isatty (STDIN_FILENO))
    fprintf (stderr, "password for %s (12 to 128 characters): ", lower);
  password = read_password ();
  if (password == NULL || *password == '\0')
    {
      fprintf (stderr, "kc-server: no password on standard input\n");
      return 1;
    }
  pw = srv_password_new (config);
  policy = srv_password_check_policy (pw, password, lower);
  if (policy == NULL)
    hash = srv_password_hash (pw, password);
  srv_password_free (pw);
  if (policy != NULL)
    {
      fprintf (stderr, "kc-server: %s\n", policy);
      return 1;
    }

  conn = srv_db_conn_open (config, &error);
  if (conn == NULL || !srv_migrate_check (conn, &error))
    goto fail;
  {
    const char *params[] = { lower };
    exists = srv_db_exec (conn, SRV_Q_USER_EXISTS, params, &error);
  }
  if (exists == NULL)
    goto fail;
  if (exists->n_rows > 0)
    {
      fprintf (stderr, "kc-server: user \"%s\" already exists\n", lower);
      return 1;
    }
  org = srv_db_exec (conn, SRV_Q_ORG_DEFAULT_ADMIN, NULL, &error);
  if (org == NULL)
    goto fail;
  if (org->n_rows == 0)
    {
      fprintf (stderr, "kc-server: the Ministry organisation is missing; run migrate first\n");
      return 1;
    }
  {
    const char *params[] = {
      lower, "Quản trị hệ thống",      "admin", srv_rows_get (org, 0, 0), hash, "false", NULL, NULL,
      NULL,  "kc-server create-admin", "local"
    };
    created = srv_db_exec (conn, SRV_Q_USER_CREATE, params, &error);
  }
  if (created == NULL)
    goto fail;
  printf ("created administrator \"%s\"\n", lower);
  return 0;

fail:
  fprintf (stderr, "kc-server: %s\n", error->message);
  return 1;
}

static int
run_verify_audit (SrvConfig *config)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvDbConn) conn = srv_db_conn_open (config, &error);
  g_autoptr (SrvRows) rows = NULL;

  if (conn == NULL)
    goto fail;
  /* rows of writes that have committed but are not chained yet: chain them
   * now, so that they are checked too */
  rows = srv_db_exec (conn, SRV_Q_AUDIT_SEAL, NULL, &error);
  if (rows == NULL)
    goto fail;
  g_clear_pointer (&rows, srv_rows_free);
  rows = srv_db_exec (conn, SRV_Q_AUDIT_VERIFY, NULL, &error);
  if (rows == NULL)
    goto fail;
  if (rows->n_rows > 0 && srv_rows_get (rows, 0, 0) != NULL)
    {
      printf ("audit log BROKEN at entry %s: %s\n", srv_rows_get (rows, 0, 0),
              srv_rows_get (rows, 0, 1) != NULL ? srv_rows_get (rows, 0, 1) : "mismatch");
      return 1;
    }
  printf ("audit log intact: %s entries, every hash link verified\n",
          rows->n_rows > 0 && srv_rows_get (rows, 0, 2) != NULL ? srv_rows_get (rows, 0, 2) : "0");
  return 0;

fail:
  fprintf (stderr, "kc-server: %s\n", error->message);
  return 1;
}

static int
run_server (SrvConfig *config, const char *config_path)
{
  g_autoptr (GError) error = NULL;
  SrvServer *server;
  int status;

  {
    g_autoptr (SrvDbConn) conn = srv_db_conn_open (config, &error);
    if (conn != NULL && !srv_migrate_check (conn, &error))
      {
        srv_log_error ("%s", error->message);
        return 1;
      }
    if (conn == NULL)
      srv_log_warning ("%s; starting anyway, calls will answer 1050 until it is back",
                       error->message);
    g_clear_error (&error);
  }

  server = srv_server_new (config, config_path, &error);
  if (server == NULL)
    {
      srv_log_error ("%s", error->message);
      return 1;
    }
  status = srv_server_run (server);
  srv_server_free (server);
  return status;
}

/* One line of --methods: the whole access policy (gate aside, which is
 * srv-dispatch.c's) as a reviewer reads it. */
static void
print_method (const SrvMethod *method, gpointer user_data)
{
  g_autoptr (GString) line = g_string_new (method->name);

  g_string_append_c (line, '\t');
  if (method->flags & SRV_METHOD_ANONYMOUS)
    g_string_append (line, "anyone");
  else
    for (guint bit = 1, n = 0; bit <= SRV_ROLES_ALL; bit <<= 1)
      if (method->roles & bit)
        g_string_append_printf (line, "%s%s", n++ > 0 ? "," : "", srv_role_name (bit));
  printf ("%s\n", line->str);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context
      = g_option_context_new ("[migrate | create-admin USERNAME | verify-audit]");
  g_autoptr (GError) error = NULL;
  g_autoptr (SrvConfig) config = NULL;
  int status;

  setlocale (LC_ALL, "");
  /* A peer that vanishes mid-write must not kill the daemon. */
  signal (SIGPIPE, SIG_IGN);
  raise_file_limit ();

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (
      context, "Khuyến Công server: JSON-RPC over TLS on PostgreSQL.\n\n"
               "Without a command, serves in the foreground (logs to stderr).\n"
               "Commands:\n"
               "  migrate                 apply database migrations\n"
               "  create-admin USERNAME   create an administrator (password on stdin)\n"
               "  verify-audit            check the audit log's hash chain");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (opt_version)
    {
      printf ("kc-server %s (protocol %d)\n", KC_VERSION, KC_PROTOCOL_VERSION);
      return 0;
    }
  if (opt_methods)
    {
      srv_dispatch_foreach (print_method, NULL);
      return 0;
    }
  if (opt_config == NULL)
    return usage_error ("--config FILE is required");
  if (opt_verbose)
    srv_log_set_level (SRV_LOG_DEBUG);

  config = srv_config_load (opt_config, &error);
  if (config == NULL)
    {
      fprintf (stderr, "kc-server: %s\n", error->message);
      return 2;
    }

  if (argc == 1)
    status = run_server (config, opt_config);
  else if (g_str_equal (argv[1], "migrate") && argc == 2)
    status = run_migrate (config);
  else if (g_str_equal (argv[1], "create-admin") && argc == 3)
    status = run_create_admin (config, argv[2]);
  else if (g_str_equal (argv[1], "verify-audit") && argc == 2)
    status = run_verify_audit (config);
  else
    status = usage_error ("unknown command or wrong number of arguments");

  g_free (opt_config);
  return status;
}
