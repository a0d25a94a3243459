#!/usr/bin/env bash
# Installs a built pgdesk .deb into a clean Debian 12 (bookworm) root made with debootstrap, as a
# user's apt would (every dependency from Debian, no recommends), and starts pgdesk there:
#   1. `pgdesk --version` prints the package's version; `pgdesk check` reaches the test server;
#   2. the desktop entry's Exec line, run with no .env in the working folder, finds
#      ~/.config/pgdesk/.env, and `pgdesk --env FILE` reads FILE: offscreen, and once on an X
#      display (Xvfb, outside the root) through the xcb platform plugin as a desktop would. Each
#      must stay up for 10 s while the test PostgreSQL (tests/support/pg-cluster.sh, outside the
#      root) sees its session, application_name pgdesk over SSL, and print no plugin or driver error.
#
# usage: packaging/debootstrap-test.sh [DEB]      (default: the newest packaging/out/pgdesk_*.deb)
#        packaging/debootstrap-test.sh --bundle TGZ   the portable bundle (packaging/bundle.sh)
#   --bundle: installs only packaging/linux/bundle-system-packages (no Qt, no libpq), unpacks TGZ
#   into /opt, checks that its libraries all resolve inside it, then the same steps with its
#   bin/pgdesk (the menu entry's Exec line is left out: the bundle is not on PATH).
# Needs root (debootstrap, chroot, mount); re-runs itself with sudo otherwise. Downloads only from
# the Debian mirror apt uses here. Takes 3 to 6 minutes on a 2-core machine (docs/PACKAGING.md).
#   PGDESK_DEBIAN_MIRROR     default: the bookworm mirror in /etc/apt/sources.list{,.d/*}
#   PGDESK_DEBOOTSTRAP_CACHE default: ~/.cache/pgdesk/debootstrap; keeps the downloaded .debs,
#                            so a second run downloads next to nothing
#   PGDESK_KEEP_ROOT=1       keep the root and print where it is
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
    exec sudo --preserve-env=PGDESK_DEBIAN_MIRROR,PGDESK_DEBOOTSTRAP_CACHE,PGDESK_KEEP_ROOT "$0" "$@"
fi

