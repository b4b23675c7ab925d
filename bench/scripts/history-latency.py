#!/usr/bin/env python3
"""HISTORY paging over the wire: the time from sending `HISTORY <#room> BEFORE <msgid> 100` to reading its
`OK HISTORY`, for random msgids of a room holding --messages messages (issue #20's target: p99 <= 5 ms with
1,000,000). Fills the room first with pipelined SAYs when it holds fewer. Loopback only; stops by itself.

    bench/scripts/history-latency.py --port 7878 [--messages 1000000] [--samples 10000] [--page 100]

Prints one line `RESULT {...}` (JSON): samples, p50/p90/p99/p999/max in ms, pages that came back short.
Start the server with the store to measure, e.g.
    JAVA_OPTS='-Dparley.store.url=jdbc:sqlite:/tmp/h.db' bin/parley server
"""
import argparse, json, random, socket, sys, time


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def send(self, line):
        self.s.sendall(line.encode() + b"\r\n")

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(1 << 16)
            if not chunk:
                raise SystemExit("history-latency: the server closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode()

    def until(self, prefix):
        lines = []
        while True:
            l = self.line()
            if l.startswith(prefix) or l.startswith("ERR "):
                return l, lines
            lines.append(l)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=7878)
    p.add_argument("--room", default="#history-bench")
    p.add_argument("--messages", type=int, default=1_000_000)
    p.add_argument("--samples", type=int, default=10_000)
    p.add_argument("--page", type=int, default=100)
    p.add_argument("--window", type=int, default=500)
    a = p.parse_args()
    c = Conn(a.port)
    c.line()  # HELLO
    c.send("NICK hbench%d" % random.randrange(1 << 20)); c.until("OK NICK")
    c.send("JOIN " + a.room); c.until("OK JOIN")
    c.send("HISTORY %s LATEST 1" % a.room)
    end, data = c.until("OK HISTORY")
    last = 0
    for l in data:
        if l.startswith("@msgid="):
            last = int(l.split(";")[0].split("=")[1].split(" ")[0])
    started = time.time()
    to_send = max(0, a.messages - last)
    sent = acked = 0
    while acked < to_send:  # pipelined, window a.window
        while sent < to_send and sent - acked < a.window:
            c.send("SAY %s :history bench message %d padding padding padding padding padding" % (a.room, sent)); sent += 1
        l = c.line()
        if l.startswith("OK SAY"):
            acked += 1
        elif l.startswith("ERR"):
            raise SystemExit("history-latency: " + l)
    fill_s = time.time() - started
    last = max(last, a.messages) if to_send else last
    c.send("HISTORY %s LATEST 1" % a.room)
    end, data = c.until("OK HISTORY")
    for l in data:
        if l.startswith("@msgid="):
            last = int(l.split(";")[0].split("=")[1].split(" ")[0])
    for _ in range(200):  # warm-up
        c.send("HISTORY %s BEFORE %d %d" % (a.room, random.randint(a.page + 1, last), a.page)); c.until("OK HISTORY")
    times, short = [], 0
    for _ in range(a.samples):
        ref = random.randint(a.page + 1, last)
        t0 = time.perf_counter()
        c.send("HISTORY %s BEFORE %d %d" % (a.room, ref, a.page))
        end, data = c.until("OK HISTORY")
        times.append(time.perf_counter() - t0)
        if not end.startswith("OK HISTORY") or int(end.split()[-1]) != a.page:
            short += 1
    c.send("QUIT")
    times.sort()
    q = lambda f: round(times[min(len(times) - 1, int(f * len(times)))] * 1000, 3)
    print("RESULT " + json.dumps({"scenario": "history-before", "room_messages": last, "filled": to_send,
                                  "fill_s": round(fill_s, 1), "page": a.page, "samples": len(times),
                                  "p50_ms": q(0.5), "p90_ms": q(0.9), "p99_ms": q(0.99), "p999_ms": q(0.999),
                                  "max_ms": round(times[-1] * 1000, 3), "short_pages": short}))


if __name__ == "__main__":
    main()
