/*
 * kc-cli.c — the command-line client of kc-server.
 *
 *   kc-cli [OPTION…] login USER      (password, then a two-factor code if
 *                                     asked, one line each on stdin)
 *   kc-cli [OPTION…] call METHOD [PARAMS]
 *   kc-cli [OPTION…] info
 *   kc-cli [OPTION…] logout
 *   kc-cli [OPTION…] import-projects PLAN_ID FILE
 *   kc-cli [OPTION…] import-template [FILE]
 *   kc-cli [OPTION…] report NAME [REPORT-OPTION…]
 *   kc-cli [OPTION…] inbox [--json] [--mark-seen]
 *
 * Exit status: 0 success; 1 the server answered with an error (or a local
 * failure such as an unwritable session file); 2 usage error; 3 the
 * connection or TLS failed.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "kc-config.h"
#include "kc-csv.h"
#include "kc-error.h"
#include "kc-json-text.h"
#include "kc-rpc.h"

#include "cli-conn.h"
#include "cli-session.h"

enum
{
  CLI_EXIT_OK = 0,
  CLI_EXIT_ERROR = 1,
  CLI_EXIT_USAGE = 2,
  CLI_EXIT_CONN = 3,
};

#define CLI_DEFAULT_TIMEOUT 60

typedef struct
{
  const char *server; /* (nullable): --server or $KC_SERVER */
  const char *ca;     /* (nullable): --ca or $KC_CA */
  guint timeout;
  gboolean verbose;
} CliSettings;

/* Where to connect and with which credentials, once options, environment
 * and the saved session have been weighed. */
typedef struct
{
  const char *server;
  const char *ca;      /* (nullable): system store */
  CliSession *session; /* (nullable): only when it belongs to @server */
} CliTarget;

static int
usage_error (const char *message)
{
  g_printerr ("kc-cli: %s\n", message);
  g_printerr ("Try \"kc-cli --help\" for more information.\n");
  return CLI_EXIT_USAGE;
}

/* Writes @node as JSON and a newline to @out, raw UTF-8 as it is:
 * g_print () would transliterate it in a non-UTF-8 locale, and scripts
 * read this output. */
static void
write_json (FILE *out, JsonNode *node, gboolean pretty)
{
  g_autoptr (GString) text = g_string_new (NULL);

  /* The tree's one writer (kc-json-text.h): two spaces per level, raw
   * UTF-8, doubles as the server writes them. */
  kc_json_write_node (text, node, pretty ? 0 : -1);
  g_string_append_c (text, '\n');
  fwrite (text->str, 1, text->len, out);
}

/* "error CODE: MESSAGE", then the data as compact JSON, on stderr. */
static void
print_rpc_error (KcResponse *response)
{
  fprintf (stderr, "error %d: %s\n", response->error_code,
           response->error_message != NULL ? response->error_message : "");
  if (response->error_data != NULL && !JSON_NODE_HOLDS_NULL (response->error_data))
    write_json (stderr, response->error_data, FALSE);
}

static int
conn_error_exit (const GError *error)
{
  g_printerr ("kc-cli: %s\n", error->message);
  return g_error_matches (error, CLI_CONN_ERROR, CLI_CONN_ERROR_ADDRESS) ? CLI_EXIT_USAGE
                                                                         : CLI_EXIT_CONN;
}

/* A session file that cannot be read is not fatal: the commands then run
 * without it, and the server says whether that is enough. */
static CliSession *
load_session (void)
{
  g_autoptr (GError) error = NULL;
  CliSession *session = cli_session_load (&error);

  if (error != NULL)
    g_printerr ("kc-cli: warning: %s; ignoring it\n", error->message);
  return session;
}

/*
 * --server/$KC_SERVER win over the saved session's server, --ca/$KC_CA over
 * its CA. The session (and so its token) is used only when it was issued
 * by the server we connect to: a token must never be sent anywhere else.
 */
static int
choose_target (const CliSettings *settings, CliSession *session, CliTarget *target)
{
  target->server
      = settings->server != NULL ? settings->server : (session != NULL ? session->server : NULL);
  if (target->server == NULL)
    return usage_error ("no server given: use --server HOST:PORT or set KC_SERVER");

  g_autoptr (GError) error = NULL;
  if (!cli_address_parse (target->server, NULL, NULL, &error))
    return usage_error (error->message);

  gboolean same = session != NULL && cli_address_equal (session->server, target->server);
  target->session = same ? session : NULL;
  target->ca = settings->ca != NULL ? settings->ca : (same ? session->ca : NULL);

  if (session != NULL && !same && settings->verbose)
    g_printerr ("kc-cli: the saved session belongs to %s, not %s; not using it\n", session->server,
                target->server);
  return CLI_EXIT_OK;
}

static int
open_conn (const CliSettings *settings, const CliTarget *target, CliConn **conn_out)
{
  g_autoptr (GError) error = NULL;

  *conn_out
      = cli_conn_open (target->server, target->ca, settings->timeout, settings->verbose, &error);
  return *conn_out != NULL ? CLI_EXIT_OK : conn_error_exit (error);
}

/* Calls @method; on a JSON-RPC error prints it and returns CLI_EXIT_ERROR,
 * leaving *@response_out set so callers can look at the code. */
static int
rpc (CliConn *conn, const char *method, JsonNode *params, KcResponse **response_out)
{
  g_autoptr (GError) error = NULL;

  *response_out = cli_conn_call (conn, method, params, &error);
  if (*response_out == NULL)
    return conn_error_exit (error);
  if ((*response_out)->error_code != 0)
    {
      print_rpc_error (*response_out);
      return CLI_EXIT_ERROR;
    }
  return CLI_EXIT_OK;
}

