/*
 * srv-config.h — kc-server's configuration: a GKeyFile turned into a
 * validated struct with every default in one place (srv-config.c).
 * The keys are documented in docs/operations.md.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SRV_CONFIG_ERROR (srv_config_error_quark ())
GQuark srv_config_error_quark (void);

typedef struct
{
  /* [server] */
  char *listen;              /* address to bind, default "127.0.0.1" */
  guint port;                /* default 8474 */
  char *cert;                /* PEM certificate chain (required to serve) */
  char *key;                 /* PEM private key (required to serve) */
  gsize max_message_bytes;   /* longest request line once logged in, default 16 MiB */
  gsize max_anonymous_bytes; /* longest line before login, default 64 KiB */
  guint handshake_timeout;   /* seconds, default 10 */
  guint line_timeout;        /* seconds a started line may take, default 60 */
  guint login_timeout;       /* seconds a connection may stay anonymous, default 60 */
  guint max_connections;     /* default 4096 */
  guint shutdown_timeout;    /* seconds SIGTERM waits for requests in flight, default 30 */
  char *proxy_trusted;       /* balancers whose PROXY v2 header is read, "a;b"; default none */

  /* One address or account may not take the whole server (issue 13). */
  guint max_connections_per_address; /* default 512 */
  guint max_connections_per_user;    /* default 32 */

  /* [auth] */
  guint session_idle_timeout;     /* seconds, default 1800 */
  guint session_absolute_timeout; /* seconds, default 43200 */
  guint login_max_failures;       /* default 5 */
  guint login_failure_window;     /* seconds, default 900 */
  guint login_peer_max_failures;  /* failures from one address, any name, default 100 */
  guint login_throttle_delay;     /* seconds, first wait of a guessed account, default 60 */
  guint hash_concurrency;         /* password hashes at once, default 1 */
  guint argon2_memory_kib;        /* default 19456 (19 MiB) */
  guint argon2_iterations;        /* default 2 */
  char *common_passwords;         /* refused-password list, default the installed one */
  char *totp_key_file;            /* key that encrypts TOTP secrets; unset: no TOTP */
  char *totp_required_roles;      /* "ministry_approver;admin": must enrol; default none */

  /* [database] */
  char *conninfo;          /* libpq connection string */
  char *report_conninfo;   /* (nullable) where report.summary reads (srv-replica.h) */
  guint pool_size;         /* connections opened ahead, default the cores */
  guint write_pool_size;   /* more, for the calls run on workers; 0: none */
  guint connect_timeout;   /* seconds, default 5 */
  guint statement_timeout; /* milliseconds, default 30000 */

  /* [attachments] */
  gsize attachment_max_bytes; /* largest file, default 50 MiB */
} SrvConfig;

SrvConfig *srv_config_new_defaults (void);
void srv_config_free (SrvConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrvConfig, srv_config_free)

/* Loads @path over the defaults. Unknown groups or keys, bad numbers and
 * out-of-range values are errors, so a typo never silently falls back. */
SrvConfig *srv_config_load (const char *path, GError **error);

/* Checks what serving needs beyond what migrate needs (cert and key, the
 * TOTP key file when set or needed). */
gboolean srv_config_check_serving (const SrvConfig *config, GError **error);

/* Reads the TOTP key: SHA-256 of the key file's contents, which must be at
 * least 32 bytes. */
gboolean srv_config_read_totp_key (const SrvConfig *config, guint8 key[32], GError **error);

/* TRUE if common_passwords is "none": no refused-password list, on purpose. */
gboolean srv_config_common_passwords_off (const SrvConfig *config);

/* TRUE if @role is listed in totp_required_roles. */
gboolean srv_config_totp_required (const SrvConfig *config, const char *role);

G_END_DECLS
