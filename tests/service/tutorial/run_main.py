"""Runs the tutorial's main.py unchanged but for where it listens: main.py serves 0.0.0.0:8080,
which a test must not take. Usage: run_main.py MAIN_PY PORT."""
import sys

main_py, port = sys.argv[1], sys.argv[2]
with open(main_py, encoding="utf-8") as stream:
    source = stream.read()
for line, replacement in (('hostName = "0.0.0.0"', 'hostName = "127.0.0.1"'),
                          ("serverPort = 8080", "serverPort = " + str(int(port)))):
    if line not in source:
        sys.exit("run_main.py: main.py no longer has the line " + line)
    source = source.replace(line, replacement, 1)
exec(compile(source, main_py, "exec"), {"__name__": "__main__", "__file__": main_py})
