# shellcheck shell=bash
# Shell functions for scripts that need Debian packages beyond script/setup's list (script/package).
# Source this file; it defines functions only. Same rules as script/setup: idempotent, no network
# when everything is installed, sudo when not root.

# apt_missing PACKAGE...: prints the packages that are not installed, one a line.
apt_missing() {
    local package status
    for package in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || echo "$package"
    done
}

# apt_install_missing WHO PACKAGE...: installs those of PACKAGE... that are missing; WHO names
# the calling script in the message.
apt_install_missing() {
    local who=$1
    shift
    local missing
    mapfile -t missing < <(apt_missing "$@")
    [ ${#missing[@]} -eq 0 ] && return 0

    echo "$who: installing ${missing[*]}" >&2
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "$who: run as root or install sudo" >&2; return 1; }
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
