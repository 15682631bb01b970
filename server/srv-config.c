/*
 * srv-config.c — GKeyFile → SrvConfig, all defaults here.
 */
#include "srv-config.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string.h>

#include "kc-config.h"

GQuark
srv_config_error_quark (void)
{
  return g_quark_from_static_string ("srv-config-error-quark");
}

typedef enum
{
  KEY_STRING,
  KEY_UINT,
  KEY_SIZE,
} KeyType;

typedef struct
{
  const char *group;
  const char *key;
  KeyType type;
  gsize offset;
  guint64 min;
  guint64 max;
} KeySpec;

#define OFF(field) G_STRUCT_OFFSET (SrvConfig, field)

static const KeySpec key_specs[] = {
  { "server", "listen", KEY_STRING, OFF (listen), 0, 0 },
  { "server", "port", KEY_UINT, OFF (port), 1, 65535 },
  { "server", "cert", KEY_STRING, OFF (cert), 0, 0 },
  { "server", "key", KEY_STRING, OFF (key), 0, 0 },
  { "server", "max_message_bytes", KEY_SIZE, OFF (max_message_bytes), 1024,
    G_GUINT64_CONSTANT (1) << 30 },
  { "server", "max_anonymous_bytes", KEY_SIZE, OFF (max_anonymous_bytes), 1024, 16 << 20 },
  { "server", "handshake_timeout", KEY_UINT, OFF (handshake_timeout), 1, 3600 },
  { "server", "line_timeout", KEY_UINT, OFF (line_timeout), 1, 3600 },
  { "server", "login_timeout", KEY_UINT, OFF (login_timeout), 1, 3600 },
  { "server", "max_connections", KEY_UINT, OFF (max_connections), 1, 1000000 },
  { "server", "max_connections_per_address", KEY_UINT, OFF (max_connections_per_address), 1,
    1000000 },
  { "server", "max_connections_per_user", KEY_UINT, OFF (max_connections_per_user), 1, 1000000 },
  { "server", "shutdown_timeout", KEY_UINT, OFF (shutdown_timeout), 0, 3600 },
  { "server", "proxy_trusted", KEY_STRING, OFF (proxy_trusted), 0, 0 },
  { "auth", "session_idle_timeout", KEY_UINT, OFF (session_idle_timeout), 1, 86400 * 30 },
  { "auth", "session_absolute_timeout", KEY_UINT, OFF (session_absolute_timeout), 1, 86400 * 365 },
  { "auth", "login_max_failures", KEY_UINT, OFF (login_max_failures), 1, 1000 },
  { "auth", "login_failure_window", KEY_UINT, OFF (login_failure_window), 1, 86400 },
  { "auth", "login_peer_max_failures", KEY_UINT, OFF (login_peer_max_failures), 1, 1000000 },
  { "auth", "login_throttle_delay", KEY_UINT, OFF (login_throttle_delay), 1, 86400 },
  { "auth", "hash_concurrency", KEY_UINT, OFF (hash_concurrency), 1, 64 },
  { "auth", "argon2_memory_kib", KEY_UINT, OFF (argon2_memory_kib), 8, 4 << 20 },
  { "auth", "argon2_iterations", KEY_UINT, OFF (argon2_iterations), 1, 100 },
  { "auth", "common_passwords", KEY_STRING, OFF (common_passwords), 0, 0 },
  { "auth", "totp_key_file", KEY_STRING, OFF (totp_key_file), 0, 0 },
  { "auth", "totp_required_roles", KEY_STRING, OFF (totp_required_roles), 0, 0 },
  { "database", "conninfo", KEY_STRING, OFF (conninfo), 0, 0 },
  { "database", "report_conninfo", KEY_STRING, OFF (report_conninfo), 0, 0 },
  { "database", "pool_size", KEY_UINT, OFF (pool_size), 1, 256 },
  { "database", "write_pool_size", KEY_UINT, OFF (write_pool_size), 0, 256 },
  { "database", "connect_timeout", KEY_UINT, OFF (connect_timeout), 1, 600 },
  { "database", "statement_timeout", KEY_UINT, OFF (statement_timeout), 0, 3600000 },
  { "attachments", "max_bytes", KEY_SIZE, OFF (attachment_max_bytes), 1,
    G_GUINT64_CONSTANT (512) << 20 },
};