static JsonNode *
params_with_strings (const char *name1, const char *value1, const char *name2, const char *value2)
{
  g_autoptr (JsonObject) object = json_object_new ();

  json_object_set_string_member (object, name1, value1);
  if (name2 != NULL)
    json_object_set_string_member (object, name2, value2);

  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

static gboolean
session_is_dead (int code)
{
  return code == KC_ERROR_SESSION_EXPIRED || code == KC_ERROR_NOT_LOGGED_IN;
}

static int
resume_session (CliConn *conn, const CliSession *session, gboolean verbose,
                KcResponse **response_out)
{
  g_autoptr (JsonNode) params = params_with_strings ("token", session->token, NULL, NULL);
  int status = rpc (conn, "auth.resume", params, response_out);

  if (status == CLI_EXIT_OK && verbose)
    g_printerr ("kc-cli: resumed the session of %s\n",
                session->username != NULL ? session->username : "(unknown user)");
  return status;
}

/* Terminal state to restore if a signal arrives while echo is off. */
static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;

static void
restore_termios_and_die (int sig)
{
  if (termios_saved)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  /* SA_RESETHAND restored the default action: die of the same signal. */
  raise (sig);
}

/* Reads one line from stdin without its '\n' (transfer full), with echo
 * off when stdin is a terminal. NULL at end of input. */
static char *
read_password (const char *username, GError **error)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct sigaction action = { 0 }, old_int, old_term, old_hup;

  /* Unbuffered, so that no copy of the password lingers in stdio's buffer
   * and nothing past the first line is consumed from a pipe. */
  setvbuf (stdin, NULL, _IONBF, 0);

  if (tty)
    {
      struct termios quiet;

      if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "could not read the terminal settings: %s", g_strerror (saved_errno));
          return NULL;
        }
      termios_saved = 1;

      action.sa_handler = restore_termios_and_die;
      action.sa_flags = SA_RESETHAND;
      sigemptyset (&action.sa_mask);
      sigaction (SIGINT, &action, &old_int);
      sigaction (SIGTERM, &action, &old_term);
      sigaction (SIGHUP, &action, &old_hup);

      quiet = saved_termios;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      quiet.c_lflag |= ECHONL; /* still move to the next line on Enter */
      g_printerr ("Password for %s: ", username);
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  char *buffer = NULL;
  size_t capacity = 0;
  ssize_t length = getline (&buffer, &capacity, stdin);
  int saved_errno = errno;

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      termios_saved = 0;
      sigaction (SIGINT, &old_int, NULL);
      sigaction (SIGTERM, &old_term, NULL);
      sigaction (SIGHUP, &old_hup, NULL);
    }

  char *password = NULL;
  if (length < 0)
    {
      if (ferror (stdin))
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                     "could not read the password: %s", g_strerror (saved_errno));
      else
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                     "could not read the password: end of input");
    }
  else
    {
      if (length > 0 && buffer[length - 1] == '\n')
        length--;
      password = g_strndup (buffer, length);
    }

  if (buffer != NULL)
    explicit_bzero (buffer, capacity);
  free (buffer);
  return password;
}

static void
free_password (char *password)
{
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  g_free (password);
}

typedef char CliPassword;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliPassword, free_password)

