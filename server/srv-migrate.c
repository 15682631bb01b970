/*
 * srv-migrate.c — see srv-migrate.h.
 */
#include "srv-migrate.h"

#include <gio/gio.h>

#define SQL_RESOURCE_DIR "/org/khuyencong/server/sql/"

typedef SrvMigration Migration;

static void
migration_clear (gpointer data)
{
  g_free (((Migration *)data)->name);
  g_strfreev (((Migration *)data)->files);
}

static gint
compare_migrations (gconstpointer a, gconstpointer b)
{
  return ((const Migration *)a)->version - ((const Migration *)b)->version;
}

typedef struct
{
  int version;
  int part; /* 0: the whole migration; K ≥ 1: part K */
  char *name;
  const char *file;
} MigrationFile;

static gint
compare_files (gconstpointer a, gconstpointer b)
{
  const MigrationFile *x = a, *y = b;

  if (x->version != y->version)
    return x->version - y->version;
  return x->part - y->part;
}

gboolean
srv_migrate_parse_file_name (const char *file, int *version, char **name, int *part)
{
  g_autofree char *base = NULL;
  const char *dot;
  guint64 number;
  char digits[5] = { 0 };

  if (!g_str_has_suffix (file, ".sql") || strlen (file) < 9 || file[4] != '_')
    return FALSE;
  memcpy (digits, file, 4);
  if (!g_ascii_string_to_unsigned (digits, 10, 1, 9999, &number, NULL))
    return FALSE;
  base = g_strndup (file, strlen (file) - 4);
  *version = (int)number;
  *part = 0;
  /* ".K" of digits ends a part's name; another dot is part of the name */
  dot = strrchr (base, '.');
  if (dot != NULL && dot[1] != '\0' && strspn (dot + 1, "0123456789") == strlen (dot + 1))
    {
      guint64 k;

      if (!g_ascii_string_to_unsigned (dot + 1, 10, 1, 999, &k, NULL))
        return FALSE;
      *part = (int)k;
      base[dot - base] = '\0';
    }
  *name = g_steal_pointer (&base);
  return TRUE;
}

GArray *
srv_migrate_group (const char *const *files, GError **error)
{
  g_autoptr (GArray) found = g_array_new (FALSE, TRUE, sizeof (MigrationFile));
  g_autoptr (GArray) list = g_array_new (FALSE, TRUE, sizeof (Migration));
  gboolean ok = TRUE;

  g_array_set_clear_func (list, migration_clear);
  for (gsize i = 0; files != NULL && files[i] != NULL; i++)
    {
      MigrationFile f = { .file = files[i] };

      if (srv_migrate_parse_file_name (files[i], &f.version, &f.name, &f.part))
        g_array_append_val (found, f);
    }
  g_array_sort (found, compare_files);
  for (guint i = 0; i < found->len && ok;)
    {
      const MigrationFile *first = &g_array_index (found, MigrationFile, i);
      g_autoptr (GPtrArray) parts = g_ptr_array_new ();
      Migration m = { .version = first->version, .name = g_strdup (first->name) };
      guint j = i;

      for (; j < found->len && g_array_index (found, MigrationFile, j).version == m.version; j++)
        {
          const MigrationFile *f = &g_array_index (found, MigrationFile, j);

          /* one name per version; either one file or parts 1, 2, … without a gap */
          if (strcmp (f->name, m.name) != 0 || (j > i && first->part == 0)
              || f->part != (first->part == 0 ? 0 : (int)(j - i) + 1))
            {
              g_set_error (error, SRV_DB_ERROR, SRV_DB_ERROR_FAILED,
                           "migration %04d: %s does not follow %s (one name per version, "
                           "either NNNN_name.sql or its parts NNNN_name.1.sql, .2.sql, …)",
                           m.version, f->file, first->file);
              ok = FALSE;
              break;
            }
          g_ptr_array_add (parts, g_strdup (f->file));
        }
      g_ptr_array_add (parts, NULL);
      m.files = (GStrv)g_ptr_array_free (g_steal_pointer (&parts), FALSE);
      g_array_append_val (list, m);
      i = j;
    }
  for (guint i = 0; i < found->len; i++)
    g_free (g_array_index (found, MigrationFile, i).name);
  if (!ok)
    return NULL;
  g_array_sort (list, compare_migrations);
  return g_steal_pointer (&list);
}

/* The embedded migrations, sorted by version. */
static GArray *
list_embedded (GError **error)
{
  g_auto (GStrv) names = g_resources_enumerate_children (SQL_RESOURCE_DIR, 0, NULL);

  return srv_migrate_group ((const char *const *)names, error);
}

/* A migration's SQL: its file, or its parts one after the other. */
static char *
load_sql (const Migration *m, GError **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);

  for (gsize i = 0; m->files[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (SQL_RESOURCE_DIR, m->files[i], NULL);
      g_autoptr (GBytes) bytes = g_resources_lookup_data (path, 0, error);

      if (bytes == NULL)
        return NULL;
      g_string_append_len (sql, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  return g_string_free (g_steal_pointer (&sql), FALSE);
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
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) list = list_embedded (&error);

  /* an inconsistent set of files is refused by srv_migrate_run/check */
  if (list == NULL)
    return 0;
  return list->len > 0 ? g_array_index (list, Migration, list->len - 1).version : 0;
}

gboolean
srv_migrate_run (SrvDbConn *conn, void (*report) (const char *line), GError **error)
{
  g_autoptr (GArray) known = list_embedded (error);
  g_autoptr (SrvRows) created = NULL;
  guint applied_now = 0;

  if (known == NULL)
    return FALSE;
  created = srv_db_exec (conn, SRV_Q_MIGRATIONS_TABLE, NULL, error);
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
  g_autoptr (GArray) known = list_embedded (error);
  g_autoptr (GHashTable) applied = g_hash_table_new (NULL, NULL);
  g_autoptr (SrvRows) created = NULL;
  int max_applied = 0;

  if (known == NULL)
    return FALSE;
  created = srv_db_exec (conn, SRV_Q_MIGRATIONS_TABLE, NULL, error);
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
