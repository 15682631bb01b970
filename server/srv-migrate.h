/*
 * srv-migrate.h — schema migrations. The SQL files of sql/ are compiled
 * into the binary (GResource), so a kc-server always carries exactly the
 * schema it was built for. See sql/README.md.
 *
 * A migration is one file, NNNN_name.sql, or one too long to read split at
 * statement boundaries into parts NNNN_name.1.sql, NNNN_name.2.sql, … : the
 * parts are run one after the other as one script in the version's one
 * transaction and recorded once, as NNNN_name (their concatenation is the
 * migration).
 */
#pragma once

#include <glib.h>

#include "srv-db.h"

G_BEGIN_DECLS

/* Applies pending migrations, each in its own transaction, recording them
 * in schema_migrations; safe to run twice and from two hosts at once (an
 * advisory lock serialises migrators). Refuses a database that has
 * migrations this binary does not know. Reports progress through @report
 * (one line per migration applied). */
gboolean srv_migrate_run (SrvDbConn *conn, void (*report) (const char *line), GError **error);

/* Checks the database is at exactly this binary's schema version. */
gboolean srv_migrate_check (SrvDbConn *conn, GError **error);

/* The newest migration this binary knows. */
int srv_migrate_latest (void);

/* One migration: its version, the name it is recorded as, its file(s) in
 * the order they run. */
typedef struct
{
  int version;
  char *name;
  GStrv files;
} SrvMigration;

/* Reads a migration file name: NNNN_name.sql (*@part 0) or NNNN_name.K.sql
 * (*@part K ≥ 1, K digits; any other dot is part of the name); *@name
 * (caller frees) is NNNN_name. FALSE for any other name (the file is not a
 * migration) and for part 0. */
gboolean srv_migrate_parse_file_name (const char *file, int *version, char **name, int *part);

/* Groups the file names @files (NULL-terminated, any order; others are
 * ignored) into migrations sorted by version, each with its files in order
 * (transfer full; for srv-migrate.c and its tests). Fails when a version has
 * two names, a whole file and parts, or parts that do not run 1, 2, … */
GArray *srv_migrate_group (const char *const *files, GError **error);

G_END_DECLS