/* Helpers */

static const KeySpec *
find_spec (const char *group, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (key_specs); i++)
    if (g_str_equal (key_specs[i].group, group) && g_str_equal (key_specs[i].key, key))
      return &key_specs[i];
  return NULL;
}

static gboolean
parse_number (const char *text, const KeySpec *spec, guint64 *out, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  guint64 value = 0;
  guint64 multiplier = 1;
  gsize n = strlen (stripped);

  /* Sizes may carry a binary suffix: 16M is friendlier than 16777216. */
  if (spec->type == KEY_SIZE && n > 0)
    {
      char last = g_ascii_toupper (stripped[n - 1]);
      if (last == 'K' || last == 'M' || last == 'G')
        {
          multiplier = last == 'K' ? 1024 : last == 'M' ? 1024 * 1024 : 1024 * 1024 * 1024;
          stripped[n - 1] = '\0';
        }
    }

  if (!g_ascii_string_to_unsigned (stripped, 10, 0, G_MAXUINT32, &value, NULL)
      || value * multiplier < spec->min || value * multiplier > spec->max)
    {
      g_set_error (error, SRV_CONFIG_ERROR, 0,
                   "invalid value \"%s\" for %s.%s: expected a number from %" G_GUINT64_FORMAT
                   " to %" G_GUINT64_FORMAT,
                   text, spec->group, spec->key, spec->min, spec->max);
      return FALSE;
    }
  *out = value * multiplier;
  return TRUE;
}

static gboolean
apply_key (SrvConfig *config, GKeyFile *keyfile, const char *group, const char *key, GError **error)
{
  const KeySpec *spec = find_spec (group, key);
  g_autofree char *text = NULL;
  guint64 number = 0;
  char *base = (char *)config;

  if (spec == NULL)
    {
      g_set_error (error, SRV_CONFIG_ERROR, 0, "unknown configuration key %s.%s", group, key);
      return FALSE;
    }
  text = g_key_file_get_string (keyfile, group, key, error);
  if (text == NULL)
    return FALSE;

  switch (spec->type)
    {
      case KEY_STRING:
        {
          char **slot = (char **)(base + spec->offset);
          g_free (*slot);
          *slot = g_strstrip (g_steal_pointer (&text));
          return TRUE;
        }
      case KEY_UINT:
        if (!parse_number (text, spec, &number, error))
          return FALSE;
        *(guint *)(base + spec->offset) = (guint)number;
        return TRUE;
      case KEY_SIZE:
        if (!parse_number (text, spec, &number, error))
          return FALSE;
        *(gsize *)(base + spec->offset) = (gsize)number;
        return TRUE;
      default:
        g_assert_not_reached ();
    }
}

/* Public API */

