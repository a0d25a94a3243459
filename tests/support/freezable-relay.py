#!/usr/bin/env python3
"""A TCP relay between pgdesk and a test server whose path can be frozen without closing anything.

    freezable-relay.py TARGET_HOST TARGET_PORT

Prints the port it listens on (127.0.0.1) as its first line, then relays every connection.
SIGUSR1 freezes both directions of every connection, new ones included: bytes stop moving and no
socket is closed or reset, as when a laptop changes Wi-Fi or a NAT entry times out. SIGUSR2 thaws
it; what was held is delivered then. Each prints a line ("frozen", "thawed") once it holds: Python
runs a handler only when its main thread next gets the interpreter, and until then a pump thread
could still pass bytes on, so the test waits for the line. SIGTERM ends it. It serves loopback only and stops by itself
after an hour.
"""
import signal
import socket
import sys
import threading
import time

frozen = threading.Event()


def wait_while_frozen():
    while frozen.is_set():
        time.sleep(0.01)


def pump(source, destination):
    try:
        while True:
            wait_while_frozen()
            data = source.recv(65536)
            if not data:
                break
            wait_while_frozen()
            destination.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, destination):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(listener, target):
    while True:
        client, _ = listener.accept()
        wait_while_frozen()
        try:
            server = socket.create_connection(target)
        except OSError:
            client.close()
            continue
        for source, destination in ((client, server), (server, client)):
            threading.Thread(target=pump, args=(source, destination), daemon=True).start()


def main():
    target = (sys.argv[1], int(sys.argv[2]))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    def freeze(*_):
        frozen.set()
        print("frozen", flush=True)

    def thaw(*_):
        frozen.clear()
        print("thawed", flush=True)

    signal.signal(signal.SIGUSR1, freeze)
    signal.signal(signal.SIGUSR2, thaw)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(listener.getsockname()[1], flush=True)
    threading.Thread(target=serve, args=(listener, target), daemon=True).start()
    time.sleep(3600)


if __name__ == "__main__":
    main()
