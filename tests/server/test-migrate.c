/*
 * test-migrate.c — how srv-migrate.c reads the migration files: one file a
 * version, or one migration split into parts that run as one and are
 * recorded once under one name (the database side: integration-schema).
 */
#include <gio/gio.h>

#include "srv-migrate.h"

static GArray *
group (const char *const *files, GError **error)
{
  return srv_migrate_group (files, error);
}

static void
assert_refused (const char *const *files)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) list = group (files, &error);

  g_assert_null (list);
  g_assert_error (error, SRV_DB_ERROR, SRV_DB_ERROR_FAILED);
}

static void
test_parse (void)
{
  int version = 0, part = -1;
  g_autofree char *name = NULL;
  g_autofree char *name2 = NULL;

  g_assert_true (srv_migrate_parse_file_name ("0024_security.sql", &version, &name, &part));
  g_assert_cmpint (version, ==, 24);
  g_assert_cmpint (part, ==, 0);
  g_assert_cmpstr (name, ==, "0024_security");
  g_assert_true (srv_migrate_parse_file_name ("0025_money_chain.2.sql", &version, &name2, &part));
  g_assert_cmpint (version, ==, 25);
  g_assert_cmpint (part, ==, 2);
  g_assert_cmpstr (name2, ==, "0025_money_chain");
  {
    g_autofree char *dotted = NULL;

    /* a dot not followed by a part number is part of the name */
    g_assert_true (srv_migrate_parse_file_name ("0025_x.a.sql", &version, &dotted, &part));
    g_assert_cmpstr (dotted, ==, "0025_x.a");
    g_assert_cmpint (part, ==, 0);
  }
  for (const char *const *bad
       = (const char *const[]){ "README.md", "schema.sql", "0025.sql", "0000_none.sql",
                                "0025_x.0.sql", "0025_x.sql.in", NULL };
       *bad != NULL; bad++)
    {
      g_autofree char *n = NULL;

      g_assert_false (srv_migrate_parse_file_name (*bad, &version, &n, &part));
      g_assert_null (n);
    }
}

static void
test_group (void)
{
  const char *const files[] = { "0026_rounds.sql",        "0025_money_chain.2.sql", "README.md",
                                "0025_money_chain.1.sql", "0024_security.sql",      NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) list = group (files, &error);
  const SrvMigration *m;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  m = &g_array_index (list, SrvMigration, 0);
  g_assert_cmpint (m->version, ==, 24);
  g_assert_cmpstr (m->name, ==, "0024_security");
  g_assert_cmpuint (g_strv_length (m->files), ==, 1);
  m = &g_array_index (list, SrvMigration, 1);
  g_assert_cmpint (m->version, ==, 25);
  g_assert_cmpstr (m->name, ==, "0025_money_chain");
  g_assert_cmpuint (g_strv_length (m->files), ==, 2);
  g_assert_cmpstr (m->files[0], ==, "0025_money_chain.1.sql");
  g_assert_cmpstr (m->files[1], ==, "0025_money_chain.2.sql");
  m = &g_array_index (list, SrvMigration, 2);
  g_assert_cmpint (m->version, ==, 26);
}

static void
test_parts_in_number_order (void)
{
  const char *const files[] = { "0007_x.10.sql",
                                "0007_x.2.sql",
                                "0007_x.1.sql",
                                "0007_x.3.sql",
                                "0007_x.4.sql",
                                "0007_x.5.sql",
                                "0007_x.6.sql",
                                "0007_x.7.sql",
                                "0007_x.8.sql",
                                "0007_x.9.sql",
                                NULL };
  g_autoptr (GArray) list = group (files, NULL);
  const SrvMigration *m = &g_array_index (list, SrvMigration, 0);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (m->files[1], ==, "0007_x.2.sql");
  g_assert_cmpstr (m->files[9], ==, "0007_x.10.sql");
}

static void
test_refused (void)
{
  /* two names for one version */
  assert_refused ((const char *const[]){ "0025_a.sql", "0025_b.sql", NULL });
  assert_refused ((const char *const[]){ "0025_a.1.sql", "0025_b.2.sql", NULL });
  /* a whole file and parts */
  assert_refused ((const char *const[]){ "0025_a.sql", "0025_a.1.sql", NULL });
  /* parts with a gap, or not from 1 */
  assert_refused ((const char *const[]){ "0025_a.1.sql", "0025_a.3.sql", NULL });
  assert_refused ((const char *const[]){ "0025_a.2.sql", NULL });
}

static void
test_embedded (void)
{
  /* the files compiled into kc-server make a valid set, 0025 in two parts */
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = g_resources_enumerate_children ("/org/khuyencong/server/sql/", 0, &error);
  g_autoptr (GArray) list = NULL;
  gboolean seen_25 = FALSE;

  g_assert_no_error (error);
  list = group ((const char *const *)names, &error);
  g_assert_no_error (error);
  g_assert_cmpint (srv_migrate_latest (), ==,
                   g_array_index (list, SrvMigration, list->len - 1).version);
  for (guint i = 0; i < list->len; i++)
    {
      const SrvMigration *m = &g_array_index (list, SrvMigration, i);

      if (m->version == 25)
        {
          seen_25 = TRUE;
          g_assert_cmpstr (m->name, ==, "0025_money_chain");
          g_assert_cmpuint (g_strv_length (m->files), >=, 2);
        }
    }
  g_assert_true (seen_25);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/migrate/parse", test_parse);
  g_test_add_func ("/migrate/group", test_group);
  g_test_add_func ("/migrate/parts-in-number-order", test_parts_in_number_order);
  g_test_add_func ("/migrate/refused", test_refused);
  g_test_add_func ("/migrate/embedded", test_embedded);
  return g_test_run ();
}
