/*
 * cli-session.h — the session kc-cli keeps between runs:
 * $XDG_STATE_HOME/khuyen-cong/session.json (default ~/.local/state/...).
 *
 * The file holds a bearer token, so it is created mode 0600 in a 0700
 * directory and replaced atomically; it is never readable by others, not
 * even for a moment while it is written.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *server;     /* HOST:PORT as the user gave it at login */
  char *ca;         /* (nullable): absolute path of the CA file; NULL: system store */
  char *token;      /* opaque bearer token from auth.login */
  char *username;   /* as the server spelled it */
  char *expires_at; /* RFC 3339, as the server sent it */
} CliSession;

void cli_session_free (CliSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliSession, cli_session_free)

/* The session file's path (transfer full). */
char *cli_session_path (void);

/*
 * Loads the session file. Returns NULL without setting @error when there is
 * no session file; NULL with @error when it cannot be read or is invalid.
 */
CliSession *cli_session_load (GError **error);

/* Writes the session file (mode 0600, atomically), creating its directory. */
gboolean cli_session_save (const CliSession *session, GError **error);

/* Removes the session file; no error when it does not exist. */
gboolean cli_session_remove (GError **error);

G_END_DECLS
