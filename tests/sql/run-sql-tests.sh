#!/bin/sh
# run-sql-tests.sh — tests of sql/0001_organisations.sql, sql/0003_audit.sql and
# sql/0052_audit_chain.sql
# against a running PostgreSQL, with plain psql; output is TAP.
#
# Usage: PGHOST=... PGPORT=... PGUSER=... tests/sql/run-sql-tests.sh
#
# The server is the one the libpq variables name; under `meson test`
# (scripts/test) the KC_TEST_PGHOST/PORT/USER variables stand in for unset
# PG* ones. With neither, the test reports itself skipped. The role needs
# CREATEDB (the test makes and drops its own database) and must be able to
# disable triggers on the tables it creates, which their owner can.
# Environment:
#   KC_SOURCE_ROOT        the source tree (default: two levels above here)
#   KC_SQLTEST_ADMIN_DB   database to connect to for CREATE/DROP DATABASE
#                         (default postgres)
#   KC_SQLTEST_KEEP=1     keep the test database afterwards, for debugging
# Exits 0 when every test passed (or all were skipped), 1 when any failed,
# 2 when it could not run (no connection, a migration failed).

set -u

here=$(cd "$(dirname "$0")" && pwd)
top=${KC_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}
admin_db=${KC_SQLTEST_ADMIN_DB:-postgres}

if [ -z "${PGHOST:-}${PGPORT:-}" ]; then
    if [ -n "${KC_TEST_PGHOST:-}" ]; then
        PGHOST=$KC_TEST_PGHOST
        PGPORT=${KC_TEST_PGPORT:-5432}
        PGUSER=${PGUSER:-${KC_TEST_PGUSER:-postgres}}
        export PGHOST PGPORT PGUSER
    else
        echo "1..0 # SKIP no PostgreSQL given: set PGHOST, PGPORT, PGUSER (or KC_TEST_PG*)"
        exit 0
    fi
fi
db="kc_sqltest_$$_$(date +%s)"

# The migrations and the expected values below are UTF-8; psql must not
# convert them from some locale's encoding.
PGCLIENTENCODING=UTF8
export PGCLIENTENCODING
unset PGDATABASE PGOPTIONS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kc-sqltest.XXXXXX") || exit 2
n=0
failed=0
created=0

