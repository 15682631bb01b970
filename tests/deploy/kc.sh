# shellcheck shell=bash
#
# tests/deploy/kc.sh — kc-server and kc-cli for the deploy tests: the build
# tree's binaries ($KC_SERVER, $KC_CLI, as meson sets them), certificates
# from scripts/lib.sh, one configuration file per server.
#
#   kcd_server_conf FILE PORT CONNINFO [LINE…]  write a configuration
#   kcd_server_start CONF LOG                   start in the background, wait
#                                               for "listening"; sets KCD_PID
#   kcd_cli HOME ARGS…                          kc-cli, its session kept in HOME
#   kcd_login HOME HOST:PORT USER PASSWORD      kc-cli login

KC_SERVER=${KC_SERVER:-${KC_BUILD_ROOT:-$KC_ROOT/build}/server/kc-server}
KC_CLI=${KC_CLI:-${KC_BUILD_ROOT:-$KC_ROOT/build}/cli/kc-cli}
[[ -x $KC_SERVER && -x $KC_CLI ]] || kc_die "kc-server/kc-cli not built ($KC_SERVER, $KC_CLI)"

kcd_server_conf() {
  local file=$1 port=$2 conninfo=$3 certs
  shift 3
  certs=$(dirname -- "$file")/certs
  [[ -f $certs/server.pem ]] || kc_make_certs "$certs" >/dev/null 2>&1
  {
    printf '[server]\nlisten=127.0.0.1\nport=%s\ncert=%s\nkey=%s\n' \
      "$port" "$certs/server.pem" "$certs/server.key"
    printf '[auth]\ncommon_passwords=%s\n' "$KC_ROOT/server/data/common-passwords.txt"
    printf '[database]\nconninfo=%s\npool_size=2\n' "$conninfo"
    if (($#)); then printf "%s\n" "$@"; fi
  } >"$file"
}

kcd_server_start() {
  local conf=$1 log=$2
  "$KC_SERVER" --config "$conf" >>"$log" 2>&1 </dev/null &
  KCD_PID=$!
  for _ in $(seq 1 150); do
    grep -q 'kc-server listening' "$log" && return 0
    kill -0 "$KCD_PID" 2>/dev/null || break
    sleep 0.2
  done
  tail -20 "$log" >&2
  kc_die "kc-server ($conf) did not start"
}

kcd_cli() {
  local home=$1
  shift
  mkdir -p "$home"
  # $KC_SERVER is kc-cli's default server address, and ours (as meson's)
  # the binary: kc-cli must not see it, nor a $KC_CA of the caller's.
  env -u KC_SERVER -u KC_CA HOME="$home" XDG_CONFIG_HOME="$home/.config" \
    XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.state" XDG_DATA_HOME="$home/.local" \
    "$KC_CLI" "$@"
}

kcd_login() {
  local home=$1 server=$2 user=$3 password=$4 ca
  ca=${KCD_CA:?KCD_CA: the CA of the servers}
  printf '%s\n' "$password" | kcd_cli "$home" --server "$server" --ca "$ca" login "$user" >/dev/null
}
