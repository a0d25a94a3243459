#!/usr/bin/python3
"""pgdesk through the real accessibility stack (issue 16).

Run by run-atspi-test.sh inside a D-Bus session bus of its own (dbus-run-session) on an Xvfb
display. Starts pgdesk against the test server, reads its tree over AT-SPI (pyatspi), fails on any
focusable object without a name, then filters, edits, adds and saves through accessibility
actions and EditableText alone, and checks with psql what the database holds.

usage: walk_tree.py SERVER_ENV PGDESK_BINARY WORK_DIR [TREE_DUMP]
"""

import os
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import GLib  # noqa: E402

import pyatspi  # noqa: E402

DATABASE = "tst_atspi"
TIMEOUT = 60.0


class Failure(Exception):
    pass


def read_env(path):
    values = {}
    with open(path, encoding="utf-8") as env:
        for line in env:
            key, sep, value = line.strip().partition("=")
            if sep:
                values[key] = value
    return values


class Server:
    def __init__(self, env):
        self.env = env

    def psql(self, sql, database=DATABASE):
        environment = dict(os.environ, PGPASSWORD=self.env["PG_PASSWORD"], PGSSLMODE="require")
        result = subprocess.run(
            [os.path.join(self.env["PGDESK_TEST_BINDIR"], "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", self.env["PG_HOST"], "-p", self.env["PG_PORT"], "-U", self.env["PG_USER"], "-d", database,
             "-c", sql],
            env=environment, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise Failure(f"psql failed ({sql}): {result.stderr.strip()}")
        return result.stdout.strip()


def pump():
    # Lets libatspi take in the events that keep its cache right.
    context = GLib.MainContext.default()
    while context.iteration(False):
        pass


STARTED = time.monotonic()


def progress(text):
    print(f"[{time.monotonic() - STARTED:6.1f} s] {text}", flush=True)


def wait_for(what, probe, timeout=TIMEOUT):
    """Polls probe() until it returns something true; fails naming what was awaited."""
    started = time.monotonic()
    deadline = started + timeout
    last_error = None
    while time.monotonic() < deadline:
        pump()
        try:
            found = probe()
            if found:
                waited = time.monotonic() - started
                if waited > 2:  # the log shows where a slow run spent its time
                    progress(f"waited {waited:.1f} s for {what}")
                return found
        except Exception as error:  # objects vanish while the window rebuilds
            last_error = error
        time.sleep(0.1)
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def children(node):
    try:
        count = node.childCount
    except Exception:
        return []
    result = []
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            child = None
        if child is not None:
            result.append(child)
    return result


def walk(node, depth=0):
    yield node, depth
    if depth > 60:
        return
    for child in children(node):
        yield from walk(child, depth + 1)


def fresh(node):
    node.clear_cache()
    return node


# Roles by the names at-spi2-core 2.46 (Debian 12) gives them. 2.56 (Debian 13) calls a push
# button "button"; the role itself, which Qt sets, is the same.
ROLE_NAMES = {pyatspi.ROLE_PUSH_BUTTON: "push button"}


def role(node):
    return ROLE_NAMES.get(node.getRole(), node.getRoleName())


def find(root, role_names, name, showing=True, any_case=False):
    for node, _ in walk(fresh(root)):
        try:
            if role(node) in role_names and (node.name == name or any_case and node.name.lower() == name.lower()):
                if not showing or node.getState().contains(pyatspi.STATE_SHOWING):
                    return node
        except Exception:
            continue
    return None


def press(node):
    action = node.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    for wanted in ("Press", "press", "click", "activate", "Toggle", "toggle"):
        if wanted in names:
            action.doAction(names.index(wanted))
            return
    if action.nActions:
        action.doAction(0)
        return
    raise Failure(f"{role(node)} '{node.name}' offers no action")


def nameless_focusable(root):
    problems = []
    for node, depth in walk(fresh(root)):
        try:
            state = node.getState()
            # Hidden widgets (the other page of a stack, a status-bar button not shown now) are
            # out of reach until they show, and some are named only when they do.
            # A label is its text: an empty one (a message not given yet, selectable by mouse,
            # so "focusable") has nothing to say.
            empty_label = role(node) == "label" and not node.name
            if (state.contains(pyatspi.STATE_FOCUSABLE) and state.contains(pyatspi.STATE_VISIBLE)
                    and not empty_label and not (node.name or "").strip()):
                parent = node.parent
                problems.append(f"{role(node)} at depth {depth} (parent: {role(parent)} '{parent.name}')")
        except Exception as error:
            problems.append(f"unreadable object at depth {depth}: {error}")
    return problems


def dump(root, path):
    lines = []
    for node, depth in walk(fresh(root)):
        try:
            states = [pyatspi.stateToString(s) for s in node.getState().getStates()
                      if s in (pyatspi.STATE_FOCUSABLE, pyatspi.STATE_FOCUSED, pyatspi.STATE_SHOWING,
                               pyatspi.STATE_EDITABLE, pyatspi.STATE_SELECTED)]
            text = f"{'  ' * depth}[{role(node)}] '{node.name}'"
            if node.description:
                text += f" — {node.description}"
            if states:
                text += f"  ({', '.join(states)})"
        except Exception as error:
            text = f"{'  ' * depth}<unreadable: {error}>"
        lines.append(text)
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def cell_texts(table_node, column):
    table = fresh(table_node).queryTable()
    return [table.getAccessibleAt(row, column).name for row in range(table.nRows)]


def cell(table_node, row, column):
    return fresh(table_node).queryTable().getAccessibleAt(row, column)


def name_column(table_node):
    table = fresh(table_node).queryTable()
    for column in range(table.nColumns):
        header = table.getColumnHeader(column)
        if header is not None and header.name.lower() == "name":
            return column
        if table.getColumnDescription(column).lower() == "name":
            return column
    raise Failure("the grid has no column headed 'name'")


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    server_env, binary, work = sys.argv[1:4]
    tree_dump = sys.argv[4] if len(sys.argv) > 4 else os.path.join(work, "a11y-tree.txt")
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise Failure("no D-Bus session bus (run under dbus-run-session)")
    if not os.path.exists(server_env):
        raise Failure(f"no test server: {server_env} is missing (the postgres fixture did not start)")
    server = Server(read_env(server_env))
    server.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", database="postgres")
    server.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
    server.psql("CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
                "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
                "INSERT INTO my_table(name) VALUES ('alice'), ('bob')")

    env_path = os.path.join(work, ".env")
    with open(env_path, "w", encoding="utf-8") as env:
        e = server.env
        env.write(f"PG_HOST={e['PG_HOST']}\nPG_PORT={e['PG_PORT']}\nPG_USER={e['PG_USER']}\n"
                  f"PG_PASSWORD={e['PG_PASSWORD']}\nPG_DATABASE={DATABASE}\n")
    home = os.path.join(work, "home")
    os.makedirs(home, exist_ok=True)
    app_env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1", QT_QPA_PLATFORM="xcb",
                   HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"), XDG_DATA_HOME=os.path.join(home, "data"))
    app_env.pop("PGDESK_TEST_SERVER_ENV", None)
    log = open(os.path.join(work, "pgdesk.log"), "w", encoding="utf-8")
    process = subprocess.Popen([binary, "--env", env_path], cwd=work, env=app_env, stdout=log, stderr=log)
    try:
        run(server, process, tree_dump)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
    return 0


def activate(app, process):
    """Gives pgdesk's window the input focus, as the window manager Xvfb lacks would: without it no
    widget has the focus, and what a screen reader's user types goes nowhere."""

    def frame():
        for node in children(fresh(app)):
            if role(node) == "frame" and node.getState().contains(pyatspi.STATE_SHOWING):
                return node
        return None

    window = wait_for("pgdesk's main window", frame)

    def focused():
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                             capture_output=True, text=True, timeout=10).stdout.split()
        for window_id in ids:
            subprocess.run(["xdotool", "windowfocus", window_id], capture_output=True, timeout=10)
        return fresh(window).getState().contains(pyatspi.STATE_ACTIVE)

    wait_for("pgdesk's window to become active", focused)


def run(server, process, tree_dump):
    desktop = pyatspi.Registry.getDesktop(0)

    def application():
        if process.poll() is not None:
            raise SystemExit(f"FAIL: pgdesk exited with {process.returncode} before its window appeared")
        for app in children(fresh(desktop)):
            if app.get_process_id() == process.pid:
                return app
        return None

    app = wait_for("pgdesk on the accessibility bus", application)
    try:
        drive(server, app, process, tree_dump)
    except Exception:
        # The tree as it stood, for the failure's reader.
        failed_dump = tree_dump + ".failed"
        dump(app, failed_dump)
        print(f"the accessible tree at the failure: {failed_dump}", file=sys.stderr)
        raise


def vanished(error):
    # Qt drops a table's cell objects whenever its model resets (a filter, a refresh after a save,
    # a live update), and the bridge then answers calls on them with this.
    text = str(error)
    return "No such object path" in text or "UnknownObject" in text


def step(what, action, timeout=TIMEOUT):
    """Runs action() once it can: again while the objects it acts on vanish under it (a call on a
    vanished object does nothing, so running it again acts once), so action() must find its
    objects afresh each time. Fails naming the step."""
    progress(what)
    deadline = time.monotonic() + timeout
    while True:
        pump()
        try:
            return action()
        except Failure as failure:
            raise Failure(f"{what}: {failure}") from None
        except Exception as error:
            if not vanished(error) or time.monotonic() > deadline:
                raise Failure(f"{what}: {type(error).__name__}: {error}") from None
            progress(f"  an object vanished ({error}); finding it again")
        time.sleep(0.1)


def drive(server, app, process, tree_dump):
    step("activating pgdesk's window", lambda: activate(app, process))

    def grid():
        node = find(app, ("table",), "Table rows")
        if node is None:
            raise Failure("no grid 'Table rows' in the tree")
        return node

    def name_cell(row_name):
        node = grid()
        column = name_column(node)
        return cell(node, cell_texts(node, column).index(row_name), column)

    def names():
        node = grid()
        return cell_texts(node, name_column(node))

    def find_named(role_names, name, root=None):
        node = find(root or app, role_names, name)
        if node is None:
            raise Failure(f"no {role_names[0]} '{name}' in the tree")
        return node

    wait_for("the grid 'Table rows' with the two rows", lambda: "bob" in names())

    def check_names():
        dump(app, tree_dump)
        problems = nameless_focusable(app)
        if problems:
            raise Failure("focusable objects without a name:\n  " + "\n  ".join(problems))

    step("reading the tree for focusable objects without a name", check_names)

    # Filter: the search box's EditableText alone.
    search_box = ("entry", "text")
    step("typing 'bo' into the search box",
         lambda: find_named(search_box, "Filter by name").queryEditableText().setTextContents("bo"))
    wait_for("the filter to leave only bob", lambda: names() == ["bob"])
    step("clearing the search box",
         lambda: find_named(search_box, "Filter by name").queryEditableText().setTextContents(""))
    wait_for("the filter to be cleared", lambda: sorted(names()) == ["alice", "bob"])

    # Edit: select bob's name cell, open Row details from the menu, type into its name field, OK.
    def select_bob():
        bob = name_cell("bob")
        if not bob.getState().contains(pyatspi.STATE_FOCUSABLE):
            raise Failure("grid cells are not focusable")
        if not bob.queryAction().nActions:
            raise Failure("grid cells offer no action to select them")
        press(bob)  # Qt's cell action selects the cell; pgdesk makes it the current one

    step("selecting bob's name cell", select_bob)
    wait_for("bob's cell to be selected", lambda: name_cell("bob").getState().contains(pyatspi.STATE_SELECTED))
    details = wait_for("the menu item 'Row details…'", lambda: find(app, ("menu item",), "Row details…", showing=False))
    step("choosing Row details…", lambda: press(details))
    dialog = wait_for("the Row details dialog", lambda: find(app, ("dialog",), "Row details"))
    name_field = wait_for("the dialog's editable 'name' field",
                          lambda: find(dialog, ("text", "entry", "paragraph"), "name", any_case=True))
    step("typing robert into the dialog's name field", lambda: name_field.queryEditableText().setTextContents("robert"))
    ok = wait_for("the dialog's OK button", lambda: find(dialog, ("push button",), "OK"))
    step("pressing OK", lambda: press(ok))
    wait_for("bob's cell to read robert", lambda: "robert" in names())
    spoken = step("reading robert's cell description", lambda: name_cell("robert").description)
    if "edited" not in spoken:
        raise Failure(f"an edited cell describes itself as '{spoken}'")

    # Add: the toolbar button opens an editor on the new row's name cell. Qt lists no cell editor
    # among the grid's children; it announces it the way screen readers follow: a focus event.
    # Each focus event is kept with its object's role and name read as it arrives: the object may
    # be gone by the time it is looked at (a cell focused by Tab vanishes when the grid reloads
    # after a save), and a vanished object answers every later call with an error.
    focused = []

    def on_focus(event):
        if event.detail1 != 1:
            return
        try:
            focused.append((event.source, role(event.source), event.source.name))
        except Exception as error:
            focused.append((None, "gone", f"({error})"))

    def seen_focus():
        return ", ".join(f"{node_role} '{name}'" for _, node_role, name in focused) or "none"

    step("activating the window again", lambda: activate(app, process))  # no window manager gives the focus back
    pyatspi.Registry.registerEventListener(on_focus, "object:state-changed:focused")
    try:
        step("pressing Add row", lambda: press(find_named(("push button",), "Add row")))

        def editor():
            for node, node_role, name in reversed(focused):
                if node_role in ("entry", "text") and name.lower() == "name":
                    return node
            return None

        try:
            editor = wait_for("a focus event from the new row's cell editor 'Name'", editor)
        except Failure as failure:
            raise Failure(f"{failure}; focus events seen: {seen_focus()}") from None
    finally:
        pyatspi.Registry.deregisterEventListener(on_focus, "object:state-changed:focused")
    step("typing carol into the new row's editor", lambda: editor.queryEditableText().setTextContents("carol"))

    step("pressing Save", lambda: press(find_named(("push button",), "Save")))
    wait_for("the database to hold alice, robert, carol",
             lambda: server.psql("SELECT string_agg(name, ',' ORDER BY id) FROM my_table") == "alice,robert,carol",
             timeout=30)

    def no_pending_changes():
        node = grid()
        column = name_column(node)
        return all(not cell(node, r, column).description for r in range(fresh(node).queryTable().nRows))

    wait_for("the grid to show the saved rows without pending changes", no_pending_changes)

    # The date editor: opened with keys (AT-SPI offers no action that opens a cell's editor), it is
    # announced like the name's line edit, at its focused date-time field.
    step("activating the window again", lambda: activate(app, process))
    focused.clear()
    pyatspi.Registry.registerEventListener(on_focus, "object:state-changed:focused")
    try:
        # To the search box, down to the grid (its current cell: a name), right to the date, edit.
        progress("keys ctrl+f, Tab, Right, F2")
        for keys in (["ctrl+f"], ["Tab"], ["Right"], ["F2"]):
            subprocess.run(["xdotool", "key", *keys], capture_output=True, timeout=10)
            pump()
        try:
            wait_for("a focus event from the date editor's 'Date and time' field",
                     lambda: any(name == "Date and time" for _, _, name in focused))
        except Failure as failure:
            raise Failure(f"{failure}; focus events seen: {seen_focus()}") from None
    finally:
        pyatspi.Registry.deregisterEventListener(on_focus, "object:state-changed:focused")
    subprocess.run(["xdotool", "key", "Escape"], capture_output=True, timeout=10)
    if server.psql("SELECT string_agg(name, ',' ORDER BY id) FROM my_table") != "alice,robert,carol":
        raise Failure("opening and closing the date editor changed the table")
    progress("PASS: named tree, filter, edit, add and save through AT-SPI; psql reads alice,robert,carol; "
             "the date editor is announced")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # an interface missing, the bus gone: a failure too, never a skip
        print(f"FAIL: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