static const char *
get_string_member (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* json_object_get_object_member () warns when the member is missing; the
 * server's answer is not ours to assert on. */
static JsonObject *
get_object_member (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return (node != NULL && JSON_NODE_HOLDS_OBJECT (node)) ? json_node_get_object (node) : NULL;
}

/* auth.login; when the account has two-factor login (1031), reads the code
 * (authenticator or recovery code) as the next line of standard input and
 * sends the login again with it. */
static int
rpc_login (CliConn *conn, const char *username, JsonNode *params, KcResponse **response_out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  size_t capacity = 0;
  ssize_t length;

  *response_out = cli_conn_call (conn, "auth.login", params, &error);
  if (*response_out == NULL)
    return conn_error_exit (error);
  if ((*response_out)->error_code != KC_ERROR_SECOND_FACTOR)
    {
      if ((*response_out)->error_code == 0)
        return CLI_EXIT_OK;
      print_rpc_error (*response_out);
      return CLI_EXIT_ERROR;
    }
  if (isatty (STDIN_FILENO))
    g_printerr ("Two-factor code for %s (or a recovery code): ", username);
  length = getline (&line, &capacity, stdin);
  if (length <= 1)
    {
      print_rpc_error (*response_out);
      return CLI_EXIT_ERROR;
    }
  line[strcspn (line, "\r\n")] = '\0';
  json_object_set_string_member (json_node_get_object (params), "otp", g_strstrip (line));
  g_clear_pointer (response_out, kc_response_free);
  return rpc (conn, "auth.login", params, response_out);
}

static int
cmd_login (const CliSettings *settings, const char *username)
{
  g_autoptr (CliSession) old_session = load_session ();
  g_autoptr (GError) error = NULL;
  CliTarget target = { 0 };
  int status;

  if (*username == '\0' || !g_utf8_validate (username, -1, NULL))
    return usage_error ("the user name must be non-empty UTF-8");

  status = choose_target (settings, old_session, &target);
  if (status != CLI_EXIT_OK)
    return status;

  g_autoptr (CliPassword) password = read_password (username, &error);
  if (password == NULL)
    {
      g_printerr ("kc-cli: %s\n", error->message);
      return CLI_EXIT_USAGE;
    }
  if (!g_utf8_validate (password, -1, NULL))
    return usage_error ("the password is not valid UTF-8");

  g_autoptr (CliConn) conn = NULL;
  status = open_conn (settings, &target, &conn);
  if (status != CLI_EXIT_OK)
    return status;

  g_autoptr (JsonNode) params = params_with_strings ("username", username, "password", password);
  g_autoptr (KcResponse) response = NULL;
  status = rpc_login (conn, username, params, &response);
  /* The JSON tree holds a copy of the password. */
  explicit_bzero ((char *)get_string_member (json_node_get_object (params), "password"),
                  strlen (password));
  if (status != CLI_EXIT_OK)
    return status;

  JsonObject *result = (response->result != NULL && JSON_NODE_HOLDS_OBJECT (response->result))
                           ? json_node_get_object (response->result)
                           : NULL;
  JsonObject *user = get_object_member (result, "user");
  const char *token = get_string_member (result, "token");
  const char *expires_at = get_string_member (result, "expires_at");
  const char *server_username = get_string_member (user, "username");
  const char *role = get_string_member (user, "role");

  if (token == NULL || *token == '\0' || expires_at == NULL)
    {
      g_printerr ("kc-cli: %s sent an auth.login result without \"token\" or \"expires_at\"\n",
                  target.server);
      return CLI_EXIT_CONN;
    }

  g_autoptr (CliSession) session = g_new0 (CliSession, 1);
  session->server = g_strdup (target.server);
  /* Absolute, so that later runs from another directory find it. */
  session->ca = target.ca != NULL ? g_canonicalize_filename (target.ca, NULL) : NULL;
  session->token = g_strdup (token);
  session->username = g_strdup (server_username != NULL ? server_username : username);
  session->expires_at = g_strdup (expires_at);

  if (!cli_session_save (session, &error))
    {
      g_printerr ("kc-cli: %s\n", error->message);
      return CLI_EXIT_ERROR;
    }

  g_printerr ("logged in as %s (%s) until %s\n", session->username,
              role != NULL ? role : "unknown role", expires_at);
  return CLI_EXIT_OK;
}

static gboolean
method_needs_no_session (const char *method)
{
  return g_str_equal (method, "server.info") || g_str_equal (method, "auth.login");
}

static int
cmd_call (const CliSettings *settings, const char *method, const char *params_text)
{
  g_autoptr (GError) error = NULL;

  if (*method == '\0' || !g_utf8_validate (method, -1, NULL))
    return usage_error ("the method name must be non-empty UTF-8");

  /* Check the params before connecting: a typo should not cost a round
   * trip, let alone a login. */
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, params_text, -1, &error))
    {
      g_autofree char *message = g_strdup_printf ("invalid params: %s", error->message);
      return usage_error (message);
    }
  JsonNode *params = json_parser_get_root (parser);
  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return usage_error ("invalid params: must be a JSON object, such as '{\"id\": 42}'");

  g_autoptr (CliSession) session = load_session ();
  CliTarget target = { 0 };
  int status = choose_target (settings, session, &target);
  if (status != CLI_EXIT_OK)
    return status;

  g_autoptr (CliConn) conn = NULL;
  status = open_conn (settings, &target, &conn);
  if (status != CLI_EXIT_OK)
    return status;

  if (target.session != NULL && !method_needs_no_session (method))
    {
      g_autoptr (KcResponse) resumed = NULL;

      status = resume_session (conn, target.session, settings->verbose, &resumed);
      if (status != CLI_EXIT_OK)
        {
          if (resumed != NULL && session_is_dead (resumed->error_code))
            g_printerr ("kc-cli: the saved session is no longer valid; log in again with "
                        "\"kc-cli login USER\"\n");
          return status;
        }
    }

  g_autoptr (KcResponse) response = NULL;
  status = rpc (conn, method, params, &response);
  if (status != CLI_EXIT_OK)
    {
      if (response != NULL && response->error_code == KC_ERROR_NOT_LOGGED_IN && session != NULL
          && target.session == NULL)
        g_printerr ("kc-cli: the saved session is for %s, not %s\n", session->server,
                    target.server);
      return status;
    }

  write_json (stdout, response->result, TRUE);
  return CLI_EXIT_OK;
}

static int
cmd_logout (const CliSettings *settings)
{
  g_autoptr (CliSession) session = load_session ();
  g_autoptr (GError) error = NULL;
  CliTarget target = { 0 };
  int status;

  if (session == NULL)
    {
      g_printerr ("kc-cli: not logged in\n");
      return CLI_EXIT_OK;
    }

  status = choose_target (settings, session, &target);
  if (status != CLI_EXIT_OK)
    return status;
  if (target.session == NULL)
    {
      g_autofree char *message = g_strdup_printf ("the saved session belongs to %s, not %s",
                                                  session->server, target.server);
      return usage_error (message);
    }

  g_autoptr (CliConn) conn = NULL;
  status = open_conn (settings, &target, &conn);
  if (status != CLI_EXIT_OK)
    return status;

  g_autoptr (KcResponse) resumed = NULL;
  status = resume_session (conn, session, settings->verbose, &resumed);
  if (status == CLI_EXIT_ERROR && resumed != NULL && session_is_dead (resumed->error_code))
    {
      /* Nothing left to revoke on the server: just forget the token. */
      if (!cli_session_remove (&error))
        {
          g_printerr ("kc-cli: %s\n", error->message);
          return CLI_EXIT_ERROR;
        }
      g_printerr ("the session had already ended; removed it\n");
      return CLI_EXIT_OK;
    }
  if (status != CLI_EXIT_OK)
    return status;

  /* Keep the file unless the server confirms: it is what lets a later
   * logout revoke the token. */
  g_autoptr (KcResponse) response = NULL;
  status = rpc (conn, "auth.logout", NULL, &response);
  if (status != CLI_EXIT_OK)
    return status;

  if (!cli_session_remove (&error))
    {
      g_printerr ("kc-cli: %s\n", error->message);
      return CLI_EXIT_ERROR;
    }
  g_printerr ("logged out\n");
  return CLI_EXIT_OK;
}