# shellcheck disable=SC2317  # reached through the EXIT trap
cleanup () {
    # Background sessions are gone by now unless a test aborted; FORCE ends
    # any that are left.
    if [ "$created" = 1 ]; then
        if [ "${KC_SQLTEST_KEEP:-0}" = 1 ]; then
            echo "# kept database $db"
        else
            psql -X -q -d "$admin_db" -c "drop database if exists \"$db\" with (force)" \
                >/dev/null 2>&1 || echo "# could not drop database $db"
        fi
    fi
    if [ -n "${db_tr:-}" ] && [ "${KC_SQLTEST_KEEP:-0}" != 1 ]; then
        psql -X -q -d "$admin_db" -c "drop database if exists \"$db_tr\" with (force)" \
            >/dev/null 2>&1 || echo "# could not drop database $db_tr"
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM

bail () {
    echo "Bail out! $*"
    exit 2
}

pass () {
    n=$((n + 1))
    echo "ok $n - $1"
}

# fail DESCRIPTION [DETAIL...]: a failed test, with details as TAP comments.
fail () {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    for line in "$@"; do
        printf '%s\n' "$line" | sed 's/^/#   /'
    done
}

# q [PSQL-ARGS...]: run psql on the test database, unaligned, tuples only.
q () {
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -tA "$@"
}

# is DESCRIPTION SQL EXPECTED: the query's output equals EXPECTED.
is () {
    got=$(q -c "$2" 2>&1)
    if [ "$got" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "query:    $2" "expected: $3" "got:      $got"
    fi
}

# refused DESCRIPTION PATTERN PSQL-ARGS...: psql fails with an error
# matching PATTERN (a grep regex).
refused () {
    desc=$1
    pattern=$2
    shift 2
    if out=$(q "$@" 2>&1); then
        fail "$desc" "the statement succeeded; output: $out"
    elif printf '%s\n' "$out" | grep -q -- "$pattern"; then
        pass "$desc"
    else
        fail "$desc" "expected an error matching: $pattern" "got: $out"
    fi
}

echo "# server: ${PGHOST:-default host} port ${PGPORT:-default}, user ${PGUSER:-default}, database $db"

psql -X -q -d "$admin_db" -tA -c "select 1" >/dev/null 2>"$tmp/err" ||
    bail "cannot connect to PostgreSQL: $(cat "$tmp/err")"
server_version=$(psql -X -q -d "$admin_db" -tA -c "show server_version_num")
[ "$server_version" -ge 150000 ] 2>/dev/null ||
    bail "PostgreSQL 15 or later needed, server is $server_version"

# A UTF8 database whatever the cluster's default; the C locale is the
# fallback when the cluster's locale cannot hold UTF8.
if psql -X -q -d "$admin_db" -c "create database \"$db\" template template0 encoding 'UTF8'" \
        >/dev/null 2>"$tmp/err" ||
   psql -X -q -d "$admin_db" -c "create database \"$db\" template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'" \
        >/dev/null 2>"$tmp/err"; then
    created=1
else
    bail "cannot create database $db: $(cat "$tmp/err")"
fi

for f in sql/0001_organisations.sql sql/0003_audit.sql; do
    if out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" -1 -f "$top/$f" 2>&1); then
        pass "$f applies in one transaction"
    else
        fail "$f applies in one transaction" "$out"
        bail "migration $f failed"
    fi
done

# ---------------------------------------------------------------------------
# Organisations

is "one ministry BCT, without parent" \
   "select count(*) from orgs where kind = 'ministry' and code = 'BCT' and name = 'Bộ Công Thương' and parent_id is null" \
   "1"

is "the khuyến công department BCT.CKC has its current name and the Ministry as parent" \
   "select d.name from orgs d join orgs m on m.id = d.parent_id and m.code = 'BCT'
     where d.kind = 'ministry_department' and d.code = 'BCT.CKC'" \
   "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"

is "three regional centres under the department" \
   "select string_agg(c.code, ',' order by c.code) from orgs c join orgs d on d.id = c.parent_id
     where c.kind = 'regional_centre' and d.code = 'BCT.CKC'" \
   "BCT.CKC.TTKC1,BCT.CKC.TTKC2,BCT.CKC.TTKC3"

is "63 provinces valid 2008-08-01..2025-06-30 under the Ministry" \
   "select count(*) from orgs p join orgs m on m.id = p.parent_id and m.kind = 'ministry'
     where p.kind = 'province' and p.valid_from = '2008-08-01' and p.valid_to = '2025-06-30'" \
   "63"

is "34 provinces valid from 2025-07-01, open-ended, under the Ministry" \
   "select count(*) from orgs p join orgs m on m.id = p.parent_id and m.kind = 'ministry'
     where p.kind = 'province' and p.valid_from = '2025-07-01' and p.valid_to is null" \
   "34"

is "no other provinces" \
   "select count(*) from orgs where kind = 'province'" \
   "97"

is "every province has exactly one SCT and one TTKC, coded <pc>.SCT/<pc>.TTKC, with its validity" \
   "select count(*) from orgs p
     where p.kind = 'province'
       and (select count(*) from orgs c where c.parent_id = p.id and c.kind = 'province_department'
              and c.code = p.code || '.SCT' and c.province_code = p.province_code
              and c.valid_from = p.valid_from and c.valid_to is not distinct from p.valid_to) = 1
       and (select count(*) from orgs c where c.parent_id = p.id and c.kind = 'promotion_centre'
              and c.code = p.code || '.TTKC' and c.province_code = p.province_code
              and c.valid_from = p.valid_from and c.valid_to is not distinct from p.valid_to) = 1
       and (select count(*) from orgs c where c.parent_id = p.id) = 2" \
   "97"

is "names of provincial bodies (Vietnamese, NFC)" \
   "select string_agg(o.name, '|' order by o.valid_from, o.code) from orgs o
     where (o.code, o.valid_from) in (('02.SCT', '2008-08-01'), ('79.SCT', '2008-08-01'),
                                      ('77.TTKC', '2008-08-01'), ('01.SCT', '2025-07-01'),
                                      ('25.TTKC', '2025-07-01'), ('79', '2025-07-01'))
       and o.name = normalize(o.name, NFC)" \
   "Sở Công Thương Hà Giang|Trung tâm Khuyến công Bà Rịa - Vũng Tàu|Sở Công Thương Thành phố Hồ Chí Minh|Sở Công Thương Hà Nội|Trung tâm Khuyến công Phú Thọ|Thành phố Hồ Chí Minh"

is "TT 26/2014 regions on the 63-unit map: Bắc 28, Trung–TN 15, Nam 20; none on the 34-unit map" \
   "select string_agg(coalesce(region, '-') || ' ' || c, ', ' order by region) from (
      select region, count(*) c from orgs where kind = 'province' group by region) s" \
   "Bắc 28, Nam 20, Trung–TN 15, - 34"

is "every 63-unit province has exactly one lineage row, to a 34-unit province" \
   "select count(*) from orgs o
     where o.kind = 'province' and o.valid_from = '2008-08-01'
       and (select count(*) from org_lineage l join orgs n on n.id = l.new_org_id
             where l.old_org_id = o.id and n.kind = 'province' and n.valid_from = '2025-07-01'
               and l.effective = '2025-07-01') = 1" \
   "63"

is "63 lineage rows, into 34 distinct new provinces" \
   "select count(*) || ' ' || count(distinct new_org_id) from org_lineage" \
   "63 34"

is "new 25 Phú Thọ has 3 predecessors: 17 Hòa Bình, 25 Phú Thọ, 26 Vĩnh Phúc" \
   "select string_agg(o.code || ' ' || o.name, ', ' order by o.code) from org_lineage l
      join orgs o on o.id = l.old_org_id join orgs n on n.id = l.new_org_id
     where n.kind = 'province' and n.code = '25' and n.valid_from = '2025-07-01'" \
   "17 Tỉnh Hòa Bình, 25 Tỉnh Phú Thọ, 26 Tỉnh Vĩnh Phúc"

is "new provinces by number of predecessors: 11 with one, 17 with two, 6 with three" \
   "select string_agg(k || ':' || c, ' ' order by k) from (
      select k, count(*) c from (select count(*) k from org_lineage group by new_org_id) s group by k) t" \
   "1:11 2:17 3:6"

