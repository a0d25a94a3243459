#!/usr/bin/env bash
# Starts or stops a primary of its own (pg-cluster.sh) and a streaming replica of it, made the way
# an administrator makes one: pg_basebackup -R from the primary, then started on its own port as a
# hot standby. Only the replica suite uses them; the shared fixture servers stay untouched.
#   pg-replica.sh start DIR   DIR/primary/server.env for the primary (as pg-cluster.sh writes it)
#                             and DIR/replica.env: the same keys with the replica's PG_PORT
#   pg-replica.sh stop DIR    stop both and delete their data
set -euo pipefail

action=${1:?usage: pg-replica.sh start|stop DIR}
dir=${2:?usage: pg-replica.sh start|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
here=$(dirname "$0")
# shellcheck source=../../script/lib/postgres.sh
. "$here/../../script/lib/postgres.sh"

stop_replica() {
    [ -f "$dir/replica-data" ] || return 0
    local data
    data=$(cat "$dir/replica-data")
    pg_stop "$data" immediate
    rm -rf "$(dirname "$data")"
    rm -f "$dir/replica-data"
}

case "$action" in
stop)
    stop_replica
    "$here/pg-cluster.sh" stop "$dir/primary" >/dev/null
    rm -f "$dir/replica.env"
    echo "pg-replica: stopped"
    ;;
start)
    stop_replica
    "$here/pg-cluster.sh" start "$dir/primary" >/dev/null
    env_file="$dir/primary/server.env"
    value() { sed -n "s/^$1=//p" "$env_file"; }
    primary_port=$(value PG_PORT)
    user=$(value PG_USER)
    password=$(value PG_PASSWORD)
    primary_data=$(value PGDESK_TEST_DATADIR)
    bindir=$(pg_bindir)

    # Replication connections match only "replication" in pg_hba.conf, never "all".
    pg_as_owner tee -a "$primary_data/pg_hba.conf" >/dev/null <<HBA
host  replication all 127.0.0.1/32 scram-sha-256
HBA
    pg_as_owner "$bindir/pg_ctl" -D "$primary_data" reload >/dev/null

    root=$(mktemp -d /tmp/pgdesk-test-replica.XXXXXX)
    chmod 755 "$root"
    pg_give_to_owner "$root"
    replica_data="$root/data"
    echo "$replica_data" >"$dir/replica-data"
    pgpass="$root/.pgpass"
    (umask 077 && printf '127.0.0.1:%s:*:%s:%s\n' "$primary_port" "$user" "$password" >"$pgpass")
    pg_give_to_owner "$pgpass"
    # -R writes primary_conninfo and standby.signal: the copy starts as a hot standby.
    if ! pg_as_owner env PGPASSFILE="$pgpass" "$bindir/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U "$user" \
        -D "$replica_data" -R -X stream -c fast >"$root/basebackup.log" 2>&1; then
        cat "$root/basebackup.log" >&2
        exit 1
    fi
    # The standby reconnects with the password from primary_conninfo, which -R wrote from the
    # pgpass file's entry.
    replica_port=$(pg_free_port)
    while [ "$replica_port" = "$primary_port" ]; do replica_port=$(pg_free_port); done
    pg_as_owner tee -a "$replica_data/postgresql.auto.conf" >/dev/null <<CONF
port = $replica_port
hot_standby = on
CONF
    pg_start "$replica_data" "$root/replica.log"

    grep -v '^PG_PORT=\|^PGDESK_TEST_DATADIR=' "$env_file" >"$dir/replica.env"
    cat >>"$dir/replica.env" <<ENV
PG_PORT=$replica_port
PGDESK_TEST_DATADIR=$replica_data
PGDESK_TEST_PRIMARY_PORT=$primary_port
ENV
    echo "pg-replica: primary on 127.0.0.1:$primary_port, hot standby on :$replica_port"
    ;;
*)
    echo "usage: pg-replica.sh start|stop DIR" >&2
    exit 2
    ;;
esac