/* The CSV columns of project.import (docs/domain.md "Importing projects
 * from CSV"): the Vietnamese header the template writes, and an example. */
static const char *const import_template[][2] = {
  { "Tên đề án", "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất mây tre đan" },
  { "Loại đề án", "regular" },
  { "Nội dung khuyến công", "ND45.4.3" },
  { "Ngành nghề", "5.1.b" },
  { "Địa bàn ưu tiên", "a" },
  { "Ngày bắt đầu", "01/03/2026" },
  { "Ngày kết thúc", "30/11/2026" },
  { "Đơn vị thực hiện", "Trung tâm Khuyến công tỉnh" },
  { "Cơ sở thụ hưởng", "Hợp tác xã Mây tre đan Phú Lộc" },
  { "Loại hình cơ sở", "hợp tác xã" },
  { "Mã số thuế", "2600123456" },
  { "Kinh phí khuyến công quốc gia", "" },
  { "Kinh phí khuyến công địa phương", "300.000.000" },
  { "Vốn đối ứng", "700.000.000" },
  { "Nguồn khác", "0" },
  { "Mục tiêu", "Nâng cao năng suất, chất lượng sản phẩm; tạo việc làm cho 30 lao động" },
  { "Cam kết không trùng lặp", "x" },
};

static int
cmd_import_template (const char *path)
{
  g_autoptr (GString) out = g_string_new ("\xEF\xBB\xBF");
  g_autoptr (GError) error = NULL;

  for (guint row = 0; row < 2; row++)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (import_template); i++)
        {
          g_autofree char *text = kc_csv_neutralise (import_template[i][row]);
          g_autofree char *field = kc_csv_quote (text, ',');
          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append (out, field);
        }
      g_string_append (out, "\r\n");
    }
  if (path == NULL || g_str_equal (path, "-"))
    {
      fwrite (out->str, 1, out->len, stdout);
      return CLI_EXIT_OK;
    }
  if (!g_file_set_contents (path, out->str, (gssize)out->len, &error))
    {
      g_printerr ("kc-cli: %s\n", error->message);
      return CLI_EXIT_ERROR;
    }
  g_printerr ("wrote the template to %s\n", path);
  return CLI_EXIT_OK;
}

static int
cmd_import_projects (const CliSettings *settings, const char *plan_text, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = NULL;
  gsize len = 0;
  guint64 plan_id = 0;

  if (!g_ascii_string_to_unsigned (plan_text, 10, 1, G_MAXINT64, &plan_id, NULL))
    return usage_error ("PLAN_ID must be a plan's id (a positive integer)");
  if (!g_file_get_contents (path, &csv, &len, &error))
    {
      g_printerr ("kc-cli: %s\n", error->message);
      return CLI_EXIT_ERROR;
    }
  if (!g_utf8_validate_len (csv, len, NULL))
    {
      g_printerr ("kc-cli: %s is not UTF-8 text (save it as \"CSV UTF-8\")\n", path);
      return CLI_EXIT_ERROR;
    }

  g_autoptr (JsonObject) object = json_object_new ();
  json_object_set_int_member (object, "plan_id", (gint64)plan_id);
  json_object_set_string_member (object, "csv", csv);
  g_autoptr (JsonNode) params = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (params, object);

  g_autoptr (CliSession) session = load_session ();
  CliTarget target = { 0 };
  int status = choose_target (settings, session, &target);
  if (status != CLI_EXIT_OK)
    return status;
  g_autoptr (CliConn) conn = NULL;
  status = open_conn (settings, &target, &conn);
  if (status != CLI_EXIT_OK)
    return status;
  if (target.session != NULL)
    {
      g_autoptr (KcResponse) resumed = NULL;
      status = resume_session (conn, target.session, settings->verbose, &resumed);
      if (status != CLI_EXIT_OK)
        {
          if (resumed != NULL && session_is_dead (resumed->error_code))
            g_printerr ("kc-cli: the saved session is no longer valid; log in again with "
                        "\"kc-cli login USER\"\n");
          return status;
        }
    }

  g_autoptr (KcResponse) response = cli_conn_call (conn, "project.import", params, &error);
  if (response == NULL)
    return conn_error_exit (error);
  if (response->error_code == KC_ERROR_RULE && response->error_data != NULL
      && JSON_NODE_HOLDS_OBJECT (response->error_data)
      && json_object_has_member (json_node_get_object (response->error_data), "errors"))
    {
      JsonArray *errors
          = json_object_get_array_member (json_node_get_object (response->error_data), "errors");
      fprintf (stderr, "%s\n%-5s %-5s %-22s %s\n", response->error_message, "row", "line", "column",
               "message");
      for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
        {
          JsonObject *e = json_array_get_object_element (errors, i);
          const char *column
              = json_object_has_member (e, "column") && !json_object_get_null_member (e, "column")
                    ? json_object_get_string_member (e, "column")
                    : "-";
          fprintf (stderr, "%-5" G_GINT64_FORMAT " %-5" G_GINT64_FORMAT " %-22s %s\n",
                   json_object_get_int_member_with_default (e, "row", 0),
                   json_object_get_int_member_with_default (e, "line", 0), column,
                   json_object_get_string_member_with_default (e, "message", ""));
        }
      return CLI_EXIT_ERROR;
    }
  if (response->error_code != 0)
    {
      print_rpc_error (response);
      return CLI_EXIT_ERROR;
    }

  JsonObject *result = json_node_get_object (response->result);
  JsonArray *codes = json_object_get_array_member (result, "codes");
  for (guint i = 0; codes != NULL && i < json_array_get_length (codes); i++)
    printf ("%s\n", json_array_get_string_element (codes, i));
  g_printerr ("%" G_GINT64_FORMAT " project(s) imported\n",
              json_object_get_int_member_with_default (result, "created", 0));
  return CLI_EXIT_OK;
}