SrvConfig *
srv_config_new_defaults (void)
{
  SrvConfig *config = g_new0 (SrvConfig, 1);

  config->listen = g_strdup ("127.0.0.1");
  config->port = 8474;
  config->max_message_bytes = 16 * 1024 * 1024;
  config->max_anonymous_bytes = 64 * 1024;
  config->handshake_timeout = 10;
  config->line_timeout = 60;
  config->login_timeout = 60;
  config->max_connections = 4096;
  config->max_connections_per_address = 512;
  config->max_connections_per_user = 32;
  config->shutdown_timeout = 30;
  config->session_idle_timeout = 30 * 60;
  config->session_absolute_timeout = 12 * 60 * 60;
  config->login_max_failures = 5;
  config->login_failure_window = 15 * 60;
  config->login_peer_max_failures = 100;
  config->login_throttle_delay = 60;
  config->hash_concurrency = 1;
  config->argon2_memory_kib = 19 * 1024;
  config->argon2_iterations = 2;
  config->common_passwords = g_build_filename (KC_DATADIR, "common-passwords.txt", NULL);
  config->conninfo = g_strdup ("dbname=khuyencong");
  /* As many database connections as cores: a call is one short statement
   * on cached data, CPU-bound, and backends beyond the cores only queue
   * for them — measured on 2 cores, 8 clients: project.get p99/p50 1.8
   * with 2, 2.4–2.9 with 4, 10–14 with 8, and the most calls per second
   * with 2 (docs/performance.md, "Pool size"). */
  config->pool_size = CLAMP (g_get_num_processors (), 2, 64);
  /* Writes are not CPU-bound like the reads above: most of a write's time
   * is its commit waiting for the WAL flush, and commits share a flush
   * only when several wait together (group commit). With the two
   * connections of pool_size, project.update waited on the flush 70 % of
   * its time and ran at 245/s; with 8 more for writes 550/s (2 cores, 8
   * clients; docs/performance.md, "Write connections"). */
  config->write_pool_size = CLAMP (2 * g_get_num_processors (), 8, 32);
  config->connect_timeout = 5;
  config->statement_timeout = 30000;
  config->attachment_max_bytes = 50 * 1024 * 1024;
  return config;
}

void
srv_config_free (SrvConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->listen);
  g_free (config->cert);
  g_free (config->key);
  g_free (config->proxy_trusted);
  g_free (config->common_passwords);
  g_free (config->totp_key_file);
  g_free (config->totp_required_roles);
  g_free (config->conninfo);
  g_free (config->report_conninfo);
  g_free (config);
}

SrvConfig *
srv_config_load (const char *path, GError **error)
{
  g_autoptr (SrvConfig) config = srv_config_new_defaults ();
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();
  g_auto (GStrv) groups = NULL;

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "could not load configuration file \"%s\": ", path);
      return NULL;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (gsize g = 0; groups[g] != NULL; g++)
    {
      g_auto (GStrv) keys = g_key_file_get_keys (keyfile, groups[g], NULL, NULL);
      for (gsize k = 0; keys != NULL && keys[k] != NULL; k++)
        if (!apply_key (config, keyfile, groups[g], keys[k], error))
          {
            g_prefix_error (error, "%s: ", path);
            return NULL;
          }
    }

  if (config->conninfo == NULL || *config->conninfo == '\0')
    {
      g_set_error (error, SRV_CONFIG_ERROR, 0, "%s: database.conninfo must not be empty", path);
      return NULL;
    }
  if (config->totp_required_roles != NULL)
    {
      static const char *const roles[] = { "province_officer",
                                           "province_leader",
                                           "ministry_reviewer",
                                           "ministry_approver",
                                           "admin",
                                           "viewer",
                                           NULL };
      g_auto (GStrv) names = g_strsplit (config->totp_required_roles, ";", -1);

      for (gsize i = 0; names[i] != NULL; i++)
        {
          g_strstrip (names[i]);
          if (names[i][0] != '\0' && !g_strv_contains (roles, names[i]))
            {
              g_set_error (error, SRV_CONFIG_ERROR, 0,
                           "%s: auth.totp_required_roles: unknown role \"%s\"", path, names[i]);
              return NULL;
            }
        }
    }
  return g_steal_pointer (&config);
}

/* A secret file others may read is refused, by PostgreSQL's rule for its
 * own key: a key that leaked to another account is no key. Owned by the
 * server's account it must be 0600 or less; owned by root it may also be
 * read by its group (0640: root:kc, as the Debian package installs it, so
 * that the service account can read but never rewrite it). */
static gboolean
check_private_file (const char *what, const char *path, GError **error)
{
  struct stat st;

  if (stat (path, &st) != 0)
    {
      g_set_error (error, SRV_CONFIG_ERROR, 0, "%s \"%s\": %s", what, path, g_strerror (errno));
      return FALSE;
    }
  if ((st.st_mode & S_IRWXO) != 0
      || (st.st_mode & S_IRWXG) != (st.st_uid == 0 ? (st.st_mode & S_IRGRP) : 0))
    {
      g_set_error (error, SRV_CONFIG_ERROR, 0,
                   "%s \"%s\" is accessible by group or others (mode %04o): make it readable by "
                   "the server's account only (chmod 600; or root-owned 0640 for the "
                   "service's group)",
                   what, path, (unsigned)(st.st_mode & 07777));
      return FALSE;
    }
  return TRUE;
}

