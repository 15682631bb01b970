/*
 * srv-password.c — Argon2id (libargon2) at OWASP/ASVS 5.0 parameters:
 * m = 19 MiB, t = 2, p = 1 by default.
 */
#include "srv-password.h"

#include <argon2.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "srv-crypto.h"
#include "srv-log.h"

struct _SrvPassword
{
  GHashTable *common; /* case-folded refused passwords */
  guint memory_kib;
  guint iterations;
  char *dummy_hash;

  /* Every Argon2 computation runs on one of hash_concurrency threads of
   * its own, whoever asks (a login on the CPU pool, user.create or a
   * password change on a database worker): the 19 MiB block it needs then
   * stays in those threads' malloc arenas. Computed on the caller's
   * thread, each of the 8 workers that ever hashed kept one — 190 MiB of
   * RSS after a few user.create calls (issue 7). */
  GThreadPool *hashers;
  GMutex lock;
  GCond cond;
};

typedef struct
{
  const char *password;
  const char *encoded; /* verify against this; NULL: hash into out */
  const guint8 *salt;
  guint memory_kib;
  guint iterations;
  char *out;
  gsize out_len;
  int rc;
  gboolean done;
} Argon2Job;

#define SALT_LEN 16
#define HASH_LEN 32

/* Helpers */

static void
load_list (SrvPassword *pw, const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  char *line;
  char *save = NULL;

  if (path == NULL || !g_file_get_contents (path, &contents, NULL, &error))
    {
      srv_log_warning ("could not load the refused-password list: %s",
                       error != NULL ? error->message : "no path configured");
      return;
    }
  for (line = strtok_r (contents, "\r\n", &save); line != NULL;
       line = strtok_r (NULL, "\r\n", &save))
    if (*line != '\0' && g_utf8_validate (line, -1, NULL))
      g_hash_table_add (pw->common, g_utf8_casefold (line, -1));
}

/* Nice value of the hasher threads: among kc-server's own threads the
 * event loop and the database workers go first. Linux keeps the nice value
 * per thread, and lowering it needs no privilege. It does not weigh against
 * PostgreSQL, which runs in a scheduling group of its own (an autogroup or
 * a systemd unit's cgroup); for that see argon2_job_cb's rest. */
#define HASHER_NICE 19

static double
thread_cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
lower_priority_once (void)
{
  static _Thread_local gboolean done;

  if (done)
    return;
  done = TRUE;
  if (setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), HASHER_NICE) != 0)
    srv_log_warning ("could not lower the password hashers' priority: %s", g_strerror (errno));
}

static void
argon2_job_cb (gpointer data, gpointer user_data)
{
  SrvPassword *pw = user_data;
  Argon2Job *job = data;
  gsize len = strlen (job->password);
  double started;
  gboolean more_waiting;

  lower_priority_once ();
  started = thread_cpu_s ();
  if (job->encoded != NULL)
    job->rc = argon2id_verify (job->encoded, job->password, len);
  else
    job->rc = argon2id_hash_encoded (job->iterations, job->memory_kib, 1, job->password, len,
                                     job->salt, SALT_LEN, HASH_LEN, job->out, job->out_len);
  /* Asked before the job is marked done: from then on the caller may
   * free the pool (kc-server create-admin does at once), and asking a
   * pool being freed printed "g_thread_pool_unprocessed: assertion
   * 'real->running' failed" (issue 13). */
  more_waiting = g_thread_pool_unprocessed (pw->hashers) > 0;
  g_mutex_lock (&pw->lock);
  job->done = TRUE;
  g_cond_broadcast (&pw->cond);
  g_mutex_unlock (&pw->lock);
  /* job is the caller's and may be gone from here on. During a burst of
   * logins the hasher would compute back to back and take a whole core of
   * two from PostgreSQL and the readers while it lasts (50 logins: a second
   * of CPU; reads twice as slow meanwhile, issue 7). So while more hashes
   * wait it rests as long as the last one took: at most half a core, the
   * burst taking twice as long. A lone login does not wait. */
  if (more_waiting)
    g_usleep ((gulong)((thread_cpu_s () - started) * G_USEC_PER_SEC));
}

/* Runs @job on a hasher thread and waits for it: at most hash_concurrency
 * at once, the others queue. */
static int
run_argon2 (SrvPassword *pw, Argon2Job *job)
{
  g_thread_pool_push (pw->hashers, job, NULL);
  g_mutex_lock (&pw->lock);
  while (!job->done)
    g_cond_wait (&pw->cond, &pw->lock);
  g_mutex_unlock (&pw->lock);
  return job->rc;
}

