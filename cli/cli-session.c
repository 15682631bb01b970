/*
 * cli-session.c — load, save and remove kc-cli's session file.
 */
#include "cli-session.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "kc-rpc.h"

#define SESSION_DIR_NAME "khuyen-cong"
#define SESSION_FILE_NAME "session.json"

void
cli_session_free (CliSession *session)
{
  if (session == NULL)
    return;

  g_free (session->server);
  g_free (session->ca);
  /* The token is a credential: do not leave it in freed heap memory. */
  if (session->token != NULL)
    explicit_bzero (session->token, strlen (session->token));
  g_free (session->token);
  g_free (session->username);
  g_free (session->expires_at);
  g_free (session);
}

/* The XDG base directory spec says to ignore a relative or empty
 * $XDG_STATE_HOME, which g_get_user_state_dir () does not do. */
static char *
state_dir (void)
{
  const char *env = g_getenv ("XDG_STATE_HOME");

  if (env != NULL && g_path_is_absolute (env))
    return g_strdup (env);
  return g_build_filename (g_get_home_dir (), ".local", "state", NULL);
}

char *
cli_session_path (void)
{
  g_autofree char *dir = state_dir ();

  return g_build_filename (dir, SESSION_DIR_NAME, SESSION_FILE_NAME, NULL);
}

/* A required non-empty string member, or NULL. */
static const char *
get_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  const char *value = json_node_get_string (node);
  return (value != NULL && *value != '\0') ? value : NULL;
}

CliSession *
cli_session_load (GError **error)
{
  g_autofree char *path = cli_session_path ();
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) local_error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_autoptr (JsonParser) parser = json_parser_new ();
  gboolean parsed = json_parser_load_from_data (parser, contents, length, &local_error);

  /* The file holds the token: wipe our copy of it as soon as it is parsed. */
  explicit_bzero (contents, length);
  if (!parsed)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "invalid session file \"%s\": %s", path,
                   local_error->message);
      return NULL;
    }

  JsonNode *root = json_parser_get_root (parser);
  JsonObject *object
      = (root != NULL && JSON_NODE_HOLDS_OBJECT (root)) ? json_node_get_object (root) : NULL;
  const char *server = object != NULL ? get_string (object, "server") : NULL;
  const char *token = object != NULL ? get_string (object, "token") : NULL;

  if (server == NULL || token == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "invalid session file \"%s\": \"server\" or \"token\" is missing", path);
      return NULL;
    }

  g_autoptr (CliSession) session = g_new0 (CliSession, 1);
  session->server = g_strdup (server);
  session->ca = g_strdup (get_string (object, "ca"));
  session->token = g_strdup (token);
  session->username = g_strdup (get_string (object, "username"));
  session->expires_at = g_strdup (get_string (object, "expires_at"));
  return g_steal_pointer (&session);
}

gboolean
cli_session_save (const CliSession *session, GError **error)
{
  g_autofree char *path = cli_session_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_return_val_if_fail (session != NULL && session->server != NULL && session->token != NULL,
                        FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "could not create directory \"%s\": %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, session->server);
  json_builder_set_member_name (builder, "ca");
  if (session->ca != NULL)
    json_builder_add_string_value (builder, session->ca);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, session->token);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, session->username != NULL ? session->username : "");
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, session->expires_at != NULL ? session->expires_at : "");
  json_builder_end_object (builder);

  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = kc_json_to_string (root, TRUE);
  gsize length = strlen (text);
  g_autofree char *data = g_strconcat (text, "\n", NULL);
  explicit_bzero (text, length);
  length += 1;

  /* CONSISTENT writes a temporary file created with the mode given here
   * (0600 from open (), so never world-readable), syncs it and renames it
   * over the old file: a crash leaves the old session or the new one. */
  g_autoptr (GError) local_error = NULL;
  gboolean ok = g_file_set_contents_full (path, data, (gssize)length,
                                          G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error);
  explicit_bzero (data, length);
  if (!ok)
    {
      /* GLib's message already names the file. */
      g_set_error (error, local_error->domain, local_error->code,
                   "could not write the session file: %s", local_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
cli_session_remove (GError **error)
{
  g_autofree char *path = cli_session_path ();

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "could not remove session file \"%s\": %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}
