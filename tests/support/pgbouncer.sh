#!/usr/bin/env bash
# Starts or stops a real PgBouncer (Debian's package) in front of the fixture's SSL server, set up
# the way hosted poolers are: transaction pooling, TLS towards the clients and towards the server,
# and every other setting at its default (ignore_startup_parameters empty, so a client that sends
# `options` in its startup packet is refused, as hosted poolers refuse it).
#   pgbouncer.sh start DIR SERVER_ENV   PgBouncer on a free port, DIR/pooler.env written: the
#                                       server.env's keys with PG_PORT the pooler's and
#                                       PGDESK_TEST_POOLER_ROOT_CERT the pooler's certificate
#   pgbouncer.sh stop DIR               stop it and delete its folder
set -euo pipefail

action=${1:?usage: pgbouncer.sh start DIR SERVER_ENV | stop DIR}
dir=${2:?usage: pgbouncer.sh start DIR SERVER_ENV | stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# shellcheck source=../../script/lib/postgres.sh
. "$(dirname "$0")/../../script/lib/postgres.sh"

stop_pooler() {
    local root=$1 pid
    [ -n "$root" ] && [ -d "$root" ] || return 0
    if [ -f "$root/pgbouncer.pid" ]; then
        pid=$(cat "$root/pgbouncer.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -rf "$root"
}

previous_root=""
[ -f "$dir/pooler-root" ] && previous_root=$(cat "$dir/pooler-root")

case "$action" in
stop)
    stop_pooler "$previous_root"
    rm -f "$dir/pooler.env" "$dir/pooler-root"
    echo "pgbouncer: stopped"
    ;;
start)
    server_env=${3:?usage: pgbouncer.sh start DIR SERVER_ENV}
    stop_pooler "$previous_root"
    command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || {
        echo "pgbouncer: not installed (script/setup installs Debian's pgbouncer package)" >&2
        exit 1
    }
    pgbouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
    server_value() { sed -n "s/^$1=//p" "$server_env"; }
    server_port=$(server_value PG_PORT)
    user=$(server_value PG_USER)
    password=$(server_value PG_PASSWORD)
    [ -n "$server_port" ] && [ -n "$user" ] || {
        echo "pgbouncer: $server_env has no PG_PORT/PG_USER" >&2
        exit 1
    }

    # PgBouncer refuses to run as root; the postgres user owns its folder, like the cluster's.
    root=$(mktemp -d /tmp/pgdesk-test-pooler.XXXXXX)
    chmod 755 "$root"
    echo "$root" >"$dir/pooler-root"
    # The certificate the pooler shows its clients, made now (clients verify it with sslrootcert).
    pg_make_certificate "$root"
    mv "$root/server.crt" "$root/pooler.crt"
    mv "$root/server.key" "$root/pooler.key"
    port=$(pg_free_port)
    (umask 077 && printf '"%s" "%s"\n' "$user" "$password" >"$root/userlist.txt")
    cat >"$root/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$server_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $root
pidfile = $root/pgbouncer.pid
logfile = $root/pgbouncer.log
auth_type = scram-sha-256
auth_file = $root/userlist.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
client_tls_sslmode = require
client_tls_cert_file = $root/pooler.crt
client_tls_key_file = $root/pooler.key
server_tls_sslmode = require
INI
    pg_give_to_owner "$root"
    if ! pg_as_owner "$pgbouncer" -d "$root/pgbouncer.ini"; then
        cat "$root/pgbouncer.log" >&2 || true
        exit 1
    fi
    # -d returns once it forked; wait until it accepts connections.
    for _ in $(seq 100); do
        python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1', $port)))" \
            && break
        sleep 0.1
    done

    grep -v '^PG_PORT=\|^PGDESK_TEST_SSL_ROOT_CERT=' "$server_env" >"$dir/pooler.env"
    cat >>"$dir/pooler.env" <<ENV
PG_PORT=$port
PGDESK_TEST_SSL_ROOT_CERT=$root/pooler.crt
PGDESK_TEST_SERVER_PORT=$server_port
PGDESK_TEST_SERVER_ROOT_CERT=$(server_value PGDESK_TEST_SSL_ROOT_CERT)
PGDESK_TEST_POOLER_LOG=$root/pgbouncer.log
ENV
    echo "pgbouncer: transaction pooling on 127.0.0.1:$port in front of :$server_port, files in $root"
    ;;
*)
    echo "usage: pgbouncer.sh start DIR SERVER_ENV | stop DIR" >&2
    exit 2
    ;;
esac
