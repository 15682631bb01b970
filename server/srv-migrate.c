/*
 * srv-migrate.c — see srv-migrate.h.
 */
#include "srv-migrate.h"

#include <gio/gio.h>

#define SQL_RESOURCE_DIR "/org/khuyencong/server/sql/"

typedef struct
{
  int version;
  char *name; /* file name without ".sql" */
} Migration;

static void
migration_clear (gpointer data)
{
  g_free (((Migration *)data)->name);
}

static gint
compare_migrations (gconstpointer a, gconstpointer b)
{
  return ((const Migration *)a)->version - ((const Migration *)b)->version;
}

/* The embedded migrations, sorted by version. */
static GArray *
list_embedded (void)
{
  g_auto (GStrv) names = g_resources_enumerate_children (SQL_RESOURCE_DIR, 0, NULL);
  GArray *list = g_array_new (FALSE, TRUE, sizeof (Migration));

  g_array_set_clear_func (list, migration_clear);
  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    {
      Migration m;
      guint64 version;
      char digits[5] = { 0 };

      if (!g_str_has_suffix (names[i], ".sql") || strlen (names[i]) < 9)
        continue;
      memcpy (digits, names[i], 4);
      if (!g_ascii_string_to_unsigned (digits, 10, 1, 9999, &version, NULL))
        continue;
      m.version = (int)version;
      m.name = g_strndup (names[i], strlen (names[i]) - 4);
      g_array_append_val (list, m);
    }
  g_array_sort (list, compare_migrations);
  return list;
}

static char *
load_sql (const Migration *m, GError **error)
{
  g_autofree char *path = g_strdup_printf (SQL_RESOURCE_DIR "%s.sql", m->name);
  g_autoptr (GBytes) bytes = g_resources_lookup_data (path, 0, error);

  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Highest applied version (0 if none) and whether it is in @known. */
static gboolean
applied_state (SrvDbConn *conn, GArray *known, int *max_applied, GHashTable *applied,
               GError **error)
{
  g_autoptr (SrvRows) rows = srv_db_exec (conn, SRV_Q_MIGRATIONS_LIST, NULL, error);

  if (rows == NULL)
    return FALSE;
  *max_applied = 0;
  for (guint r = 0; r < rows->n_rows; r++)
    {
      int v = (int)srv_rows_get_int64 (rows, r, 0);
      *max_applied = MAX (*max_applied, v);
      g_hash_table_add (applied, GINT_TO_POINTER (v));
    }
  if (*max_applied > srv_migrate_latest ())
    {
      g_set_error (error, SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                   "the database schema is at version %d, newer than this kc-server knows (%d); "
                   "upgrade kc-server instead",
                   *max_applied, srv_migrate_latest ());
      return FALSE;
    }
  return TRUE;
}

int
srv_migrate_latest (void)
{
  g_autoptr (GArray) list = list_embedded ();
  return list->len > 0 ? g_array_index (list, Migration, list->len - 1).version : 0;
}

gboolean
srv_migrate_run (SrvDbConn *conn, void (*report) (const char *line), GError **error)
{
  g_autoptr (GArray) known = list_embedded ();
  g_autoptr (SrvRows) created = srv_db_exec (conn, SRV_Q_MIGRATIONS_TABLE, NULL, error);
  guint applied_now = 0;

  if (created == NULL)
    return FALSE;
  for (guint i = 0; i < known->len; i++)
    {
      const Migration *m = &g_array_index (known, Migration, i);
      g_autoptr (GHashTable) applied = g_hash_table_new (NULL, NULL);
      g_autoptr (SrvRows) locked = NULL;
      g_autoptr (SrvRows) recorded = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *version = g_strdup_printf ("%d", m->version);
      int max_applied = 0;

      if (!srv_db_begin (conn, error))
        return FALSE;
      locked = srv_db_exec (conn, SRV_Q_MIGRATIONS_LOCK, NULL, error);
      if (locked == NULL || !applied_state (conn, known, &max_applied, applied, error))
        goto fail;
      if (g_hash_table_contains (applied, GINT_TO_POINTER (m->version)))
        {
          srv_db_rollback (conn);
          continue;
        }
      sql = load_sql (m, error);
      if (sql == NULL || !srv_db_exec_script (conn, sql, error))
        {
          g_prefix_error (error, "migration %s failed: ", m->name);
          goto fail;
        }
      {
        const char *params[] = { version, m->name, g_get_user_name () };
        recorded = srv_db_exec (conn, SRV_Q_MIGRATIONS_RECORD, params, error);
      }
      if (recorded == NULL || !srv_db_commit (conn, error))
        goto fail;
      applied_now++;
      if (report != NULL)
        {
          g_autofree char *line = g_strdup_printf ("applied %s", m->name);
          report (line);
        }
    }
  if (report != NULL)
    {
      g_autofree char *line = g_strdup_printf ("schema is at version %d (%u applied now)",
                                               srv_migrate_latest (), applied_now);
      report (line);
    }
  /* A database newer than us must be refused even when nothing was pending. */
  {
    g_autoptr (GHashTable) applied = g_hash_table_new (NULL, NULL);
    int max_applied = 0;
    return applied_state (conn, known, &max_applied, applied, error);
  }

fail:
  srv_db_rollback (conn);
  return FALSE;
}

gboolean
srv_migrate_check (SrvDbConn *conn, GError **error)
{
  g_autoptr (GArray) known = list_embedded ();
  g_autoptr (GHashTable) applied = g_hash_table_new (NULL, NULL);
  g_autoptr (SrvRows) created = srv_db_exec (conn, SRV_Q_MIGRATIONS_TABLE, NULL, error);
  int max_applied = 0;

  if (created == NULL || !applied_state (conn, known, &max_applied, applied, error))
    return FALSE;
  for (guint i = 0; i < known->len; i++)
    if (!g_hash_table_contains (applied,
                                GINT_TO_POINTER (g_array_index (known, Migration, i).version)))
      {
        g_set_error (error, SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                     "the database lacks migration %s; run \"kc-server --config FILE migrate\"",
                     g_array_index (known, Migration, i).name);
        return FALSE;
      }
  return TRUE;
}