is "unchanged units map to themselves (old 01 Hà Nội -> new 01, old 46 -> new 46 Huế)" \
   "select string_agg(o.code || '>' || n.code, ' ' order by o.code) from org_lineage l
      join orgs o on o.id = l.old_org_id join orgs n on n.id = l.new_org_id
     where o.code in ('01', '46')" \
   "01>01 46>46"

refused "a code cannot repeat within one validity start" "duplicate key" \
   -c "insert into orgs (code, name, kind, province_code, valid_from)
       values ('25', 'x', 'province', '25', '2025-07-01')"

is "org_subtree(Ministry) is every organisation" \
   "select (select count(*) from org_subtree((select id from orgs where code = 'BCT')))
           = (select count(*) from orgs)" \
   "t"

is "org_subtree(new 25) is the province and its two bodies, root included" \
   "select string_agg(o.code, ',' order by o.code) from org_subtree(
      (select id from orgs where kind = 'province' and code = '25' and valid_from = '2025-07-01')) s
      join orgs o on o.id = s" \
   "25,25.SCT,25.TTKC"

is "org_subtree(department) is the department and the three centres" \
   "select count(*) from org_subtree((select id from orgs where code = 'BCT.CKC'))" \
   "4"

is "org_scope(new 25) adds the three old provinces and their bodies" \
   "select count(*) from org_scope(
      (select id from orgs where kind = 'province' and code = '25' and valid_from = '2025-07-01'))" \
   "12"

is "org_name_at follows the department's renames" \
   "select string_agg(org_name_at(id, d), ' / ' order by d) from orgs,
           unnest(array['2014-01-01', '2020-01-01', '2025-12-01']::date[]) d
     where code = 'BCT.CKC'" \
   "Cục Công nghiệp địa phương / Cục Công Thương địa phương / Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"

is "old 46 was Thừa Thiên Huế until 2024 and Huế in 2025" \
   "select org_name_at(id, '2024-06-01') || ' / ' || org_name_at(id, '2025-03-01') from orgs
     where kind = 'province_department' and code = '46.SCT' and valid_from = '2008-08-01'" \
   "Sở Công Thương Thừa Thiên Huế / Sở Công Thương Huế"

refused "overlapping name periods are refused" "overlap" \
   -c "insert into org_names (org_id, name, valid_from, confidence)
       select id, 'x', '2024-01-01', 'U' from orgs where code = 'BCT.CKC'"

if command -v python3 >/dev/null 2>&1; then
    if out=$(python3 "$top/scripts/gen-org-seed" --check "$top/sql/0001_organisations.sql" 2>&1); then
        pass "the seed in 0001 is the output of scripts/gen-org-seed"
    else
        fail "the seed in 0001 is the output of scripts/gen-org-seed" "$out"
    fi
else
    n=$((n + 1))
    echo "ok $n - # SKIP python3 not found: seed not compared with scripts/gen-org-seed"
fi

# ---------------------------------------------------------------------------
# Audit log: first as 0003 made it (rows sealed by an UPDATE of their own
# seq, prev_hash and hash), then moved by 0052 to the insert-only log and
# its chain table audit_chain; the chain sealed before 0052 must verify after.

zero="\\x$(printf '0%.0s' $(seq 64))"

is "an empty log: audit_head at seq 0 with 32 zero bytes, verify reports nothing" \
   "select seq || ' ' || hash::text || ' ' || (select count(*) from kc_audit_verify()) from audit_head" \
   "0 $zero 0"

is "0003: kc_audit returns the row's id 1, 2, 3; the rows are not chained yet" \
   "select kc_audit(1, 'lan', '192.0.2.1', 'project.update', 'project', 42, '{\"title\": \"Đề án A\"}', '{\"title\": \"Đề án B\"}');
    select kc_audit(null, null, null, 'auth.login', null, null, null, null);
    select kc_audit(2, 'minh', '192.0.2.2', 'plan.submit', 'plan', 7, null, 'null');
    select count(*) from audit_log where seq is null and hash is null" \
   "1
