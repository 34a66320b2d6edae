#!/usr/bin/env bash
# A private PostgreSQL 15 server for the tests: its own cluster in DIR, listening on
# 127.0.0.1:PORT only (and a unix socket in DIR), trusting every local connection.
# Throwaway: nothing in it is worth keeping.
#   pg_server.sh start DIR PORT   creates the cluster when DIR has none, starts it, creates the
#                                 database `roundtable` anew, prints its URL
#   pg_server.sh stop DIR         stops it (fast); succeeds if it is not running
# As root the server runs as Debian's `postgres` user (PostgreSQL refuses root), so DIR
# must be a path that user can reach: keep it under /tmp. The superuser is always named
# `postgres` (initdb -U), so the URL does not depend on who ran this.
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
usage() { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1
dir=$2
[ -x "$BIN/pg_ctl" ] || { echo "$0: no PostgreSQL 15 in $BIN (scripts/install-deps.sh test installs it)" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ]; then
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi
cd /  # the server user may not be allowed into the caller's folder
running() { [ -f "$dir/postmaster.pid" ] && as_owner "$BIN/pg_ctl" status -D "$dir" >/dev/null 2>&1; }

case $cmd in
  start)
    [ $# -eq 3 ] || usage
    port=$3
    [[ $port =~ ^[0-9]+$ ]] || usage
    if running; then
      # Line 4 of postmaster.pid is the port it listens on.
      actual=$(sed -n 4p "$dir/postmaster.pid")
      [ "$actual" = "$port" ] || { echo "$0: the server in $dir already runs on port $actual, not $port" >&2; exit 1; }
    else
      if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        chmod 700 "$dir"
        [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
        out=$(as_owner "$BIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 2>&1) ||
          { echo "$out" >&2; exit 1; }
        cat >>"$dir/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = on
max_connections = 300
shared_buffers = 128MB
EOF
      fi
      if ! as_owner "$BIN/pg_ctl" start -w -t 60 -D "$dir" -l "$dir/log" -o "-p $port" >/dev/null; then
        echo "$0: the server did not start; the end of $dir/log:" >&2
        tail -n 20 "$dir/log" >&2
        exit 1
      fi
    fi
    as_owner "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 ||
      { echo "$0: the server on port $port does not accept connections" >&2; exit 1; }
    psql() { as_owner "$BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
    # A fresh database for each run: every test leaves a schema behind, and a catalog
    # grown over many runs made each test's connections ten times slower.
    psql -c "DROP DATABASE IF EXISTS roundtable WITH (FORCE)"
    psql -c "CREATE DATABASE roundtable"
    echo "postgresql://postgres@127.0.0.1:$port/roundtable"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    if running; then as_owner "$BIN/pg_ctl" stop -w -D "$dir" -m fast >/dev/null; fi
    ;;
  *) usage ;;
esac
