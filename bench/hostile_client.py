#!/usr/bin/env python3
"""Clients for bench/hostile.sh (stdlib only).

    hostile_client.py get URL N            # N concurrent GETs of URL: wall s, statuses, bytes
    hostile_client.py idle HOST PORT N SECS PID
        # open N connections that send nothing; every second count how many the server has
        # closed, and how many sockets the server process PID holds; stop after SECS
"""
import os
import selectors
import socket
import sys
import threading
import time
import urllib.request


def get(url, n):
    results = []

    def one():
        t = time.time()
        try:
            with urllib.request.urlopen(url, timeout=300) as r:
                body = r.read()
                results.append((r.status, len(body), time.time() - t))
        except Exception as e:  # noqa: BLE001 - a bench reports what happened
            results.append((str(e)[:60], 0, time.time() - t))

    threads = [threading.Thread(target=one) for _ in range(n)]
    start = time.time()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.time() - start
    statuses = {}
    for s, _, _ in results:
        statuses[s] = statuses.get(s, 0) + 1
    size = max(b for _, b, _ in results)
    slowest = max(t for _, _, t in results)
    print(f"get: {n} requests in {wall:.1f} s (slowest {slowest:.1f} s); statuses {statuses}; body {size} bytes")


def server_sockets(pid):
    n = 0
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                    n += 1
            except OSError:
                pass
    except OSError:
        return -1
    return n


def idle(host, port, n, secs, pid):
    t0 = time.time()
    socks = []
    for _ in range(n):
        # One at a time, each connected before the next (a burst of SYNs would overflow the
        # listen queue and leave connections the server never saw).
        s = socket.create_connection((host, port), timeout=10)
        s.setblocking(False)
        socks.append(s)
    print(f"connected {n} in {time.time() - t0:.1f} s; server sockets {server_sockets(pid)}")
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    start = time.time()
    open_ = set(socks)
    peak = 0
    closed_at = {}
    next_report = 1.0
    while open_ and time.time() - start < secs:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                closed_at[s] = time.time() - start
                open_.discard(s)
                sel.unregister(s)
        elapsed = time.time() - start
        if elapsed >= next_report:
            held = server_sockets(pid)
            peak = max(peak, held)
            if int(elapsed) in (1, 5, 10, 15, 20, 30, 45, 60, 65, 90) or not open_:
                print(f"t={int(elapsed):3d}s  closed by server {len(closed_at):5d}/{n}  server sockets {held}")
            next_report += 1.0
    print(f"idle: {n} connections; closed by server within {secs} s: {len(closed_at)}; "
          f"still open: {len(open_)}; last closed at {max(closed_at.values(), default=0):.1f} s; "
          f"server sockets peak {peak}")
    for s in socks:
        s.close()


if __name__ == "__main__":
    if sys.argv[1] == "get":
        get(sys.argv[2], int(sys.argv[3]))
    else:
        idle(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]))
