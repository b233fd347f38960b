#!/usr/bin/env bash
# postgres_server.sh — a throwaway PostgreSQL server for the collector's
# PostgreSQL tests (a CTest fixture: tests/CMakeLists.txt). Debian's
# postgresql package (scripts/install-deps) provides initdb and pg_ctl; the
# cluster lives in a fresh folder under /tmp, listens only on a Unix socket
# in that folder (no port to collide on) and is deleted by `stop`.
#   postgres_server.sh start STATE_DIR   writes STATE_DIR/url (a postgresql:// URL)
#   postgres_server.sh stop STATE_DIR    stops the server and deletes its folder
#                                        (its log is kept as STATE_DIR/server.log)
# For the outage tests (tests/collector/test_outage*.cpp), on a server of
# their own, never the shared fixture's:
#   postgres_server.sh halt STATE_DIR [fast|immediate]
#                                        stops the server, keeping its data and URL:
#                                        fast (default) ends the sessions cleanly,
#                                        immediate as in a crash (recovery on resume)
#   postgres_server.sh resume STATE_DIR  starts a halted server again (nothing when it
#                                        runs); returns once it accepts connections
#   postgres_server.sh freeze STATE_DIR  SIGSTOPs the server and every backend: it
#                                        accepts nothing and answers nothing
#   postgres_server.sh thaw STATE_DIR    SIGCONTs them (stop and halt thaw first)
# As root the server runs as Debian's `postgres` user (initdb refuses root).
set -euo pipefail
# The server is named by the URL written below, never by the caller's PG* variables.
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGOPTIONS PGSERVICE
command=${1:?start, stop, halt, resume, freeze or thaw}
state=${2:?state folder}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "postgres_server: no initdb under /usr/lib/postgresql; run scripts/install-deps" >&2; exit 1; }
as_server=()
if [ "$(id -u)" -eq 0 ]; then as_server=(runuser -u postgres --); fi

# Test settings: no TCP, socket in the cluster's folder; durability off
# (tests never pull the plug; a server crash still keeps what the collector
# acknowledged: its sessions turn synchronous_commit back on).
server_options() {
  echo "-c listen_addresses='' -k $1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
}

# Sends signal to the postmaster first (stopped, it forks no more backends),
# then to its children (the backends); nothing when the server is not running.
signal_server() {
  local dir pid child
  dir=$(cat "$state/dir")
  [ -f "$dir/data/postmaster.pid" ] || return 0
  pid=$(head -1 "$dir/data/postmaster.pid")
  kill "-$1" "$pid" 2>/dev/null || return 0
  for child in $(ps -o pid= --ppid "$pid" || true); do kill "-$1" "$child" 2>/dev/null || true; done
}

stop() {
  [ -f "$state/dir" ] || return 0
  local dir
  dir=$(cat "$state/dir")
  signal_server CONT
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
    if ! "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "$(server_options "$dir")" start >/dev/null; then
      cat "$dir/server.log" >&2; echo "postgres_server: the server did not start" >&2; exit 1
    fi
    "${as_server[@]}" "$bindir/createdb" -h "$dir" -U pulse pulse_test
    echo "postgresql://pulse@/pulse_test?host=$dir" >"$state/url"
    echo "postgres_server: $(cat "$state/url")"
    ;;
  stop) stop ;;
  halt|resume|freeze|thaw)
    [ -f "$state/dir" ] || { echo "postgres_server: no server in $state; start one first" >&2; exit 1; }
    dir=$(cat "$state/dir")
    case "$command" in
      halt)
        signal_server CONT
        mode=${3:-fast}
        [ "$mode" = fast ] || [ "$mode" = immediate ] || { echo "postgres_server: halt mode $mode (fast or immediate)" >&2; exit 2; }
        "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -m "$mode" -w -t 60 stop >/dev/null
        ;;
      resume)
        "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 && exit 0
        if ! "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
             -o "$(server_options "$dir")" start >/dev/null; then
          cat "$dir/server.log" >&2; echo "postgres_server: the server did not start again" >&2; exit 1
        fi
        ;;
      freeze) signal_server STOP ;;
      thaw) signal_server CONT ;;
    esac
    ;;
  *) echo "postgres_server: unknown command $command (start, stop, halt, resume, freeze or thaw)" >&2; exit 2 ;;
esac
