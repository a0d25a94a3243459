#!/usr/bin/env bash
# pgdesk read and driven through the real accessibility stack (issue 16): an Xvfb display, a D-Bus
# session bus of its own (dbus-run-session, which activates Debian's at-spi bus launcher and
# registry), pgdesk with Qt's AT-SPI bridge forced on, and walk_tree.py (pyatspi) reading and
# acting on it. Fails, never skips, without a server, a display or a bus; leaves no process behind.
#   run-atspi-test.sh SERVER_ENV PGDESK_BINARY [TREE_DUMP]
set -euo pipefail

server_env=${1:?usage: run-atspi-test.sh SERVER_ENV PGDESK_BINARY [TREE_DUMP]}
binary=$(realpath "${2:?usage: run-atspi-test.sh SERVER_ENV PGDESK_BINARY [TREE_DUMP]}")
tree_dump=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
# Debian's python3, which has pyatspi (python3-pyatspi from script/setup); one found earlier on
# PATH (pyenv, a virtualenv) does not.
python=/usr/bin/python3

for tool in Xvfb xdotool dbus-run-session /usr/libexec/at-spi-bus-launcher "$python"; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (script/setup installs it)" >&2; exit 1; }
done
"$python" -c 'import pyatspi' || { echo "FAIL: python3-pyatspi is missing (script/setup installs it)" >&2; exit 1; }
[ -f "$server_env" ] || { echo "FAIL: no test server: $server_env is missing" >&2; exit 1; }

# Under script/check-sanitizers: Qt's xcb keyboard code (libxkbcommon-x11) copies X atom names
# with strndup(name, length) out of replies that are not NUL-terminated. That is valid C, but
# ASan's strict_string_checks reports it and aborts pgdesk before its window appears. Only this
# test needs a real X display (every other suite runs offscreen), so only here is that one check
# turned off; every other ASan and UBSan check stays on.
if [[ "${ASAN_OPTIONS:-}" == *strict_string_checks=1* ]]; then
    export ASAN_OPTIONS=${ASAN_OPTIONS//strict_string_checks=1/strict_string_checks=0}
fi

work=$(mktemp -d /tmp/pgdesk-atspi.XXXXXX)
xvfb_pid=""
session_pid=""
cleanup() {
    # The session runs in a process group of its own (setsid): the bus, the at-spi launcher and
    # registry it activated and pgdesk all end with it.
    if [ -n "$session_pid" ]; then
        kill -TERM -- "-$session_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 -- "-$session_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$session_pid" 2>/dev/null || true
    fi
    if [ -n "$xvfb_pid" ]; then
        kill -TERM "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# -displayfd: Xvfb picks a free display number itself, so parallel runs cannot collide.
# -noreset: by default an X server resets when its last client leaves, and while it resets it
# refuses connections. The at-spi bus launcher opens the display, writes its bus address on the
# root window and closes it again just before pgdesk starts; without -noreset pgdesk could arrive
# mid-reset and abort with "could not connect to display" (seen once in CI under parallel load).
Xvfb -displayfd 3 -noreset -screen 0 1280x900x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do
    [ -s "$work/display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
done
[ -s "$work/display" ] || { echo "FAIL: Xvfb did not start: $(cat "$work/xvfb.log")" >&2; exit 1; }
export DISPLAY=:$(head -n1 "$work/display")
# The display answers before anything else starts: a failure here is Xvfb's, not pgdesk's.
for _ in $(seq 100); do
    xdotool getdisplaygeometry >/dev/null 2>&1 && break
    sleep 0.1
done
xdotool getdisplaygeometry >/dev/null 2>&1 || { echo "FAIL: Xvfb on $DISPLAY does not answer: $(cat "$work/xvfb.log")" >&2; exit 1; }

# A bus of this run's own: the desktop's (if any) is not touched, and its accessibility bus is
# started by activation inside it.
unset DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS
export XDG_RUNTIME_DIR=$work/runtime
mkdir -m 700 "$XDG_RUNTIME_DIR"
status=0
setsid dbus-run-session -- "$python" "$here/walk_tree.py" "$server_env" "$binary" "$work" ${tree_dump:+"$tree_dump"} &
session_pid=$!
wait "$session_pid" || status=$?
if [ "$status" -ne 0 ] && [ -s "$work/a11y-tree.txt.failed" ]; then
    # $work goes with this script: the tree as it stood at the failure is shown here or nowhere.
    echo "--- the accessible tree at the failure:" >&2
    head -n 200 "$work/a11y-tree.txt.failed" >&2
fi
if [ "$status" -ne 0 ] && [ -s "$work/pgdesk.log" ]; then
    echo "--- pgdesk's output:" >&2
    tail -n 40 "$work/pgdesk.log" >&2
    echo "--- Xvfb's output:" >&2
    tail -n 20 "$work/xvfb.log" >&2
fi
exit "$status"