2
3
3"

is "0003: caller-supplied seq, at, prev_hash and hash are replaced" \
   "insert into audit_log (seq, at, method, prev_hash, hash)
    values (1000, '2000-01-01', 'x', '\\x00', '\\x00')
    returning id || ' ' || coalesce(seq::text, 'unsealed') || ' ' || (at > now() - interval '1 hour') || ' ' || coalesce(length(hash)::text, 'no hash')" \
   "4 unsealed true no hash"

is "0003: kc_audit_seal chains them in id order, seq 1 to 4, and the chain verifies" \
   "select kc_audit_seal();
    select string_agg(id || '=' || seq, ' ' order by id) from audit_log;
    select count(*) from kc_audit_verify()" \
   "4
1=1 2=2 3=3 4=4
0"

is "0003: kc_audit_payload distinguishes SQL NULL from JSON null and formats at in UTC" \
   "select kc_audit_payload(a) ~ '^\\[\"kc-audit-v1\", 3, \"[0-9-]{10}T[0-9:]{8}\\.[0-9]{6}Z\", 2, \"minh\", \"192.0.2.2\", \"plan.submit\", \"plan\", 7, null, \"null\"\\]$'
      from audit_log a where seq = 3" \
   "t"

q -c "select kc_audit(1, 'lan', null, 'legacy.unsealed', null, null, null, null)" >/dev/null
legacy=$(q -c "select string_agg(seq || ':' || id || ':' || encode(prev_hash, 'hex') || ':' || encode(hash, 'hex'), ' ' order by seq)
                 from audit_log where seq is not null")
legacy_payload=$(q -c "select kc_audit_payload(a) from audit_log a where seq = 3")

if out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" -1 -f "$top/sql/0052_audit_chain.sql" 2>&1); then
    pass "sql/0052_audit_chain.sql applies in one transaction over a sealed and an unsealed row"
else
    fail "sql/0052_audit_chain.sql applies in one transaction over a sealed and an unsealed row" "$out"
    bail "migration sql/0052_audit_chain.sql failed"
fi

is "0052 moves the chain of the sealed rows to audit_chain as it was" \
   "select string_agg(seq || ':' || audit_id || ':' || encode(prev_hash, 'hex') || ':' || encode(hash, 'hex'), ' ' order by seq)
      from audit_chain" \
   "$legacy"

is "the rows sealed before 0052 verify; audit_log has no chain column left" \
   "select count(*) from kc_audit_verify();
    select count(*) from information_schema.columns
     where table_name = 'audit_log' and column_name in ('seq', 'prev_hash', 'hash')" \
   "0
0"

is "the payload (kc-audit-v1) is the same text with the seq from the chain row" \
   "select kc_audit_payload(a, c.seq) from audit_chain c join audit_log a on a.id = c.audit_id where c.seq = 3" \
   "$legacy_payload"

is "the row left unsealed by 0003 is sealed by 0052's kc_audit_seal, as seq 5" \
   "select kc_audit_seal();
    select c.seq from audit_chain c join audit_log a on a.id = c.audit_id where a.method = 'legacy.unsealed';
    select count(*) from kc_audit_verify()" \
   "1
5
0"

unchained="select count(*) from audit_log a where not exists (select 1 from audit_chain c where c.audit_id = a.id)"

is "kc_audit returns ids after 0003's (6, 7); the rows are in no chain row yet" \
   "select kc_audit(1, 'lan', '192.0.2.1', 'project.update', 'project', 42, '{\"title\": \"B\"}', '{\"title\": \"C\"}');
    select kc_audit(2, 'minh', null, 'auth.login', null, null, null, null);
    $unchained" \
   "6
7
2"

is "caller-supplied id and at are replaced" \
   "insert into audit_log (id, at, method) values (1000, '2000-01-01', 'x')
    returning id || ' ' || (at > now() - interval '1 hour')" \
   "8 true"

is "unsealed rows are not in the chain yet: verify reports nothing" \
   "select count(*) from kc_audit_verify()" \
   "0"

is "kc_audit_seal chains them in id order, seq 6 to 8, in one batch; a second call has nothing to do" \
   "select kc_audit_seal();
    select string_agg(audit_id || '=' || seq, ' ' order by seq) from audit_chain where seq > 5;
    select kc_audit_seal();
    $unchained" \
   "3
6=6 7=7 8=8
0
0"

is "the first row's prev_hash is 32 zero bytes, each later one the previous hash" \
   "select count(*) = (select count(*) from audit_chain)
      from (select prev_hash, lag(hash) over (order by seq) h from audit_chain) s
     where prev_hash = coalesce(h, '$zero'::bytea)" \
   "t"

is "hash = sha256(prev_hash || kc_audit_payload(row, seq))" \
   "select count(*) = (select count(*) from audit_chain)
      from audit_chain c join audit_log a on a.id = c.audit_id
     where c.hash = sha256(c.prev_hash || convert_to(kc_audit_payload(a, c.seq), 'UTF8'))" \
   "t"

is "audit_head matches the last chain row and the chain verifies" \
   "select (select count(*) from kc_audit_verify()) || ' ' || (h.seq = c.seq and h.hash = c.hash)
      from audit_head h, audit_chain c where c.seq = 8" \
   "0 true"

is "verification does not depend on TimeZone or DateStyle" \
   "set timezone = 'Asia/Ho_Chi_Minh'; set datestyle = 'German, DMY'; select count(*) from kc_audit_verify()" \
   "0"

q -c "update audit_head set scan_next = scan_from" >/dev/null
is "a seal with nothing to do writes nothing (no transaction id)" \
   "begin; select kc_audit_seal(); select pg_current_xact_id_if_assigned() is null; commit" \
   "0
t"

# A generic plan of the seal's window queries read all of audit_log or
# audit_chain at every call (0.2-0.6 s at 950,000 rows): each call is
# planned for its window, with nested loops (docs/performance.md, "The
# audit chain in its own table").
is "the seal and its triggers are planned per call, with nested loops over the window" \
   "select string_agg(proname || ' ' || array_to_string(proconfig, ','), '; ' order by proname) from pg_proc
     where proname in ('kc_audit_seal', 'audit_chain_check', 'audit_head_guard')" \
   "audit_chain_check enable_hashjoin=off,enable_mergejoin=off,max_parallel_workers_per_gather=0,plan_cache_mode=force_custom_plan; audit_head_guard enable_hashjoin=off,enable_mergejoin=off,max_parallel_workers_per_gather=0,plan_cache_mode=force_custom_plan; kc_audit_seal enable_hashjoin=off,enable_mergejoin=off,max_parallel_workers_per_gather=0,plan_cache_mode=force_custom_plan"

refused "kc_audit_seal refuses REPEATABLE READ (its statements need their own snapshots)" "READ COMMITTED only" \
   -c "begin isolation level repeatable read" -c "select kc_audit_seal()"

q -c "begin" -c "select kc_audit(1, 'lan', null, 'x.rolled_back', null, null, null, null)" -c "rollback" \
    >/dev/null 2>&1
is "a rolled-back insert leaves no gap in seq (its id is gone)" \
   "select kc_audit(1, 'lan', null, 'after.rollback', null, null, null, null);
    select kc_audit_seal();
    select c.seq from audit_chain c join audit_log a on a.id = c.audit_id where a.method = 'after.rollback'" \
   "10
1
9"

q >/dev/null 2>&1 <<'EOF'
begin;
select kc_audit(1, 'sp', null, 'sp.a', null, null, null, null);
savepoint s1;
select kc_audit(1, 'sp', null, 'sp.gone', null, null, null, null);
select kc_audit(1, 'sp', null, 'sp.gone', null, null, null, null);
rollback to savepoint s1;
savepoint s2;
\set ON_ERROR_STOP 0
insert into audit_log (method) values (null);
\set ON_ERROR_STOP 1
rollback to savepoint s2;
select kc_audit(1, 'sp', null, 'sp.b', null, null, null, null);
commit;
select kc_audit_seal();
EOF
is "savepoints: rolled-back and failed inserts leave no gap (chain continues 10, 11)" \
   "select string_agg(c.seq || ':' || a.method, ' ' order by c.seq) || ' ' || (select count(*) from kc_audit_verify())
      from audit_chain c join audit_log a on a.id = c.audit_id where c.seq >= 10" \
   "10:sp.a 11:sp.b 0"

is "10,000 rows in one transaction chain correctly, in one batch" \
   "select count(kc_audit(3, 'bulk', null, 'bulk.insert', 'project', g, null, jsonb_build_object('g', g)))
      from generate_series(1, 10000) g;
    select kc_audit_seal() = 10000;
    select max(seq) = count(*) and count(*) = (select count(*) from audit_log) from audit_chain;
    select count(*) from kc_audit_verify()" \
   "10000
t
t
0"

# Each seal in its own transaction: the watermark moves once every
# transaction older than the previous seal's snapshot has ended (another
# test's, in another database of the cluster, may hold it back a while).
i=0
while [ "$(q -c "select kc_audit_seal()" -c "select scan_from >= (select max(id) from audit_log) from audit_head" |
           tail -n 1)" != t ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
is "the scan watermark reaches the last id once the inserts have ended" \
   "select scan_from >= (select max(id) from audit_log) from audit_head" \
   "t"

refused "UPDATE on audit_log is refused" "append-only" \
   -c "update audit_log set after = '{}' where id = 1"
refused "UPDATE on audit_log is refused even when it changes nothing" "append-only" \
   -c "update audit_log set method = method where false"
refused "DELETE on audit_log is refused" "append-only" \
   -c "delete from audit_log where id = 1"
refused "DELETE on audit_log is refused even when it matches no row" "append-only" \
   -c "delete from audit_log where false"
refused "TRUNCATE on audit_log is refused" "append-only" \
   -c "truncate audit_log"
refused "UPDATE on audit_chain is refused" "audit chain is append-only" \
   -c "update audit_chain set hash = hash where false"
refused "DELETE on audit_chain is refused" "audit chain is append-only" \
   -c "delete from audit_chain where seq = 1"
refused "TRUNCATE on audit_chain is refused" "audit chain is append-only" \
   -c "truncate audit_chain"

# Direct inserts into audit_chain: only a correct continuation passes.
q -c "select kc_audit(1, 'lan', null, 'x.direct', null, null, null, null)" >/dev/null
direct="(select id from audit_log where method = 'x.direct')"
refused "INSERT on audit_chain with a wrong hash is refused" "does not continue the chain" \
   -c "insert into audit_chain select h.seq + 1, $direct, h.hash, sha256('forged') from audit_head h"
refused "INSERT on audit_chain with a wrong prev_hash is refused" "does not continue the chain" \
   -c "insert into audit_chain select h.seq + 1, a.id, sha256('x'), sha256(sha256('x') || convert_to(kc_audit_payload(a, h.seq + 1), 'UTF8'))
         from audit_head h, audit_log a where a.id = $direct"
refused "INSERT on audit_chain after a gap is refused" "does not continue the chain" \
   -c "insert into audit_chain select h.seq + 2, a.id, h.hash, sha256(h.hash || convert_to(kc_audit_payload(a, h.seq + 2), 'UTF8'))
         from audit_head h, audit_log a where a.id = $direct"
refused "INSERT on audit_chain for no audit row is refused" "does not continue the chain" \
   -c "insert into audit_chain select h.seq + 1, -5, h.hash, sha256('x') from audit_head h"
refused "INSERT on audit_chain of a row already chained is refused" "duplicate key" \
   -c "insert into audit_chain select h.seq + 1, a.id, h.hash, sha256(h.hash || convert_to(kc_audit_payload(a, h.seq + 1), 'UTF8'))
         from audit_head h, audit_log a where a.id = 1"
refused "INSERT on audit_chain at a seq already taken is refused" "duplicate key" \
   -c "insert into audit_chain select c.seq, a.id, c.prev_hash, sha256(c.prev_hash || convert_to(kc_audit_payload(a, c.seq), 'UTF8'))
         from audit_chain c, audit_log a where c.seq = 3 and a.id = $direct"
is "a correct continuation inserted directly is a seal: accepted, audit_head follows" \
   "insert into audit_chain select h.seq + 1, a.id, h.hash, sha256(h.hash || convert_to(kc_audit_payload(a, h.seq + 1), 'UTF8'))
      from audit_head h, audit_log a where a.id = $direct;
    select (h.seq = c.seq and h.hash = c.hash) || ' ' || (select count(*) from kc_audit_verify())
      from audit_head h, audit_chain c where c.audit_id = $direct" \
   "true 0"

refused "UPDATE on audit_head is refused" "audit_head is not allowed" \
   -c "update audit_head set seq = 0"
refused "UPDATE on audit_head to an earlier chain row is refused" "audit_head is not allowed" \
   -c "update audit_head h set seq = c.seq, hash = c.hash from audit_chain c where c.seq = 3"
refused "UPDATE on audit_head is refused even with kc.audit_head_update set" "audit_head is not allowed" \
   -1 -c "set local kc.audit_head_update = 'on'" -c "update audit_head set hash = sha256('x')"
q -c "select kc_audit(1, 'lan', null, 'x.skipped', null, null, null, null)" >/dev/null
refused "UPDATE on audit_head moving the scan watermark past an unchained row is refused" "audit_head is not allowed" \
   -c "update audit_head set scan_from = scan_from + 1000000"
is "(sealed)" "select kc_audit_seal()" "1"
refused "INSERT on audit_head is refused" "audit_head is not allowed" \
   -c "insert into audit_head (id, seq, hash) values (2, 0, '$zero')"
refused "DELETE on audit_head is refused" "audit_head is not allowed" \
   -c "delete from audit_head"
refused "TRUNCATE on audit_head is refused" "audit_head is not allowed" \
   -c "truncate audit_head"

# Concurrency: four sessions wait behind an advisory lock held by a fifth,
# which lets them go at once when all four are waiting; each then appends
# 200 rows, one transaction per row, so their transactions interleave, and
# seals (without waiting, like the servers) after every tenth.
before=$(q -c "select count(*) from audit_log")
barrier=727001
workers=4
per_worker=200
q -c "select pg_advisory_lock($barrier)" \
  -c "do \$\$ begin
        for i in 1 .. 3000 loop
          exit when (select count(*) from pg_locks
                      where locktype = 'advisory' and objid = $barrier and not granted
                        and database = (select oid from pg_database where datname = current_database())) >= $workers;
          perform pg_sleep(0.01);
        end loop;
      end \$\$" \
  -c "select pg_advisory_unlock($barrier)" >"$tmp/holder.out" 2>&1 &
holder=$!
i=0
while [ "$(q -c "select count(*) from pg_locks where locktype = 'advisory' and objid = $barrier and granted")" != 1 ] &&
      [ $i -lt 500 ]; do
    sleep 0.01
    i=$((i + 1))
done
pids=
w=1
while [ $w -le $workers ]; do
    {
        echo "select pg_advisory_lock_shared($barrier);"
        echo "select pg_advisory_unlock_shared($barrier);"
        k=1
        while [ $k -le $per_worker ]; do
            echo "select kc_audit($w, 'worker$w', 'test', 'test.concurrent', 'worker', $k, null, '{\"k\": $k}');"
            [ $((k % 10)) = 0 ] && echo "select kc_audit_seal(false);"
            k=$((k + 1))
        done
    } >"$tmp/worker$w.sql"
    PGOPTIONS="-c statement_timeout=120s" \
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" -tA -f "$tmp/worker$w.sql" >"$tmp/worker$w.out" 2>&1 &
    pids="$pids $!"
    w=$((w + 1))
done
worker_failures=
w=1
for pid in $pids; do
    wait "$pid" || worker_failures="$worker_failures worker$w: $(tail -n 3 "$tmp/worker$w.out")"
    w=$((w + 1))
done
wait "$holder" || worker_failures="$worker_failures holder: $(cat "$tmp/holder.out")"
if [ -z "$worker_failures" ]; then
    pass "$workers concurrent sessions appended $per_worker rows each without error"
else
    fail "$workers concurrent sessions appended $per_worker rows each without error" "$worker_failures"
fi

q -c "select kc_audit_seal()" >/dev/null
is "after the concurrent run: $((workers * per_worker)) more rows, seq gapless, chain intact" \
   "select (count(*) - $before) || ' ' || ((select max(seq) from audit_chain) = count(*))
           || ' ' || (select count(*) from kc_audit_verify())
      from audit_log" \
   "$((workers * per_worker)) true 0"

is "every row is sealed" "$unchained" "0"

switches=$(q -c "select count(*) from (select a.username is distinct from lag(a.username) over (order by c.seq) sw
                                       from audit_chain c join audit_log a on a.id = c.audit_id
                                      where a.method = 'test.concurrent') s where sw")
echo "# the concurrent sessions' rows interleave: $switches switches between sessions in seq order"

# Tampering by someone who can disable triggers (the table owner or a
# superuser): each change must show up in kc_audit_verify().
k=100
kid=$(q -c "select audit_id from audit_chain where seq = $k")
q -c "create table kc_test_saved as select * from audit_log where id = $kid" \
  -c "create table kc_test_saved_chain as select * from audit_chain where seq in ($k, $((k + 1)))" >/dev/null
behind () {   # behind TABLE SQL...: statements with TABLE's triggers disabled
    t=$1
    shift
    set -- -c "alter table $t disable trigger user" "$@"
    q -1 "$@" -c "alter table $t enable trigger user" >/dev/null
}
restore_k () {
    behind audit_log -c "delete from audit_log where id = $kid" -c "insert into audit_log select * from kc_test_saved"
    behind audit_chain -c "delete from audit_chain where seq in ($k, $((k + 1)))" \
        -c "insert into audit_chain select * from kc_test_saved_chain"
}

behind audit_log -c "update audit_log set after = '{\"title\": \"sửa trộm\"}' where id = $kid"
is "a row changed behind the triggers is reported with its seq" \
   "select first_bad_seq || ': ' || reason from kc_audit_verify()" \
   "$k: hash does not match the row's content"

restore_k
is "restoring the row makes the chain verify again" \
   "select count(*) from kc_audit_verify()" \
   "0"

behind audit_log -c "update audit_log set after = '{\"title\": \"sửa trộm\"}' where id = $kid"
behind audit_chain -c "update audit_chain c set hash = sha256(c.prev_hash || convert_to(kc_audit_payload(a, c.seq), 'UTF8'))
                         from audit_log a where a.id = c.audit_id and c.seq = $k"
is "a changed row with a recomputed hash breaks the link to the next row" \
   "select first_bad_seq || ': ' || reason from kc_audit_verify()" \
   "$((k + 1)): prev_hash does not match the hash of seq $k"

restore_k
behind audit_log -c "delete from audit_log where id = $kid"
is "a deleted audit row is reported at its seq" \
   "select first_bad_seq || ': ' || reason from kc_audit_verify()" \
   "$k: the audit row of seq $k is missing"

restore_k
behind audit_chain -c "delete from audit_chain where seq = $k"
is "a deleted chain row is reported as missing" \
   "select first_bad_seq || ': ' || reason from kc_audit_verify()" \
   "$k: seq $k to $k missing"

restore_k
behind audit_chain -c "update audit_chain set audit_id = -audit_id where seq in ($k, $((k + 1)))" \
    -c "update audit_chain set audit_id = (select audit_id from kc_test_saved_chain where seq = $((k + 1))) where seq = $k" \
    -c "update audit_chain set audit_id = (select audit_id from kc_test_saved_chain where seq = $k) where seq = $((k + 1))"
is "two chain rows swapped between audit rows are reported" \
   "select first_bad_seq || ': ' || reason from kc_audit_verify()" \
   "$k: hash does not match the row's content"

restore_k
is "(restored)" "select count(*) from kc_audit_verify()" "0"

behind audit_log -c "insert into audit_log (id, at, method) values (-1, now(), 'x.forged')"
is "an audit row inserted behind the triggers below the sealed rows is reported" \
   "select first_bad_seq || ': ' || reason from kc_audit_verify()" \
   "1: audit row id -1 is in no chain row, below the sealed rows"
is "and the seal does not chain it" "select kc_audit_seal(); select count(*) from kc_audit_verify()" "0
1"
behind audit_log -c "delete from audit_log where id = -1"
q -c "drop table kc_test_saved" -c "drop table kc_test_saved_chain" >/dev/null

last=$(q -c "select max(seq) from audit_chain")
q -c "create table kc_test_saved as select * from audit_chain where seq = $last" >/dev/null
behind audit_chain -c "delete from audit_chain where seq = $last"
is "a chain row cut off the end is reported through audit_head" \
   "select first_bad_seq || ': ' || reason from kc_audit_verify()" \
   "$last: audit_head is at seq $last but the last row is seq $((last - 1)): rows missing at the end"

behind audit_chain -c "insert into audit_chain select * from kc_test_saved"
q -c "drop table kc_test_saved" >/dev/null
is "(restored)" "select count(*) from kc_audit_verify()" "0"

behind audit_head -c "update audit_head set hash = sha256('forged')"
is "a rewritten audit_head is reported" \
   "select first_bad_seq || ': ' || reason from kc_audit_verify()" \
   "$last: audit_head hash does not match the hash of the last row"

behind audit_head -c "delete from audit_head"
is "a deleted audit_head is reported" \
   "select first_bad_seq || ': ' || reason from kc_audit_verify()" \
   "$last: audit_head has no row"

# The project status trigger (tests/sql/test-transitions.sql) on a second
# database with every migration applied: each "ok - …" / "not ok - …" line
# it prints is one test here.
db_tr="${db}_tr"
if psql -X -q -d "$admin_db" -c "create database \"$db_tr\" template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'" \
        >/dev/null 2>"$tmp/err"; then
    migrated=1
    # one transaction per version: a migration split into parts
    # (NNNN_name.1.sql, .2.sql, …) runs as their concatenation, as kc-server does
    for v in $(cd "$top/sql" && ls [0-9][0-9][0-9][0-9]_*.sql | cut -c1-4 | sort -u); do
        files=$(ls "$top"/sql/"$v"_*.sql | sort -V)
        # shellcheck disable=SC2086
        if ! out=$(cat $files | psql -X -q -v ON_ERROR_STOP=1 -d "$db_tr" -1 -f - 2>&1); then
            fail "migration $v applies (for the transition tests)" "$out"
            migrated=0
            break
        fi
    done
    if [ "$migrated" = 1 ]; then
        # test-project-list.sql (sql/0027's kc_project_list against 0005's
        # query) runs after the transitions, on the same database.
        for t in transitions project-list; do
            if out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db_tr" -tA -f "$here/test-$t.sql" 2>&1); then
                while IFS= read -r line; do
                    case $line in
                        "ok - "*) pass "$t: ${line#ok - }" ;;
                        "not ok - "*) fail "$t: ${line#not ok - }" ;;
                        "") ;;
                        *) echo "# $line" ;;
                    esac
                done <<EOF_TR
$out
EOF_TR
            else
                fail "tests/sql/test-$t.sql runs" "$out"
            fi
        done
    fi
else
    fail "create the database for the transition tests" "$(cat "$tmp/err")"
fi

echo "1..$n"
if [ "$failed" -gt 0 ]; then
    echo "# FAILED $failed of $n tests"
    exit 1
fi
echo "# all $n tests passed"
exit 0
