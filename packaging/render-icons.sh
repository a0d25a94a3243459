#!/usr/bin/env bash
# Renders resources/icons/pgdesk.svg into the PNG icons that are checked in:
#   resources/icons/hicolor/NxN/apps/io.github.pgdesk.pgdesk.png   (Linux menus, macOS .icns)
#   packaging/windows/pgdesk.ico                                   (the .exe and the installer)
# and records the SVG's checksum in resources/icons/hicolor/pgdesk.svg.sha256, which
# script/package compares so a changed SVG is not shipped with stale PNGs.
# Run it after changing the SVG; it needs rsvg-convert (librsvg2-bin) and ImageMagick.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR/..
. "$here/script/lib/apt.sh"
apt_install_missing packaging/render-icons.sh librsvg2-bin imagemagick

svg=$here/resources/icons/pgdesk.svg
hicolor=$here/resources/icons/hicolor
id=io.github.pgdesk.pgdesk
sizes=(16 22 24 32 48 64 128 256 512)

for size in "${sizes[@]}"; do
    mkdir -p "$hicolor/${size}x${size}/apps"
    rsvg-convert --width "$size" --height "$size" --format png --output "$hicolor/${size}x${size}/apps/$id.png" "$svg"
done
# The Windows icon holds the sizes Explorer and the taskbar ask for; -strip keeps it reproducible.
ico_sizes=()
for size in 16 24 32 48 64 128 256; do ico_sizes+=("$hicolor/${size}x${size}/apps/$id.png"); done
/usr/bin/convert "${ico_sizes[@]}" -strip "$here/packaging/windows/pgdesk.ico"

(cd "$here/resources/icons" && sha256sum pgdesk.svg) >"$hicolor/pgdesk.svg.sha256"
echo "render-icons: wrote ${#sizes[@]} PNGs to $hicolor and packaging/windows/pgdesk.ico"