/* A --param value: JSON when it reads as JSON (5, true, ["a","b"],
 * {"x": 1}, "quoted"), else the text itself, so that
 * --param name=Hà Nội needs no quotes. Numbers must be strict JSON:
 * json-glib would read "01" as 1 and "0012" as octal 10, and codes such as
 * "01" are text. */
static JsonNode *
param_value (const char *text)
{
  static const char number[] = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$";
  gboolean json = text[0] == '[' || text[0] == '{' || text[0] == '"' || g_str_equal (text, "true")
                  || g_str_equal (text, "false") || g_str_equal (text, "null")
                  || g_regex_match_simple (number, text, 0, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (json && json_parser_load_from_data (parser, text, -1, NULL)
      && json_parser_get_root (parser) != NULL)
    return json_node_copy (json_parser_get_root (parser));
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, text);
  return node;
}

static int
set_param (JsonObject *params, const char *key, JsonNode *value)
{
  if (json_object_has_member (params, key))
    {
      g_autofree char *message = g_strdup_printf ("the parameter \"%s\" is given twice", key);
      json_node_unref (value);
      return usage_error (message);
    }
  json_object_set_member (params, key, value);
  return CLI_EXIT_OK;
}

/* The format from --format, else from the output file's extension. */
static int
report_format (const char *format, const char *output, const char **out)
{
  static const char *const formats[] = { "csv", "xlsx", "pdf" };

  if (format == NULL && output != NULL)
    {
      const char *dot = strrchr (output, '.');
      for (gsize i = 0; dot != NULL && i < G_N_ELEMENTS (formats); i++)
        if (g_ascii_strcasecmp (dot + 1, formats[i]) == 0)
          format = formats[i];
    }
  if (format == NULL)
    return usage_error ("no format given: use --format csv, xlsx or pdf");
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (format, formats[i]))
      {
        *out = formats[i];
        return CLI_EXIT_OK;
      }
  g_autofree char *message
      = g_strdup_printf ("unknown format \"%s\": use csv, xlsx or pdf", format);
  return usage_error (message);
}

/* The file name the server suggests, reduced to a plain name so that it
 * can never point outside the current directory. */
static char *
safe_filename (const char *suggested, const char *name, const char *format)
{
  g_autofree char *base = suggested != NULL ? g_path_get_basename (suggested) : NULL;

  if (base == NULL || *base == '.' || *base == '\0' || strchr (base, G_DIR_SEPARATOR) != NULL)
    return g_strdup_printf ("%s.%s", name, format);
  return g_steal_pointer (&base);
}

/*
 * kc-cli report NAME [--param KEY=VALUE]… [--from-year N] [--to-year N]
 *        [--group-by A,B] [--format csv|xlsx|pdf] [-o FILE]
 *
 * Calls report.export {report: NAME, params, format} and writes the
 * decoded file: to FILE ("-": standard output), else under the name the
 * server suggests in the current directory.
 */