static char *
hash_with (SrvPassword *pw, const char *password, guint memory_kib, guint iterations)
{
  guint8 salt[SALT_LEN];
  gsize encoded_len = argon2_encodedlen (iterations, memory_kib, 1, SALT_LEN, HASH_LEN, Argon2_id);
  g_autofree char *encoded = g_malloc0 (encoded_len + 1);
  int rc;

  if (!srv_crypto_random (salt, sizeof salt))
    return NULL;
  {
    Argon2Job job = { .password = password,
                      .salt = salt,
                      .memory_kib = memory_kib,
                      .iterations = iterations,
                      .out = encoded,
                      .out_len = encoded_len };
    rc = run_argon2 (pw, &job);
  }
  if (rc != ARGON2_OK)
    {
      srv_log_error ("could not hash a password: %s", argon2_error_message (rc));
      return NULL;
    }
  return g_steal_pointer (&encoded);
}

/* Public API */

SrvPassword *
srv_password_new (const SrvConfig *config)
{
  SrvPassword *pw = g_new0 (SrvPassword, 1);

  pw->common = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  pw->memory_kib = config->argon2_memory_kib;
  pw->iterations = config->argon2_iterations;
  /* Never as many hashers as cores: one core always stays for the
   * readers, whatever hash_concurrency says. */
  pw->hashers = g_thread_pool_new (
      argon2_job_cb, pw, CLAMP (config->hash_concurrency, 1, MAX (1, g_get_num_processors () - 1)),
      TRUE, NULL);
  g_mutex_init (&pw->lock);
  g_cond_init (&pw->cond);
  if (!srv_config_common_passwords_off (config))
    load_list (pw, config->common_passwords);
  pw->dummy_hash = hash_with (pw, "kc-dummy-password-for-timing", pw->memory_kib, pw->iterations);
  return pw;
}

void
srv_password_free (SrvPassword *pw)
{
  if (pw == NULL)
    return;
  g_thread_pool_free (pw->hashers, FALSE, TRUE);
  g_hash_table_unref (pw->common);
  g_free (pw->dummy_hash);
  g_mutex_clear (&pw->lock);
  g_cond_clear (&pw->cond);
  g_free (pw);
}

guint
srv_password_list_size (SrvPassword *pw)
{
  return g_hash_table_size (pw->common);
}

#define PASSWORD_MIN 12
#define PASSWORD_MAX 128

static JsonObject *
length_data (const char *bound, int limit, glong chars)
{
  JsonObject *data = json_object_new ();

  json_object_set_int_member (data, bound, limit);
  json_object_set_int_member (data, "length", chars);
  return data;
}

char *
srv_password_check_policy_rule (SrvPassword *pw, const char *password, const char *username,
                                const char **rule, JsonObject **data)
{
  glong chars;
  g_autofree char *folded = NULL;
  const char *unused_rule;
  JsonObject *unused_data = NULL;

  if (rule == NULL)
    rule = &unused_rule;
  if (data == NULL)
    data = &unused_data;
  *rule = NULL;
  *data = NULL;
  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    {
      *rule = "password_encoding";
      return g_strdup ("password must be valid UTF-8 text");
    }
  chars = g_utf8_strlen (password, -1);
  if (chars < PASSWORD_MIN)
    {
      *rule = "password_min_length";
      *data = length_data ("min", PASSWORD_MIN, chars);
      return g_strdup_printf ("password must have at least %d characters", PASSWORD_MIN);
    }
  if (chars > PASSWORD_MAX)
    {
      *rule = "password_max_length";
      *data = length_data ("max", PASSWORD_MAX, chars);
      return g_strdup_printf ("password must have at most %d characters", PASSWORD_MAX);
    }
  folded = g_utf8_casefold (password, -1);
  if (g_hash_table_contains (pw->common, folded))
    {
      *rule = "password_common";
      return g_strdup ("password is too common: it is on the list of known breached passwords");
    }
  if (username != NULL)
    {
      g_autofree char *user_folded = g_utf8_casefold (username, -1);
      if (g_str_equal (folded, user_folded))
        {
          *rule = "password_username";
          return g_strdup ("password must not be the username");
        }
    }
  return NULL;
}

char *
srv_password_check_policy (SrvPassword *pw, const char *password, const char *username)
{
  JsonObject *data = NULL;
  char *message = srv_password_check_policy_rule (pw, password, username, NULL, &data);

  if (data != NULL)
    json_object_unref (data);
  return message;
}

char *
srv_password_hash (SrvPassword *pw, const char *password)
{
  return hash_with (pw, password, pw->memory_kib, pw->iterations);
}

gboolean
srv_password_verify (SrvPassword *pw, const char *encoded, const char *password)
{
  int rc;

  if (encoded == NULL)
    {
      if (pw->dummy_hash != NULL)
        {
          Argon2Job job = { .password = password, .encoded = pw->dummy_hash };
          run_argon2 (pw, &job);
        }
      return FALSE;
    }
  if (!g_str_has_prefix (encoded, "$argon2id$"))
    return FALSE;
  {
    Argon2Job job = { .password = password, .encoded = encoded };
    rc = run_argon2 (pw, &job);
  }
  return rc == ARGON2_OK;
}
