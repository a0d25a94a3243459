#!/usr/bin/env bash
# Makes the portable bundle: a .tar.gz that runs on a Linux machine with no Qt installed. It holds
# pgdesk with the Qt libraries, the platform (xcb, offscreen), SQL (QPSQL), SVG and TLS plugins,
# libpq and every other library they load, except those of the packages in
# packaging/linux/bundle-system-packages (C/C++ runtime, OpenGL, X11, fontconfig) and what those
# depend on directly. Everything is found through relative RPATHs ($ORIGIN), the plugins through qt.conf.
# Qt 6.4's qt_generate_deploy_app_script does not deploy on Linux, hence this script.
#
# usage: packaging/bundle.sh [BUILD_DIR [OUT_DIR]]
#   BUILD_DIR  a configured and built tree (default build-package, as script/package makes it)
#   OUT_DIR    where the .tar.gz goes (default packaging/out)
# Prints the path of the .tar.gz. Needs patchelf and dpkg/apt-cache (Debian); installs patchelf.
# packaging/debootstrap-test.sh --bundle TGZ tests it in a minimal Debian root.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
build_dir=${1:-build-package}
out=${2:-packaging/out}

say() { echo "bundle: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# shellcheck source-path=SCRIPTDIR/..
. script/lib/apt.sh
apt_install_missing bundle.sh patchelf

[ -x "$build_dir/src/app/pgdesk" ] || fail "$build_dir/src/app/pgdesk is not built"
version=$(sed -n 's/^ *VERSION \([0-9.]*\)$/\1/p' CMakeLists.txt | head -n 1)
name=pgdesk-$version-linux-$(uname -m)-portable
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
top=$stage/$name

# The same files the .tar.gz of CPack holds (bin/, share/), stripped.
cmake --install "$build_dir" --prefix "$top" --strip >/dev/null
mkdir -p "$top/lib" "$top/plugins"

# Where Qt keeps its plugins here, from the Qt the binary links.
qt_core=$(ldd "$top/bin/pgdesk" | awk '$1 ~ /^libQt6Core\.so/ { print $3 }')
[ -n "$qt_core" ] || fail "pgdesk does not link libQt6Core"
qt_plugins=$(dirname "$(readlink -f "$qt_core")")/qt6/plugins
[ -d "$qt_plugins" ] || fail "no Qt plugin folder at $qt_plugins"

# The plugins Qt loads at run time, where no link shows them. xcbglintegrations: OpenGL on X11,
# without which the xcb plugin warns; iconengines/imageformats: every icon is SVG; tls: QtNetwork.
plugins=(
    platforms/libqxcb.so platforms/libqoffscreen.so
    xcbglintegrations/libqxcb-glx-integration.so xcbglintegrations/libqxcb-egl-integration.so
    sqldrivers/libqsqlpsql.so
    iconengines/libqsvgicon.so imageformats/libqsvg.so
    tls/libqopensslbackend.so tls/libqcertonlybackend.so
)
for plugin in "${plugins[@]}"; do
    [ -f "$qt_plugins/$plugin" ] || fail "missing Qt plugin $qt_plugins/$plugin (libqt6svg6 and on Debian 13 qt6-svg-plugins, libqt6sql6-psql installed? script/setup installs them)"
    mkdir -p "$top/plugins/$(dirname "$plugin")"
    cp "$qt_plugins/$plugin" "$top/plugins/$plugin"
done

# The libraries the machine provides: those of the listed packages and of what each depends on
# directly (libgl1 brings libglx0, libfontconfig1 libfreetype6...). Not further: that would leave
# out whatever the graphics stack happens to pull in on Debian (ICU through Mesa's LLVM), which
# other distributions do not have in that version.
mapfile -t system_packages < <(sed -e 's/#.*//' -e '/^ *$/d' packaging/linux/bundle-system-packages)
declare -A provided=()
while read -r package; do
    provided[${package%%:*}]=1
done < <(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances "${system_packages[@]}" | sed -n -e 's/^ *|\{0,1\}\(Pre\)\{0,1\}Depends: \(.*\)/\2/p' -e 's/^\([^ ].*\)/\1/p' |
    sed 's/^<\(.*\)>$/\1/')
for package in "${system_packages[@]}"; do
    [ -n "${provided[$package]:-}" ] || fail "apt-cache does not know $package"
done

# Which package owns each shared library here, read once from dpkg's file lists (dpkg -S per
# library is slow).
declare -A owners=()
while read -r path package; do
    owners[$path]=$package
done < <(awk '/\.so/ { f = FILENAME; sub(/.*\//, "", f); sub(/\.list$/, "", f); sub(/:.*/, "", f); print $0, f }' \
    /var/lib/dpkg/info/*.list)

# package_of PATH: the package owning a library, whichever of /lib and /usr/lib (merged /usr)
# dpkg has it under.
package_of() {
    local real candidate
    real=$(readlink -f "$1")
    for candidate in "$1" "$real" "${real#/usr}" "/usr${1#/usr}" "$(dirname "$1")/$(basename "$real")" \
        "/usr$(dirname "$1")/$(basename "$real")"; do
        [ -n "${owners[$candidate]:-}" ] && { echo "${owners[$candidate]}"; return 0; }
    done
    return 1
}

# Every library the binary and the plugins load, through ldd (which follows their links).
binaries=("$top/bin/pgdesk")
for plugin in "${plugins[@]}"; do binaries+=("$top/plugins/$plugin"); done
declare -A bundled=()
for binary in "${binaries[@]}"; do
    if ldd "$binary" | grep -q 'not found'; then
        ldd "$binary" | grep 'not found' >&2
        fail "$binary: a library is missing here"
    fi
    while read -r library path; do
        [ -n "${bundled[$library]:-}" ] && continue
        owner=$(package_of "$path") || fail "no package owns $path (needed by $binary)"
        [ -n "${provided[$owner]:-}" ] && continue
        bundled[$library]=$owner
        cp -L "$path" "$top/lib/$library"
    done < <(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }')
done

# Relative search paths: the binary finds lib/, each library its neighbours, each plugin lib/ two
# folders up. RUNPATH applies to a file's own links only, hence one on every file.
# shellcheck disable=SC2016 # $ORIGIN is for the dynamic loader
patchelf --set-rpath '$ORIGIN/../lib' "$top/bin/pgdesk"
for library in "$top"/lib/*; do
    # shellcheck disable=SC2016
    patchelf --set-rpath '$ORIGIN' "$library"
done
for plugin in "${plugins[@]}"; do
    # shellcheck disable=SC2016
    patchelf --set-rpath '$ORIGIN/../../lib' "$top/plugins/$plugin"
done
# Qt reads qt.conf beside the executable; without it Qt looks for plugins where this Debian keeps
# them, which the target machine may have from another Qt.
printf '[Paths]\nPrefix = ..\nPlugins = plugins\n' >"$top/bin/qt.conf"
{
    echo "pgdesk $version, portable bundle for Linux $(uname -m)"
    echo
    echo "Run bin/pgdesk. Needs these packages (Debian's names) or their equivalents:"
    sed -e 's/#.*//' -e '/^ *$/d' -e 's/^/    /' packaging/linux/bundle-system-packages
    echo "and glibc $(ldd --version | head -n 1 | awk '{ print $NF }') or newer. Everything else is inside,"
    echo "from these Debian $(. /etc/os-release && echo "$VERSION_ID") packages:"
    printf '%s\n' "${bundled[@]}" | sort -u | tr '\n' ' ' | fold -s -w 96 | sed 's/^/    /'
    echo
} >"$top/README.bundle.txt"

mkdir -p "$out"
tgz=$(cd "$out" && pwd)/$name.tar.gz
tar -C "$stage" --owner=0 --group=0 --sort=name -czf "$tgz" "$name"
say "$(basename "$tgz"): ${#bundled[@]} libraries, ${#plugins[@]} plugins, $(du -h "$tgz" | cut -f1)"
echo "$tgz"