static int
cmd_report (const CliSettings *settings, int argc, char **argv)
{
  g_auto (GStrv) opt_params = NULL;
  g_autofree char *opt_format = NULL;
  g_autofree char *opt_output = NULL;
  g_autofree char *opt_group_by = NULL;
  int opt_from_year = 0, opt_to_year = 0;
  GOptionEntry entries[] = {
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &opt_params,
      "A parameter of the report; VALUE is read as JSON when it is JSON, else as text",
      "KEY=VALUE" },
    { "from-year", 0, 0, G_OPTION_ARG_INT, &opt_from_year, "Same as --param from_year=N", "N" },
    { "to-year", 0, 0, G_OPTION_ARG_INT, &opt_to_year, "Same as --param to_year=N", "N" },
    { "group-by", 0, 0, G_OPTION_ARG_STRING, &opt_group_by,
      "Same as --param group_by='[\"A\",\"B\"]'", "A,B" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
      "csv, xlsx or pdf (default: the extension of FILE)", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
      "Where to write the file; - for standard output (default: the name the server "
      "suggests, in the current directory)",
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("NAME");
  g_autoptr (GError) error = NULL;
  int status;

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *message = g_strdup_printf ("report: %s", error->message);
      /* GLib capitalises its messages ("Unknown option"). */
      if (g_ascii_isupper (message[8]) && !g_ascii_isupper (message[9]))
        message[8] = g_ascii_tolower (message[8]);
      return usage_error (message);
    }
  if (argc != 2)
    return usage_error ("usage: kc-cli report NAME [--param KEY=VALUE]… --format csv|xlsx|pdf "
                        "[-o FILE]");
  const char *name = argv[1];
  if (*name == '\0' || !g_utf8_validate (name, -1, NULL) || strchr (name, '.') != NULL)
    return usage_error ("the report name must be a report such as \"summary\" (no \"report.\")");

  const char *format = NULL;
  status = report_format (opt_format, opt_output, &format);
  if (status != CLI_EXIT_OK)
    return status;

  g_autoptr (JsonObject) params = json_object_new ();
  for (guint i = 0; opt_params != NULL && opt_params[i] != NULL; i++)
    {
      const char *eq = strchr (opt_params[i], '=');
      if (eq == NULL || eq == opt_params[i])
        {
          g_autofree char *message
              = g_strdup_printf ("--param \"%s\" is not KEY=VALUE", opt_params[i]);
          return usage_error (message);
        }
      g_autofree char *key = g_strndup (opt_params[i], eq - opt_params[i]);
      status = set_param (params, key, param_value (eq + 1));
      if (status != CLI_EXIT_OK)
        return status;
    }
  if (opt_from_year != 0)
    {
      JsonNode *value = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (value, opt_from_year);
      if ((status = set_param (params, "from_year", value)) != CLI_EXIT_OK)
        return status;
    }
  if (opt_to_year != 0)
    {
      JsonNode *value = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (value, opt_to_year);
      if ((status = set_param (params, "to_year", value)) != CLI_EXIT_OK)
        return status;
    }
  if (opt_group_by != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (opt_group_by, ",", -1);
      g_autoptr (JsonArray) list = json_array_new ();
      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] == '\0')
            return usage_error ("--group-by takes names separated by commas, such as "
                                "province,source");
          json_array_add_string_element (list, parts[i]);
        }
      JsonNode *value = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (value, list);
      if ((status = set_param (params, "group_by", value)) != CLI_EXIT_OK)
        return status;
    }

  g_autoptr (JsonObject) object = json_object_new ();
  json_object_set_string_member (object, "report", name);
  json_object_set_object_member (object, "params", json_object_ref (params));
  json_object_set_string_member (object, "format", format);
  g_autoptr (JsonNode) call_params = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (call_params, object);

  g_autoptr (CliSession) session = load_session ();
  CliTarget target = { 0 };
  status = choose_target (settings, session, &target);
  if (status != CLI_EXIT_OK)
    return status;
  g_autoptr (CliConn) conn = NULL;
  status = open_conn (settings, &target, &conn);
  if (status != CLI_EXIT_OK)
    return status;
  if (target.session != NULL)
    {
      g_autoptr (KcResponse) resumed = NULL;
      status = resume_session (conn, target.session, settings->verbose, &resumed);
      if (status != CLI_EXIT_OK)
        {
          if (resumed != NULL && session_is_dead (resumed->error_code))
            g_printerr ("kc-cli: the saved session is no longer valid; log in again with "
                        "\"kc-cli login USER\"\n");
          return status;
        }
    }
  else
    g_printerr ("kc-cli: warning: not logged in to %s; reports need \"kc-cli login USER\" "
                "first\n",
                target.server);

  g_autoptr (KcResponse) response = NULL;
  status = rpc (conn, "report.export", call_params, &response);
  if (status != CLI_EXIT_OK)
    return status;

  JsonObject *result = (response->result != NULL && JSON_NODE_HOLDS_OBJECT (response->result))
                           ? json_node_get_object (response->result)
                           : NULL;
  const char *content = get_string_member (result, "content_base64");
  if (content == NULL)
    {
      g_printerr ("kc-cli: %s sent a report.export result without \"content_base64\"\n",
                  target.server);
      return CLI_EXIT_CONN;
    }
  gsize size = 0;
  g_autofree guchar *bytes = g_base64_decode (content, &size);
  JsonNode *size_node = json_object_get_member (result, "size");
  if (size_node != NULL && JSON_NODE_HOLDS_VALUE (size_node)
      && json_node_get_value_type (size_node) == G_TYPE_INT64
      && json_node_get_int (size_node) != (gint64)size)
    {
      g_printerr ("kc-cli: the file from %s is damaged: %" G_GSIZE_FORMAT
                  " bytes decoded, %" G_GINT64_FORMAT " announced\n",
                  target.server, size, json_node_get_int (size_node));
      return CLI_EXIT_CONN;
    }

  if (opt_output != NULL && g_str_equal (opt_output, "-"))
    {
      if (fwrite (bytes, 1, size, stdout) != size)
        {
          g_printerr ("kc-cli: could not write to standard output: %s\n", g_strerror (errno));
          return CLI_EXIT_ERROR;
        }
      return CLI_EXIT_OK;
    }
  g_autofree char *path
      = opt_output != NULL ? g_strdup (opt_output)
                           : safe_filename (get_string_member (result, "filename"), name, format);
  if (!g_file_set_contents (path, (const char *)bytes, (gssize)size, &error))
    {
      g_printerr ("kc-cli: %s\n", error->message);
      return CLI_EXIT_ERROR;
    }
  g_printerr ("wrote %s (%" G_GSIZE_FORMAT " bytes)\n", path, size);
  return CLI_EXIT_OK;
}

/* A string member, or @fallback when absent or null. */
static const char *
member_text (JsonObject *o, const char *name, const char *fallback)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

/*
 * kc-cli inbox [--json] [--mark-seen]: what awaits the logged-in user
 * (inbox.list), one line per item, late ones first:
 *   MARKS DUE         KIND                      TITLE — PROVINCE  [REF]
 * MARKS: ! late, * new since the last look, < sent back. --mark-seen then
 * records the look (inbox.mark_seen at the list's as_of), so that what
 * arrives meanwhile stays new. --json prints inbox.list's result as it is.
 */
