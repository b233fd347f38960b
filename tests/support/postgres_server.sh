#!/usr/bin/env bash
# postgres_server.sh — a throwaway PostgreSQL server for the collector's
# PostgreSQL tests (a CTest fixture: tests/CMakeLists.txt). Debian's
# postgresql package (scripts/install-deps) provides initdb and pg_ctl; the
# cluster lives in a fresh folder under /tmp, listens only on a Unix socket
# in that folder (no port to collide on) and is deleted by `stop`.
#   postgres_server.sh start STATE_DIR   writes STATE_DIR/url (a postgresql:// URL)
#   postgres_server.sh stop STATE_DIR    stops the server and deletes its folder
#                                        (its log is kept as STATE_DIR/server.log)
# As root the server runs as Debian's `postgres` user (initdb refuses root).
set -euo pipefail
# The server is named by the URL written below, never by the caller's PG* variables.
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGOPTIONS PGSERVICE
command=${1:?start or stop}
state=${2:?state folder}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "postgres_server: no initdb under /usr/lib/postgresql; run scripts/install-deps" >&2; exit 1; }
as_server=()
if [ "$(id -u)" -eq 0 ]; then as_server=(runuser -u postgres --); fi

stop() {
  [ -f "$state/dir" ] || return 0
  local dir
  dir=$(cat "$state/dir")
  if [ -d "$dir/data" ]; then
    "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  # The server's log stays beside the state for a failed test to be read.
  cp "$dir/server.log" "$state/server.log" 2>/dev/null || true
  rm -rf "$dir" "$state/dir" "$state/url"
}

case "$command" in
  start)
    stop
    mkdir -p "$state"
    dir=$(mktemp -d /tmp/pulse-pg.XXXXXX)
    chmod 755 "$dir"
    echo "$dir" >"$state/dir"
    [ ${#as_server[@]} -eq 0 ] || chown postgres: "$dir"
    if ! "${as_server[@]}" "$bindir/initdb" -D "$dir/data" -U pulse --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
         --no-sync >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2; echo "postgres_server: initdb failed" >&2; exit 1
    fi
    # Test settings: no TCP, socket in $dir; durability off (tests never pull the plug).
    if ! "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
         start >/dev/null; then
      cat "$dir/server.log" >&2; echo "postgres_server: the server did not start" >&2; exit 1
    fi
    "${as_server[@]}" "$bindir/createdb" -h "$dir" -U pulse pulse_test
    echo "postgresql://pulse@/pulse_test?host=$dir" >"$state/url"
    echo "postgres_server: $(cat "$state/url")"
    ;;
  stop) stop ;;
  *) echo "postgres_server: unknown command $command (start or stop)" >&2; exit 2 ;;
esac
