#!/usr/bin/env bash
# Certificates as a cloud provider's server has them, on a cluster started by pg-cluster.sh
# (tst_hostedconnections runs it on its private cluster):
#   tls-fixture.sh setup SERVER_ENV DIR   a private CA in DIR; server certificates signed by it for
#                                         localhost (and 127.0.0.1, ::1) and for other names
#                                         (db.example.com, *.db.example.com); a client
#                                         certificate for the role cert_user, whom pg_hba.conf
#                                         admits by certificate only; the server then uses the
#                                         localhost certificate.
#   tls-fixture.sh use-cert SERVER_ENV DIR localhost|other   switch the server's certificate.
set -euo pipefail

action=${1:?usage: tls-fixture.sh setup|use-cert SERVER_ENV DIR [localhost|other]}
server_env=${2:?server.env}
dir=${3:?certificate folder}
# shellcheck source=../../script/lib/postgres.sh
. "$(dirname "$0")/../../script/lib/postgres.sh"
# shellcheck disable=SC1090
. "$server_env"
root=$(dirname "$PGDESK_TEST_DATADIR")

sql() {
    PGPASSWORD=$PG_PASSWORD "$PGDESK_TEST_BINDIR/psql" -X -At -v ON_ERROR_STOP=1 \
        "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=postgres sslmode=disable" -c "$1"
}

# use_cert NAME: point the server at NAME's certificate and wait until new connections get it.
use_cert() {
    sql "ALTER SYSTEM SET ssl_cert_file = '$root/tls-$1.crt'" >/dev/null
    sql "ALTER SYSTEM SET ssl_key_file = '$root/tls-$1.key'" >/dev/null
    sql "ALTER SYSTEM SET ssl_ca_file = '$root/tls-ca.crt'" >/dev/null
    sql "SELECT pg_reload_conf()" >/dev/null
    # A new backend starts from the postmaster's settings: once it shows the file, new
    # connections are served with that certificate.
    for _ in $(seq 100); do
        [ "$(sql "SHOW ssl_cert_file")" = "$root/tls-$1.crt" ] && return 0
        sleep 0.1
    done
    echo "tls-fixture: the server did not take $1's certificate" >&2
    return 1
}

# sign NAME SUBJECT [SAN]: NAME.key and NAME.crt in $dir, signed by the private CA.
sign() {
    local name=$1 subject=$2 san=${3:-}
    openssl req -new -nodes -newkey rsa:2048 -subj "$subject" -keyout "$dir/$name.key" -out "$dir/$name.csr" \
        >/dev/null 2>&1
    local extensions=()
    if [ -n "$san" ]; then
        printf 'subjectAltName=%s\n' "$san" >"$dir/$name.ext"
        extensions=(-extfile "$dir/$name.ext")
    fi
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
        -out "$dir/$name.crt" "${extensions[@]}" >/dev/null 2>&1
    chmod 600 "$dir/$name.key"
}

case "$action" in
setup)
    mkdir -p "$dir"
    openssl req -x509 -nodes -newkey rsa:2048 -days 30 -subj "/CN=pgdesk test CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1
    sign server-localhost "/CN=localhost" "DNS:localhost,IP:127.0.0.1,IP:::1"
    sign server-other "/CN=db.example.com" "DNS:db.example.com,DNS:*.db.example.com"
    sign client "/CN=cert_user"
    for name in localhost other; do
        cp "$dir/server-$name.crt" "$root/tls-$name.crt"
        cp "$dir/server-$name.key" "$root/tls-$name.key"
    done
    cp "$dir/ca.crt" "$root/tls-ca.crt"
    chmod 600 "$root"/tls-*.key
    pg_give_to_owner "$root"/tls-*
    # cert_user may only log in with the client certificate, over TLS.
    pg_as_owner sed -i '1i hostssl all cert_user 127.0.0.1/32 cert\nhostssl all cert_user ::1/128 cert' \
        "$PGDESK_TEST_DATADIR/pg_hba.conf"
    sql "CREATE ROLE cert_user LOGIN" >/dev/null
    use_cert localhost
    ;;
use-cert)
    use_cert "${4:?localhost|other}"
    ;;
*)
    echo "usage: tls-fixture.sh setup|use-cert SERVER_ENV DIR [localhost|other]" >&2
    exit 2
    ;;
esac
