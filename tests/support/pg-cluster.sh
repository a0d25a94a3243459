#!/usr/bin/env bash
# Starts or stops the throwaway PostgreSQL servers the test suites talk to.
#   pg-cluster.sh start DIR   two clusters (SSL on, SSL off) on free ports, started, and
#                             DIR/server.env written for the tests (support/TestServer.cpp)
#   pg-cluster.sh stop DIR    stop both and delete their data
set -euo pipefail

action=${1:?usage: pg-cluster.sh start|stop DIR}
dir=${2:?usage: pg-cluster.sh start|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# shellcheck source=../../script/lib/postgres.sh
. "$(dirname "$0")/../../script/lib/postgres.sh"

stop_all() {
    local root=$1
    [ -n "$root" ] && [ -d "$root" ] || return 0
    pg_stop "$root/data" immediate
    pg_stop "$root/data-nossl" immediate
    rm -rf "$root"
}

previous_root=""
[ -f "$dir/cluster-root" ] && previous_root=$(cat "$dir/cluster-root")

case "$action" in
stop)
    stop_all "$previous_root"
    rm -f "$dir/server.env" "$dir/cluster-root"
    echo "pg-cluster: stopped"
    ;;
start)
    stop_all "$previous_root"
    # A private temp dir: the postgres user can reach it even when the build tree is under /root.
    root=$(mktemp -d /tmp/pgdesk-test-cluster.XXXXXX)
    chmod 755 "$root"
    pg_give_to_owner "$root"
    echo "$root" >"$dir/cluster-root"

    user=pgdesk_test
    password=$(pg_random_password)
    pg_init_cluster "$root/data" "$user" "$password"
    pg_make_certificate "$root"
    pg_as_owner cp -a "$root/data" "$root/data-nossl"

    port=$(pg_free_port)
    nossl_port=$(pg_free_port)
    while [ "$nossl_port" = "$port" ]; do nossl_port=$(pg_free_port); done
    # A zone unlike any CI machine's, so tests notice a client that shifts timestamps; and no
    # durability, since the data is thrown away. The benchmark reads each window statement back
    # from pg_stat_activity, which keeps only the first track_activity_query_size bytes (1 kB by
    # default, shorter than a jump's statement in two parts).
    tuning="timezone = 'America/St_Johns'
max_connections = 300
track_activity_query_size = 16384
fsync = off
synchronous_commit = off
full_page_writes = off"
    pg_configure "$root/data" "$port" on "$root" "$tuning"
    pg_configure "$root/data-nossl" "$nossl_port" off "$root" "$tuning"
    pg_start "$root/data" "$root/server.log"
    pg_start "$root/data-nossl" "$root/server-nossl.log"

    cat >"$dir/server.env" <<ENV
PG_HOST=127.0.0.1
PG_PORT=$port
PG_USER=$user
PG_PASSWORD=$password
PG_DATABASE=postgres
PGDESK_TEST_NOSSL_PORT=$nossl_port
PGDESK_TEST_BINDIR=$(pg_bindir)
PGDESK_TEST_DATADIR=$root/data
PGDESK_TEST_SSL_ROOT_CERT=$root/server.crt
ENV
    echo "pg-cluster: PostgreSQL on 127.0.0.1:$port (SSL) and :$nossl_port (no SSL), data in $root"
    ;;
*)
    echo "usage: pg-cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
