/*
 * srv-migrate.h — schema migrations. The SQL files of sql/ are compiled
 * into the binary (GResource), so a kc-server always carries exactly the
 * schema it was built for. See sql/README.md.
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

G_END_DECLS
