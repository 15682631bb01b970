# shellcheck shell=bash
#
# tests/deploy/pg.sh — PostgreSQL 15 clusters for the deploy tests, set up
# the way an operator would (postgresql.conf, pg_basebackup, promote), not
# through tests/support/pg-cluster, which knows only one stand-alone
# cluster. Every cluster runs as the postgres user, listens on 127.0.0.1 and
# on a socket in its own directory; its data is DIR/data.
#
#   kcd_pg_init DIR [CONF_LINE…]   initdb (trust), port chosen free, lines appended
#   kcd_pg_start DIR / kcd_pg_stop DIR
#   kcd_pg_kill DIR                SIGKILL the postmaster: the host "dies"
#   kcd_pg_port DIR                its port;  kcd_pg_sql DIR [DB] SQL  psql -Atq
#   kcd_pg_standby PRIMARY DIR NAME  pg_basebackup -R of PRIMARY, streaming as NAME

KC_PG_BIN=${KC_PG_BIN:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}

kcd_pg_as() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

kcd_pg_conf() {
  local dir=$1
  shift
  printf '%s\n' "$@" | kcd_pg_as tee -a "$dir/data/postgresql.conf" >/dev/null
}

kcd_pg_init() {
  local dir=$1 port
  shift
  mkdir -p "$dir/sock"
  chmod 755 "$dir"
  ((EUID == 0)) && chown postgres: "$dir" "$dir/sock"
  kcd_pg_as "$KC_PG_BIN/initdb" -D "$dir/data" --auth=trust -U postgres --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  port=$(kc_free_port)
  kcd_pg_conf "$dir" "port = $port" "listen_addresses = '127.0.0.1'" \
    "unix_socket_directories = '$dir/sock'" "$@"
  printf 'host replication all 127.0.0.1/32 trust\n' \
    | kcd_pg_as tee -a "$dir/data/pg_hba.conf" >/dev/null
}

kcd_pg_port() {
  sed -n "s/^port = \([0-9]*\)$/\1/p" "$1/data/postgresql.conf" | tail -n 1
}

kcd_pg_start() {
  kcd_pg_as "$KC_PG_BIN/pg_ctl" start -D "$1/data" -l "$1/postgres.log" -w -t 60 -s \
    || { tail -20 "$1/postgres.log" >&2; return 1; }
}

kcd_pg_stop() {
  [[ -f $1/data/postmaster.pid ]] || return 0
  kcd_pg_as "$KC_PG_BIN/pg_ctl" stop -D "$1/data" -m fast -w -t 60 -s || true
}

kcd_pg_kill() {
  local pid
  pid=$(head -n 1 "$1/data/postmaster.pid")
  kill -9 "$pid"
  # The backends die with it once they see the postmaster gone; a host
  # that died has no processes left at all.
  pkill -9 -P "$pid" 2>/dev/null || true
}

kcd_pg_sql() {
  local dir=$1 db=postgres
  if (($# == 3)); then db=$2; shift; fi
  "$KC_PG_BIN/psql" -X -Atq -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$(kcd_pg_port "$dir")" \
    -U postgres -d "$db" -c "$2"
}

kcd_pg_standby() {
  local primary=$1 dir=$2 name=$3 port
  mkdir -p "$dir/sock"
  chmod 755 "$dir"
  ((EUID == 0)) && chown postgres: "$dir" "$dir/sock"
  kcd_pg_as "$KC_PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$(kcd_pg_port "$primary")" -U postgres \
    -D "$dir/data" -R --checkpoint=fast --wal-method=stream \
    -d "application_name=$name" >"$dir/basebackup.log" 2>&1 \
    || { cat "$dir/basebackup.log" >&2; return 1; }
  port=$(kc_free_port)
  kcd_pg_conf "$dir" "port = $port" "unix_socket_directories = '$dir/sock'"
}