gboolean
srv_config_common_passwords_off (const SrvConfig *config)
{
  return config->common_passwords != NULL && g_str_equal (config->common_passwords, "none");
}

gboolean
srv_config_check_serving (const SrvConfig *config, GError **error)
{
  if (config->cert == NULL || *config->cert == '\0' || config->key == NULL || *config->key == '\0')
    {
      g_set_error (error, SRV_CONFIG_ERROR, 0,
                   "server.cert and server.key must be set: kc-server serves TLS only");
      return FALSE;
    }
  if (!check_private_file ("server.key", config->key, error))
    return FALSE;
  /* Serving without the refused-password list would quietly accept
   * "Khuyencong@2025": only an explicit "none" turns it off. */
  if (!srv_config_common_passwords_off (config)
      && (config->common_passwords == NULL
          || !g_file_test (config->common_passwords, G_FILE_TEST_IS_REGULAR)
          || access (config->common_passwords, R_OK) != 0))
    {
      g_set_error (error, SRV_CONFIG_ERROR, 0,
                   "auth.common_passwords \"%s\" cannot be read: install the refused-password "
                   "list or set common_passwords=none to run without one",
                   config->common_passwords != NULL ? config->common_passwords : "");
      return FALSE;
    }
  if (config->totp_key_file != NULL && config->totp_key_file[0] != '\0')
    {
      guint8 key[32];
      gboolean ok = check_private_file ("auth.totp_key_file", config->totp_key_file, error)
                    && srv_config_read_totp_key (config, key, error);

      memset (key, 0, sizeof key);
      return ok;
    }
  for (const char *role = config->totp_required_roles; role != NULL && *role != '\0'; role++)
    if (!g_ascii_isspace (*role) && *role != ';')
      {
        g_set_error (error, SRV_CONFIG_ERROR, 0,
                     "auth.totp_required_roles needs auth.totp_key_file: without it nobody can "
                     "enrol a second factor");
        return FALSE;
      }
  return TRUE;
}

gboolean
srv_config_read_totp_key (const SrvConfig *config, guint8 key[32], GError **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  gsize digest_len = 32;
  g_autoptr (GChecksum) checksum = NULL;

  if (config->totp_key_file == NULL || config->totp_key_file[0] == '\0')
    {
      g_set_error_literal (error, SRV_CONFIG_ERROR, 0, "auth.totp_key_file is not set");
      return FALSE;
    }
  if (!g_file_get_contents (config->totp_key_file, &contents, &len, error))
    {
      g_prefix_error (error, "auth.totp_key_file: ");
      return FALSE;
    }
  if (len < 32)
    {
      memset (contents, 0, len);
      g_set_error (error, SRV_CONFIG_ERROR, 0,
                   "auth.totp_key_file \"%s\" must hold at least 32 bytes (e.g. openssl rand "
                   "-hex 32)",
                   config->totp_key_file);
      return FALSE;
    }
  /* Any file of enough entropy works (hex, base64 or raw): its digest is
   * the AES-256 key. */
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *)contents, len);
  g_checksum_get_digest (checksum, key, &digest_len);
  memset (contents, 0, len);
  return TRUE;
}

gboolean
srv_config_totp_required (const SrvConfig *config, const char *role)
{
  g_auto (GStrv) names = NULL;

  if (config->totp_required_roles == NULL || role == NULL)
    return FALSE;
  names = g_strsplit (config->totp_required_roles, ";", -1);
  for (gsize i = 0; names[i] != NULL; i++)
    if (g_str_equal (g_strstrip (names[i]), role))
      return TRUE;
  return FALSE;
}