say() { echo "debootstrap-test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

bundle=""
if [ "${1:-}" = --bundle ]; then
    bundle=${2:-}
    if [ -z "$bundle" ] || [ ! -f "$bundle" ]; then
        fail "--bundle needs the bundle's .tar.gz"
    fi
    bundle=$(cd "$(dirname "$bundle")" && pwd)/$(basename "$bundle")
    bundle_name=$(basename "$bundle" .tar.gz) # pgdesk-VERSION-linux-ARCH-portable
    version=$(cut -d- -f2 <<<"$bundle_name")
else
    # shellcheck disable=SC2012 # the newest by time; the names are CPack's
    deb=${1:-$(ls -t "$here"/packaging/out/pgdesk_*.deb 2>/dev/null | head -n 1 || true)}
    if [ -z "$deb" ] || [ ! -f "$deb" ]; then
        fail "no .deb given and none in packaging/out (run script/package first)"
    fi
    deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
    version=$(dpkg-deb -f "$deb" Version)
fi

# shellcheck source-path=SCRIPTDIR/..
. "$here/script/lib/apt.sh"
"$here/script/setup" # the PostgreSQL server and client the test server needs
apt_install_missing debootstrap-test.sh debootstrap

# The mirror and suites apt already uses here: deb822 .sources files and one-line .list files.
# Prints "URI SUITE" for each bookworm, bookworm-updates or bookworm-security entry.
debian_sources() {
    local file
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] || continue
        case "$file" in
        *.sources)
            awk 'BEGIN { RS = ""; FS = "\n" }
                 {
                     types = uris = suites = components = ""; enabled = 1
                     for (i = 1; i <= NF; i++) {
                         if ($i ~ /^Types:/) types = $i
                         else if ($i ~ /^URIs:/) uris = $i
                         else if ($i ~ /^Suites:/) suites = $i
                         else if ($i ~ /^Components:/) components = $i
                         else if ($i ~ /^Enabled: *no/) enabled = 0
                     }
                     if (!enabled || types !~ /[ :]deb( |$)/ || components !~ /[ :]main( |$)/) next
                     sub(/^URIs: */, "", uris); sub(/^Suites: */, "", suites)
                     n = split(uris, u, " "); m = split(suites, s, " ")
                     for (a = 1; a <= n; a++) for (b = 1; b <= m; b++)
                         if (s[b] ~ /^bookworm(-updates|-security)?$/) print u[a], s[b]
                 }' "$file"
            ;;
        *)
            sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) \(bookworm\(-updates\|-security\)\{0,1\}\) .*main.*/\2 \3/p' "$file"
            ;;
        esac
    done
}
mapfile -t sources < <(debian_sources)
mirror=${PGDESK_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
    for entry in "${sources[@]}"; do
        [ "${entry#* }" = bookworm ] && { mirror=${entry% *}; break; }
    done
fi
[ -n "$mirror" ] || fail "no bookworm mirror found in /etc/apt; set PGDESK_DEBIAN_MIRROR"

cache=${PGDESK_DEBOOTSTRAP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pgdesk/debootstrap}
mkdir -p "$cache/debootstrap" "$cache/apt/partial"
cache=$(cd "$cache" && pwd)
work=$(mktemp -d /var/tmp/pgdesk-debootstrap-test.XXXXXX)
root=$work/root
pgdesk_pid=""
xvfb_pid=""

cleanup() {
    local status=$?
    [ -n "$pgdesk_pid" ] && kill "$pgdesk_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    "$here/tests/support/pg-cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true
    local mounted
    for mounted in "$root/var/cache/apt/archives" "$root/dev/pts" "$root/proc"; do
        mountpoint -q "$mounted" 2>/dev/null && umount "$mounted"
    done
    if [ "${PGDESK_KEEP_ROOT:-0}" = 1 ]; then
        say "kept the root in $root"
    elif ! grep -q " $work" /proc/mounts; then
        rm -rf "$work"
    else
        say "something is still mounted under $work; not deleting it"
    fi
    exit $status
}
trap cleanup EXIT

in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

started=$SECONDS
say "debootstrap bookworm (minbase) from $mirror into $root"
if ! debootstrap --variant=minbase --cache-dir="$cache/debootstrap" bookworm "$root" "$mirror" \
    >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    fail "debootstrap failed"
fi
debootstrap_seconds=$((SECONDS - started))

: >"$root/etc/apt/sources.list"
for entry in "${sources[@]}"; do
    echo "deb ${entry% *} ${entry#* } main" >>"$root/etc/apt/sources.list"
done
[ -s "$root/etc/apt/sources.list" ] || echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
mount -t proc proc "$root/proc"
mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 2>/dev/null || true
mount --bind "$cache/apt" "$root/var/cache/apt/archives"

step_started=$SECONDS
if [ -z "$bundle" ]; then
    cp "$deb" "$root/tmp/"
    say "apt-get install $(basename "$deb") (dependencies from Debian, no recommends)"
    {
        in_root apt-get update &&
            in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$deb")"
    } >"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; fail "apt-get could not install the package"; }
    pgdesk=pgdesk
else
    mapfile -t system_packages < <(sed -e 's/#.*//' -e '/^ *$/d' "$here/packaging/linux/bundle-system-packages")
    say "apt-get install ${system_packages[*]} (packaging/linux/bundle-system-packages, no recommends)"
    {
        in_root apt-get update &&
            in_root apt-get install -y --no-install-recommends "${system_packages[@]}"
    } >"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; fail "apt-get could not install them"; }
    # shellcheck disable=SC2016 # dpkg-query's own ${...} fields
    qt=$(in_root dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'libqt6*' 'libpq*' 'qt6*' 2>/dev/null | grep '^ii' || true)
    [ -z "$qt" ] || fail "the root has Qt or libpq installed: $qt"
    mkdir -p "$root/opt" && tar -C "$root/opt" -xzf "$bundle"
    pgdesk=/opt/$bundle_name/bin/pgdesk
    # Every library of the binary and its plugins resolves, and every Qt library and libpq to the
    # bundle's own copy.
    mapfile -t binaries < <(cd "$root" && find "opt/$bundle_name/plugins" -name '*.so' | sed 's|^|/|')
    for binary in "$pgdesk" "${binaries[@]}"; do
        resolved=$(in_root ldd "$binary") || fail "ldd $binary failed"
        ! grep -q 'not found' <<<"$resolved" || { echo "$resolved" >&2; fail "$binary: a library is not found"; }
        outside=$(grep -E 'lib(Qt6|pq)[^ ]* => ' <<<"$resolved" | grep -v "=> /opt/$bundle_name/" || true)
        [ -z "$outside" ] || fail "$binary loads Qt or libpq from outside the bundle: $outside"
    done
    say "ok: every library of the bundle resolves, Qt and libpq from the bundle"
fi
install_seconds=$((SECONDS - step_started))
say "installed $(grep -c '^Setting up' "$work/apt.log") packages"

# 1. --version
printed=$(in_root "$pgdesk" --version) || fail "pgdesk --version exited with $?"
say "pgdesk --version: $(echo "$printed" | tr '\n' ' ')"
printed=$(head -n 1 <<<"$printed") # then the Qt and libpq versions
[ "$printed" = "pgdesk $version" ] || fail "pgdesk --version printed '$printed', not 'pgdesk $version'"
say "ok: pgdesk --version prints '$printed'"
if [ -z "$bundle" ]; then
    desktop=/usr/share/applications/io.github.pgdesk.pgdesk.desktop
    [ -f "$root$desktop" ] || fail "$desktop is not installed"
    exec_line=$(sed -n 's/^Exec=//p' "$root$desktop")
    launcher="the menu entry (Exec=$exec_line)"
    read -ra exec_words <<<"$exec_line"
    in_root sh -c "command -v ${exec_words[0]}" >/dev/null || fail "the desktop entry's Exec=$exec_line is not on PATH"
else
    launcher="the bundle's $pgdesk"
    exec_words=("$pgdesk")
fi

# 2. Offscreen starts against a throwaway server outside the root (same network namespace).
"$here/tests/support/pg-cluster.sh" start "$work/pg" >&2
server_env=$work/pg/server.env
server_value() { sed -n "s/^$1=//p" "$server_env"; }
mkdir -p "$root/root/.config/pgdesk"
cp "$server_env" "$root/root/.config/pgdesk/.env"
cp "$server_env" "$root/tmp/server.env"

status=0
checked=$(cd / && chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 \
    "$pgdesk" check --env /tmp/server.env 2>&1) || status=$?
[ "$status" -eq 0 ] || { echo "$checked" >&2; fail "pgdesk check exited with $status"; }
say "ok: pgdesk check: $(head -n 1 <<<"$checked")"

pgdesk_sessions() {
    PGPASSWORD=$(server_value PG_PASSWORD) psql -h "$(server_value PG_HOST)" -p "$(server_value PG_PORT)" \
        -U "$(server_value PG_USER)" -d "$(server_value PG_DATABASE)" -w -XAtq -c \
        "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
         WHERE a.application_name = 'pgdesk' AND s.ssl"
}

# start_in_root NAME PLATFORM COMMAND...: runs COMMAND in the root for 10 s, from / (so with no
# .env in its working folder), with PLATFORM (an environment setting) to choose the Qt platform,
# and checks it connected and stayed up.
start_in_root() {
    local name=$1 platform=$2 log connected=false status
    shift 2
    log=$work/start-$(date +%s%N).log
    for _ in $(seq 1 20); do # the previous start's session may take a moment to end
        [ "$(pgdesk_sessions)" = 0 ] && break
        sleep 0.25
    done
    (cd / && exec chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 \
        "$platform" timeout 10 "$@") >"$log" 2>&1 &
    pgdesk_pid=$!
    for _ in $(seq 1 18); do
        sleep 0.5
        if [ "$(pgdesk_sessions)" -ge 1 ] 2>/dev/null; then
            connected=true
            break
        fi
    done
    status=0
    wait "$pgdesk_pid" || status=$?
    pgdesk_pid=""
    if ! $connected; then
        cat "$log" >&2
        fail "$name: the server saw no SSL session with application_name pgdesk"
    fi
    [ "$status" -eq 124 ] || { cat "$log" >&2; fail "$name: pgdesk exited with $status before the 10 s were up"; }
    if grep -Eiq "driver not loaded|could not (load|find) the qt platform plugin|cannot load library|error" "$log"; then
        cat "$log" >&2
        fail "$name: pgdesk printed an error"
    fi
    say "ok: $name connected over SSL (application_name pgdesk) and ran 10 s"
}

start_in_root "$launcher offscreen (~/.config/pgdesk/.env)" QT_QPA_PLATFORM=offscreen "${exec_words[@]}"
start_in_root "pgdesk --env /tmp/server.env offscreen" QT_QPA_PLATFORM=offscreen "$pgdesk" --env /tmp/server.env

# The xcb platform plugin, as on a desktop: Xvfb runs outside the root; the root reaches it
# through its abstract socket, as both share the network namespace.
display=99
while [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -noreset -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 40); do
    [ -e "/tmp/.X11-unix/X$display" ] && break
    sleep 0.25
done
[ -e "/tmp/.X11-unix/X$display" ] || { cat "$work/xvfb.log" >&2; fail "Xvfb did not start"; }
start_in_root "$launcher on X11 (xcb, DISPLAY=:$display)" "DISPLAY=:$display" "${exec_words[@]}"
kill "$xvfb_pid"
wait "$xvfb_pid" 2>/dev/null || true
xvfb_pid=""

table=$(PGPASSWORD=$(server_value PG_PASSWORD) psql -h "$(server_value PG_HOST)" -p "$(server_value PG_PORT)" \
    -U "$(server_value PG_USER)" -d "$(server_value PG_DATABASE)" -w -XAtq -c "SELECT to_regclass('my_table') IS NOT NULL")
[ "$table" = t ] || fail "pgdesk did not create my_table"
say "ok: pgdesk created my_table on the server"

say "PASSED in $((SECONDS - started)) s (debootstrap ${debootstrap_seconds} s, apt ${install_seconds} s, starts $((SECONDS - step_started - install_seconds)) s)"
