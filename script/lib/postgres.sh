# Shell functions shared by script/sandbox and tests/support/pg-cluster.sh: both run private
# PostgreSQL clusters from Debian's server binaries. Source this file; it defines functions only.

# The newest installed server's bin directory (Debian keeps it off PATH).
pg_bindir() {
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$candidate" ]; then
        echo "no PostgreSQL server binaries found (install the postgresql package)" >&2
        return 1
    fi
    echo "$candidate"
}

# initdb refuses to run as root, so under root the cluster belongs to the postgres user.
pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_give_to_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres: "$@"
    fi
}

pg_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_random_password() {
    head -c 18 /dev/urandom | base64 | tr -d '/+='
}

# pg_init_cluster DATA USER PASSWORD: a scram-sha-256 cluster whose superuser is USER.
pg_init_cluster() {
    local data=$1 user=$2 password=$3 bindir pwfile
    bindir=$(pg_bindir) || return 1
    pwfile=$(dirname "$data")/.pwfile
    (umask 077 && printf '%s\n' "$password" >"$pwfile")
    pg_give_to_owner "$pwfile"
    if ! pg_as_owner "$bindir/initdb" -D "$data" -U "$user" --pwfile="$pwfile" --auth=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$(dirname "$data")/initdb.log" 2>&1; then
        rm -f "$pwfile"
        cat "$(dirname "$data")/initdb.log" >&2
        return 1
    fi
    rm -f "$pwfile"
}

# pg_make_certificate DIR: a self-signed server.crt/server.key for localhost, so that the
# tutorial's sslmode=require works against the cluster.
pg_make_certificate() {
    local dir=$1
    openssl req -x509 -nodes -newkey rsa:2048 -days 3650 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
        -keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1 || return 1
    chmod 600 "$dir/server.key"
    pg_give_to_owner "$dir/server.key" "$dir/server.crt"
}

# pg_configure DATA PORT SSL(on|off) DIR [EXTRA_CONF_LINES]: listen on loopback only (IPv4 and
# IPv6; a machine without ::1 only logs a warning), sockets and certificates in DIR, password
# authentication everywhere.
pg_configure() {
    local data=$1 port=$2 ssl=$3 dir=$4 extra=${5:-}
    pg_as_owner tee "$data/postgresql.auto.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1,::1'
port = $port
unix_socket_directories = '$dir'
ssl = $ssl
ssl_cert_file = '$dir/server.crt'
ssl_key_file = '$dir/server.key'
$extra
CONF
    pg_as_owner tee "$data/pg_hba.conf" >/dev/null <<HBA
local all all scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
host  all all ::1/128 scram-sha-256
HBA
}

pg_is_running() {
    local bindir
    bindir=$(pg_bindir) || return 1
    [ -f "$1/postmaster.pid" ] && pg_as_owner "$bindir/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# pg_start DATA LOG
pg_start() {
    local bindir
    bindir=$(pg_bindir) || return 1
    if ! pg_as_owner "$bindir/pg_ctl" -D "$1" -l "$2" -w -t 30 start >/dev/null; then
        cat "$2" >&2
        return 1
    fi
}

# pg_stop DATA [MODE]
pg_stop() {
    local bindir
    bindir=$(pg_bindir) || return 1
    [ -f "$1/postmaster.pid" ] || return 0
    pg_as_owner "$bindir/pg_ctl" -D "$1" -m "${2:-fast}" -w stop >/dev/null 2>&1 || true
}
