#!/usr/bin/env python3
"""Tiny cross-node measurement for docs/cluster.md: alice on one server, bob on another (or the same).

usage: cross_node.py HOST:PORT_ALICE HOST:PORT_BOB [messages]
Prints pipelined throughput (alice sends N SAYs without waiting, bob receives all N) and one-by-one latency
(alice's SAY to bob's MSG, 300 samples, median and p99).
"""
import socket, sys, time, statistics, uuid


class Client:
    def __init__(self, addr):
        host, port = addr.split(":")
        self.s = socket.create_connection((host, int(port)))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.line()  # HELLO

    def send(self, line):
        self.s.sendall(line.encode() + b"\n")

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()

    def until(self, pred):
        while True:
            l = self.line()
            if pred(l):
                return l


def main():
    a_addr, b_addr = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    tag = uuid.uuid4().hex[:6]
    room = "#bench" + tag
    alice, bob = Client(a_addr), Client(b_addr)
    alice.send("NICK a" + tag); alice.until(lambda l: l.startswith("OK NICK"))
    bob.send("NICK b" + tag); bob.until(lambda l: l.startswith("OK NICK"))
    alice.send("JOIN " + room); alice.until(lambda l: l.startswith("OK JOIN"))
    bob.send("JOIN " + room); bob.until(lambda l: l.startswith("OK JOIN"))

    lat = []
    for i in range(300):
        t = time.perf_counter()
        alice.send(f"SAY {room} :ping{i}")
        bob.until(lambda l: " MSG " in l)
        lat.append((time.perf_counter() - t) * 1000)
        alice.until(lambda l: l.startswith("OK SAY"))

    t = time.perf_counter()
    payload = "".join(f"SAY {room} :m{i}\n" for i in range(n)).encode()
    alice.s.sendall(payload)
    for _ in range(n):
        bob.until(lambda l: " MSG " in l)
    dt = time.perf_counter() - t
    lat.sort()
    print(f"{a_addr} -> {b_addr}: {n / dt:,.0f} msg/s pipelined ({n} in {dt:.2f}s); "
          f"latency median {statistics.median(lat):.2f} ms, p99 {lat[int(len(lat) * 0.99) - 1]:.2f} ms")


if __name__ == "__main__":
    main()