static int
cmd_inbox (const CliSettings *settings, int argc, char **argv)
{
  gboolean opt_json = FALSE;
  gboolean opt_mark = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print inbox.list's result as JSON", NULL },
    { "mark-seen", 0, 0, G_OPTION_ARG_NONE, &opt_mark,
      "Record this look (inbox.mark_seen): these items are no longer new", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- what awaits me");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc > 1)
    return usage_error ("usage: kc-cli inbox [--json] [--mark-seen]");

  g_autoptr (CliSession) session = load_session ();
  CliTarget target = { 0 };
  int status = choose_target (settings, session, &target);
  if (status != CLI_EXIT_OK)
    return status;
  g_autoptr (CliConn) conn = NULL;
  status = open_conn (settings, &target, &conn);
  if (status != CLI_EXIT_OK)
    return status;
  if (target.session != NULL)
    {
      g_autoptr (KcResponse) resumed = NULL;
      status = resume_session (conn, target.session, settings->verbose, &resumed);
      if (status != CLI_EXIT_OK)
        {
          if (resumed != NULL && session_is_dead (resumed->error_code))
            g_printerr ("kc-cli: the saved session is no longer valid; log in again with "
                        "\"kc-cli login USER\"\n");
          return status;
        }
    }

  g_autoptr (JsonObject) object = json_object_new ();
  json_object_set_int_member (object, "limit", 1000);
  g_autoptr (JsonNode) params = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (params, object);
  g_autoptr (KcResponse) response = NULL;
  status = rpc (conn, "inbox.list", params, &response);
  if (status != CLI_EXIT_OK)
    return status;
  if (response->result == NULL || !JSON_NODE_HOLDS_OBJECT (response->result))
    {
      g_printerr ("kc-cli: the server's answer to inbox.list is not an object\n");
      return CLI_EXIT_ERROR;
    }
  JsonObject *result = json_node_get_object (response->result);

  if (opt_json)
    write_json (stdout, response->result, TRUE);
  else
    {
      JsonArray *items = json_object_has_member (result, "items")
                             ? json_object_get_array_member (result, "items")
                             : NULL;
      guint n = items != NULL ? json_array_get_length (items) : 0;
      gint64 late = 0, fresh = 0;

      for (guint i = 0; i < n; i++)
        {
          JsonObject *it = json_array_get_object_element (items, i);
          JsonObject *ref = it != NULL && json_object_has_member (it, "ref")
                                    && JSON_NODE_HOLDS_OBJECT (json_object_get_member (it, "ref"))
                                ? json_object_get_object_member (it, "ref")
                                : NULL;
          gboolean overdue = json_object_get_boolean_member_with_default (it, "overdue", FALSE);
          gboolean is_new = json_object_get_boolean_member_with_default (it, "new", FALSE);
          gboolean back = json_object_get_boolean_member_with_default (it, "sent_back", FALSE);
          const char *code = member_text (it, "code", NULL);
          const char *title = member_text (it, "title", NULL);
          g_autofree char *plan_name = NULL;
          g_autofree char *ref_text = NULL;

          late += overdue;
          fresh += is_new;
          if (ref != NULL && json_object_has_member (ref, "id")
              && !json_object_get_null_member (ref, "id"))
            ref_text = g_strdup_printf ("%s %" G_GINT64_FORMAT, member_text (ref, "type", "?"),
                                        json_object_get_int_member (ref, "id"));
          else
            ref_text = g_strdup (member_text (ref, "type", "-"));
          /* a plan without a title, named as kc-client names it (sql/0054) */
          if (title == NULL && g_strcmp0 (member_text (ref, "type", NULL), "plan") == 0)
            {
              JsonObject *detail
                  = json_object_has_member (it, "detail")
                            && JSON_NODE_HOLDS_OBJECT (json_object_get_member (it, "detail"))
                        ? json_object_get_object_member (it, "detail")
                        : NULL;
              const char *scope = member_text (detail, "scope", NULL);

              plan_name = g_strdup_printf (
                  "Kế hoạch %snăm %" G_GINT64_FORMAT,
                  g_strcmp0 (scope, "national") == 0 ? "KCQG "
                  : g_strcmp0 (scope, "local") == 0  ? "KCĐP "
                                                     : "",
                  detail != NULL ? json_object_get_int_member_with_default (detail, "year", 0) : 0);
              title = plan_name;
            }
          printf ("%c%c%c %-10s  %-24s  %s%s%s — %s  [%s]\n", overdue ? '!' : ' ',
                  is_new ? '*' : ' ', back ? '<' : ' ', member_text (it, "due_on", "-"),
                  member_text (it, "kind", "?"), code != NULL ? code : "", code != NULL ? " " : "",
                  title != NULL ? title : "", member_text (it, "org_name", "Bộ Công Thương"),
                  ref_text);
        }
      printf ("%" G_GINT64_FORMAT " item(s)%s, %" G_GINT64_FORMAT " late, %" G_GINT64_FORMAT
              " new since %s\n",
              json_object_get_int_member_with_default (result, "total", n),
              member_text (result, "next_cursor", NULL) != NULL ? " (first 1000 shown)" : "", late,
              fresh, member_text (result, "since", "-"));
    }

  if (opt_mark)
    {
      g_autoptr (KcResponse) marked = NULL;
      g_autoptr (JsonNode) mark_params
          = params_with_strings ("at", member_text (result, "as_of", ""), NULL, NULL);

      status = rpc (conn, "inbox.mark_seen", mark_params, &marked);
      if (status != CLI_EXIT_OK)
        return status;
    }
  return CLI_EXIT_OK;
}

/* An environment variable, treating empty as unset. */
static const char *
env_default (const char *name)
{
  const char *value = g_getenv (name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

int
main (int argc, char **argv)
{
  g_autofree char *opt_server = NULL;
  g_autofree char *opt_ca = NULL;
  int opt_timeout = CLI_DEFAULT_TIMEOUT;
  gboolean opt_verbose = FALSE;
  gboolean opt_version = FALSE;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &opt_server,
      "Server to connect to (default: $KC_SERVER, then the saved session's)", "HOST:PORT" },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca,
      "CA certificates to verify the server with (default: $KC_CA, then the saved session's, "
      "then the system's)",
      "FILE" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &opt_timeout,
      "Seconds to wait for the server before giving up (default 60; 0: forever)", "SECONDS" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
      "Show connection details and notifications on stderr", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Show the version and exit", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;

  setlocale (LC_ALL, "");
  g_set_prgname ("kc-cli");
  /* A server that hangs up must produce an error message, not a silent
   * death by SIGPIPE (OpenSSL writes with write (), not send ()). */
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new ("COMMAND [ARGUMENT…]");
  g_option_context_set_summary (context, "Command-line client of the Khuyến Công server.");
  g_option_context_set_description (
      context,
      "Commands:\n"
      "  login USER             Log in; the password is read from the terminal, or the first\n"
      "                         line of standard input when it is not a terminal\n"
      "  call METHOD [PARAMS]   Call METHOD with PARAMS, a JSON object (default {}), and print\n"
      "                         the result as JSON\n"
      "  info                   Show the server's name and version (server.info)\n"
      "  logout                 Log out and remove the saved session\n"
      "  import-projects PLAN_ID FILE\n"
      "                         Import the projects of a CSV file into a draft plan: all rows\n"
      "                         or none; prints the new codes, or every problem by row and column\n"
      "  import-template [FILE] Write a CSV template with the Vietnamese headers (default: "
      "stdout)\n"
      "  report NAME [--param KEY=VALUE]… [--format csv|xlsx|pdf] [-o FILE]\n"
      "                         Export a report (report.export) to FILE (- for stdout;\n"
      "                         default: the server's file name in the current directory).\n"
      "                         VALUE is JSON when it reads as JSON, else text. The format\n"
      "                         defaults to FILE's extension. For report summary:\n"
      "                         --from-year N, --to-year N, --group-by A,B (province,\n"
      "                         category, year, source, status), e.g.\n"
      "                         kc-cli report summary --from-year 2014 --to-year 2025 \\\n"
      "                           --group-by province,source --format xlsx -o tonghop.xlsx\n"
      "  inbox [--json] [--mark-seen]\n"
      "                         What awaits me (inbox.list), late first: ! late, * new since\n"
      "                         the last look, < sent back; --mark-seen records this look\n"
      "\n"
      "The session is saved in $XDG_STATE_HOME/khuyen-cong/session.json\n"
      "(default ~/.local/state/khuyen-cong/session.json).\n"
      "\n"
      "Exit status: 0 success, 1 the server answered with an error,\n"
      "2 usage error, 3 connection or TLS failure.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  /* report has options of its own (--format, -o…): leave them to
   * cmd_report rather than refusing them here. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "report") || g_str_equal (argv[i], "inbox"))
      g_option_context_set_ignore_unknown_options (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *message = g_strdup (error->message);
      /* GLib capitalises its messages ("Unknown option"). */
      if (g_ascii_isupper (message[0]) && !g_ascii_isupper (message[1]))
        message[0] = g_ascii_tolower (message[0]);
      return usage_error (message);
    }

  if (opt_version)
    {
      g_print ("kc-cli %s\n", KC_VERSION);
      return CLI_EXIT_OK;
    }

  if (opt_timeout < 0)
    return usage_error ("--timeout must be 0 or more seconds");

  CliSettings settings = {
    .server = opt_server != NULL ? opt_server : env_default ("KC_SERVER"),
    .ca = opt_ca != NULL ? opt_ca : env_default ("KC_CA"),
    .timeout = (guint)opt_timeout,
    .verbose = opt_verbose,
  };

  /* "--" ends the options (e.g. before a user name starting with '-');
   * GOption leaves it in argv, wherever it was. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        memmove (argv + i, argv + i + 1, (argc - i) * sizeof *argv); /* with the NULL */
        argc--;
        break;
      }
  if (argc < 2)
    return usage_error ("no command given");

  const char *command = argv[1];
  char **args = argv + 2;
  int n_args = argc - 2;
  int status;

  if (g_str_equal (command, "login"))
    status
        = n_args == 1 ? cmd_login (&settings, args[0]) : usage_error ("usage: kc-cli login USER");
  else if (g_str_equal (command, "call"))
    status = (n_args == 1 || n_args == 2)
                 ? cmd_call (&settings, args[0], n_args == 2 ? args[1] : "{}")
                 : usage_error ("usage: kc-cli call METHOD [PARAMS]");
  else if (g_str_equal (command, "info"))
    status = n_args == 0 ? cmd_call (&settings, "server.info", "{}")
                         : usage_error ("usage: kc-cli info");
  else if (g_str_equal (command, "logout"))
    status = n_args == 0 ? cmd_logout (&settings) : usage_error ("usage: kc-cli logout");
  else if (g_str_equal (command, "import-projects"))
    status = n_args == 2 ? cmd_import_projects (&settings, args[0], args[1])
                         : usage_error ("usage: kc-cli import-projects PLAN_ID FILE");
  else if (g_str_equal (command, "report"))
    status = cmd_report (&settings, n_args + 1, argv + 1);
  else if (g_str_equal (command, "inbox"))
    status = cmd_inbox (&settings, n_args + 1, argv + 1);
  else if (g_str_equal (command, "import-template"))
    status = n_args <= 1 ? cmd_import_template (n_args == 1 ? args[0] : NULL)
                         : usage_error ("usage: kc-cli import-template [FILE]");
  else
    {
      g_autofree char *message = g_strdup_printf ("unknown command \"%s\"", command);
      status = usage_error (message);
    }

  /* Output going to a closed pipe or a full disk is a failure too. */
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      g_printerr ("kc-cli: could not write to standard output: %s\n", g_strerror (errno));
      if (status == CLI_EXIT_OK)
        status = CLI_EXIT_ERROR;
    }

  return status;
}
