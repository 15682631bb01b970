#!/usr/bin/env python3
"""The checked-in schema snapshot (sql/schema.sql) is the schema the
migrations make.

Migrations are forward only, so the current body of a function is in
whichever file last replaced it; sql/schema.sql is `pg_dump --schema-only`
of a freshly migrated database, so that the current definition of anything
is one search away. This test migrates a database with the real kc-server
and fails when the snapshot differs, naming the command that rewrites it:

    scripts/schema-snapshot          (or: test_schema.py --write, with KC_TEST_PG*)
"""

import difflib
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402

SNAPSHOT = os.path.join(kctest.SOURCE_ROOT, "sql", "schema.sql")
HEADER = """-- sql/schema.sql — the schema as the migrations leave it (pg_dump --schema-only
-- of a database migrated by kc-server). Generated: do not edit; change a
-- migration and run scripts/schema-snapshot. tests/integration/test_schema.py
-- fails when this file and the migrations disagree.

"""


def dump(dbname):
    out = subprocess.run([kctest._pg_bin("pg_dump"), "--schema-only", "--no-owner",
                          "--no-privileges", "--no-comments", "-h", kctest.PGHOST,
                          "-p", str(kctest.PGPORT), "-U", kctest.PGUSER, dbname],
                         capture_output=True, text=True, check=True).stdout
    lines = []
    for line in out.splitlines():
        # the dumping tools' versions, session settings and the random key
        # of \restrict (pg_dump 15.14 on) say nothing of the schema
        if re.match(r"^(-- Dumped (from|by) |SET |SELECT pg_catalog\.set_config|\\(un)?restrict )",
                    line):
            continue
        lines.append(line.rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    return HEADER + text


def current():
    s = kctest.Server(start=False, admin=False)
    try:
        return dump(s.dbname)
    finally:
        s.destroy()


if __name__ == "__main__" and "--write" in sys.argv[1:]:
    kctest.require_env()
    with open(SNAPSHOT, "w", encoding="utf-8") as f:
        f.write(current())
    print("wrote %s" % SNAPSHOT)
    sys.exit(0)

tap = kctest.Tap()


@tap.test("sql/schema.sql is the schema the migrations make (else: scripts/schema-snapshot)")
def _():
    seen = current()
    try:
        with open(SNAPSHOT, encoding="utf-8") as f:
            kept = f.read()
    except FileNotFoundError:
        kept = ""
    if seen != kept:
        diff = list(difflib.unified_diff(kept.splitlines(), seen.splitlines(),
                                         "sql/schema.sql", "migrated", lineterm="", n=1))
        kctest.check(False, "the snapshot is stale: run scripts/schema-snapshot",
                     "\n".join(diff[:40]))


@tap.test("a migration split into parts (0025_money_chain.1.sql, .2.sql) is applied once, "
          "recorded once under its one name")
def _():
    s = kctest.Server(start=False, admin=False)
    try:
        rows = s.sql("SELECT version, name FROM schema_migrations WHERE version = 25")
        kctest.check(rows.strip() == "25|0025_money_chain", "version 25 recorded once", rows)
        # what each part defines is there: kc_money_owner (part 1),
        # kc_public_holidays (part 2)
        got = s.sql("SELECT count(*) FROM pg_proc WHERE proname IN "
                    "('kc_money_owner', 'kc_public_holidays')")
        kctest.check(got.strip() == "2", "both parts applied", got)
        before = s.sql("SELECT version, name FROM schema_migrations ORDER BY version")
        p = s.run_command("migrate", expect=0)
        kctest.check("applied" not in p.stdout.replace("(0 applied now)", ""),
                     "nothing applied again", p.stdout)
        kctest.check(s.sql("SELECT version, name FROM schema_migrations ORDER BY version")
                     == before, "schema_migrations unchanged by a second migrate")
    finally:
        s.destroy()


tap.run()
