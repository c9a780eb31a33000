#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests: initdb in a temporary folder, trust on 127.0.0.1 except for the
# role bg_secure (scram password, so tests can check wrong credentials), a free port.
#   .ci/postgres.sh start DIR   -> prints the connection string (Host=127.0.0.1;Port=...;Username=postgres;Database=postgres)
#   .ci/postgres.sh stop DIR    -> stops the server and removes DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?folder}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$PGBIN/initdb" ]] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 2; }
# The postgres user may not enter the caller's folder (a clone in a private temp dir): work from /, with an absolute DIR.
dir=$(mkdir -p "$dir" && cd "$dir" && pwd); cd /
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
  start)
    mkdir -p "$dir"; data="$dir/data"; mkdir -p "$data"
    [[ $(id -u) == 0 ]] && chown -R postgres:postgres "$dir"
    as_pg "$PGBIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
    cat > "$data/pg_hba.conf" <<HBA
local all all trust
host all bg_secure 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
HBA
    for _ in 1 2 3 4 5 6 7 8; do
      port=$((20000 + RANDOM % 30000))
      # Tests need no durability; PG_DURABLE=1 keeps PostgreSQL's defaults (for benchmarks beside SQLite).
      fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; [[ ${PG_DURABLE:-0} == 1 ]] && fast=""
      if as_pg "$PGBIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
          -o "-p $port -c listen_addresses=127.0.0.1 -k $data -c max_connections=200 $fast" start >/dev/null 2>&1; then
        echo "$port" > "$dir/port"
        echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
        exit 0
      fi
    done
    echo "PostgreSQL did not start; see $dir/server.log" >&2; exit 1 ;;
  stop)
    [[ -d "$dir/data" ]] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir" ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
