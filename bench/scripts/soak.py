#!/usr/bin/env python3
"""Kill-loop soak of a three-node Parley cluster on loopback, with a checker.

usage: bench/scripts/soak.py [--dist DIR] [--duration SECONDS] [--clients N] [--rooms N] [--seed N] [--out DIR]
                            [--ports P1,P2,P3] [--member-ports M1,M2,M3] [--rolling ROUNDS]
                            [--actions kill,term,stop]

Starts three `parley server`s of the distribution DIR (default launcher/target/parley) as one cluster
(client ports --ports, default 27301-27303; member ports --member-ports, default 25901-25903; 127.0.0.1). Clients, spread over the nodes, send
numbered messages in several rooms (every client is in every room) and whispers to one another, one command
at a time, and follow `@next` BYEs and dropped connections with RESUME (on the node named, else the next
one). Every 20-40 s one node at random is killed with SIGKILL, stopped with SIGTERM, or frozen with SIGSTOP,
for 5-30 s, then brought back (restarted, or SIGCONT). Bounded: --duration (default 600 s) plus a drain.
--actions limits the disruptions to some of kill (-9), term (SIGTERM) and stop (SIGSTOP); all by default.
With --rolling ROUNDS it does rolling restarts instead: node 1, 2, 3 in turn get SIGTERM, are started again
and are waited for, ROUNDS times, as an operator upgrading the cluster would; --duration then only bounds it.

Then it checks, from what every client received and what every sender got OK for:
  lost       an acknowledged message a member of the room (or the whisper's target) never received
  reordered  a member received a room's messages out of msgid order
  reused     one msgid carried two different messages in a room
  sessions   a session that could not be resumed (RESUME refused), so it was lost
  (duplicates, the same message received again or under a second msgid, are counted, not failed)
prints a table and exits 1 on any violation, 2 when the cluster could not be started.
Raw per-client logs go to --out (default bench/results/soak-<time>/).
"""
import argparse, os, random, signal, socket, subprocess, sys, threading, time

CLIENT_PORTS, MEMBER_PORTS = [27301, 27302, 27303], [25901, 25902, 25903]
NODES = 3


def node_conf(i, name):
    members = ", ".join(f'"127.0.0.1:{p}"' for p in MEMBER_PORTS)
    return f"""
parley.server.host = "127.0.0.1"
parley.server.port = {CLIENT_PORTS[i]}
parley.http.port = 0
parley.store.url = "memory:"
parley.limits.max-connections-per-address = 0
parley.heartbeat.resume-grace = 60s
parley.cluster {{
  enabled = true
  name = "{name}"
  host = "127.0.0.1"
  port = {MEMBER_PORTS[i]}
  members = [{members}]
  operation-timeout = 20s
  hazelcast {{
    "hazelcast.heartbeat.interval.seconds" = 1
    "hazelcast.max.no.heartbeat.seconds" = 5
    "hazelcast.graceful.shutdown.max.wait" = 10
  }}
}}
"""


class Node:
    def __init__(self, i, dist, out, name):
        self.i, self.dist, self.out = i, dist, out
        self.conf = os.path.join(out, f"node{i + 1}.conf")
        with open(self.conf, "w") as f:
            f.write(node_conf(i, name))
        self.proc = None
        self.frozen = False

    def start(self):
        log = open(os.path.join(self.out, f"node{self.i + 1}.log"), "a")
        env = dict(os.environ, JAVA_OPTS="-Xmx384m")
        self.proc = subprocess.Popen([os.path.join(self.dist, "bin", "parley"), "server", "--config", self.conf],
                                     stdout=log, stderr=subprocess.STDOUT, env=env)

    def port(self):
        return CLIENT_PORTS[self.i]

    def up(self, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port()), timeout=2) as s:
                    s.settimeout(5)
                    if s.recv(100).startswith(b"HELLO"):
                        return True
            except OSError:
                time.sleep(0.5)
        return False

    def signal(self, sig):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)

    def stop(self):
        if self.frozen:
            self.signal(signal.SIGCONT)
            self.frozen = False
        self.signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.proc.wait(10)


def parse(line):
    """(tags, verb, params, trailing) of a protocol line."""
    tags = {}
    if line.startswith("@"):
        head, line = line.split(" ", 1)
        for kv in head[1:].split(";"):
            k, _, v = kv.partition("=")
            tags[k] = v
    trailing = None
    if " :" in line:
        line, trailing = line.split(" :", 1)
    parts = line.split(" ")
    return tags, parts[0], parts[1:], trailing


class Client(threading.Thread):
    def __init__(self, k, nodes, rooms, peers, stop, out, ready):
        super().__init__(daemon=True)
        self.ready = ready  # every client is in every room before anyone speaks
        self.k, self.nodes, self.rooms, self.peers, self.stop_at, self.out = k, nodes, rooms, peers, stop, out
        self.nick = f"s{k}"
        self.node = k % len(nodes)
        self.sock, self.buf = None, b""
        self.token, self.last_seq = None, 0
        self.acked = []        # (target, text) that got OK
        self.received = []     # (target, msgid or None, text)
        self.lost_sessions = []
        self.resumes, self.errors = 0, []
        self.next_hint = None
        self.log = open(os.path.join(out, f"client{k}.log"), "w")

    # -- wire --
    def connect(self, port):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.settimeout(1.0)
        self.sock, self.buf = s, b""
        hello = self.readline(10)
        if not hello or not hello.startswith("HELLO"):
            raise OSError(f"no HELLO from {port}: {hello}")

    def readline(self, timeout):
        deadline = time.time() + timeout
        while b"\n" not in self.buf:
            if time.time() > deadline:
                return None
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise OSError("closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace").rstrip("\r")

    def command(self, line, timeout=30):
        """Sends a command; handles events until its reply; returns the reply's (verb, params, trailing)."""
        self.sock.sendall(line.encode() + b"\n")
        deadline = time.time() + timeout
        while True:
            got = self.readline(max(0.1, deadline - time.time()))
            if got is None:
                raise OSError(f"no reply to {line.split(' ')[0]} within {timeout}s")
            tags, verb, params, trailing = parse(got)
            if verb in ("OK", "ERR"):
                return verb, params, trailing
            self.event(got, tags, verb, params, trailing)

    def event(self, raw, tags, verb, params, trailing):
        self.log.write(raw + "\n")
        if "seq" in tags:
            self.last_seq = max(self.last_seq, int(tags["seq"]))
        if verb == "MSG":
            self.received.append((params[0].lower(), int(tags["msgid"]), trailing))
        elif verb == "WHISPER":
            self.received.append(("@" + self.nick, None, trailing))
        elif verb == "BYE":
            self.next_hint = tags.get("next")
            raise OSError("BYE " + " ".join(params))

    # -- session --
    def register(self):
        self.connect(self.nodes[self.node].port())
        verb, params, _ = self.command(f"NICK {self.nick}")
        if verb != "OK":
            raise SystemExit(f"client {self.k}: NICK refused: {params}")
        self.token = params[2] if len(params) > 2 else None
        for room in self.rooms:
            if self.command(f"JOIN {room}")[0] != "OK":
                raise SystemExit(f"client {self.k}: JOIN {room} refused")

    def resume(self):
        """Takes the session back on the node the BYE named, else the next ones, for up to 90 s."""
        deadline = time.time() + 90
        order = []
        if self.next_hint:
            order.append(int(self.next_hint.rsplit(":", 1)[1]))
        self.next_hint = None
        attempt = 0
        while time.time() < deadline:
            port = order.pop(0) if order else self.nodes[(self.node + attempt) % len(self.nodes)].port()
            attempt += 1
            try:
                if self.sock:
                    self.sock.close()
                self.connect(port)
                verb, params, trailing = self.command(f"RESUME {self.token} {self.last_seq}", timeout=30)
                if verb == "OK":
                    self.token = params[2] if len(params) > 2 else None
                    self.node = CLIENT_PORTS.index(port) if port in CLIENT_PORTS else self.node
                    self.resumes += 1
                    return True
                code = params[1] if len(params) > 1 else "?"
                if code == "SESSION_ELSEWHERE":
                    time.sleep(0.5)
                    continue
                self.lost_sessions.append(f"RESUME refused on {port}: {code} {trailing}")
                return False
            except OSError as e:
                self.log.write(f"# resume attempt on {port}: {e}\n")
                time.sleep(0.5)
        self.lost_sessions.append("could not resume within 90 s")
        return False

    def run(self):
        try:
            self.register()
        except (OSError, SystemExit) as e:
            self.errors.append(f"setup: {e}")
            self.ready.abort()
            return
        try:
            self.ready.wait(120)
        except threading.BrokenBarrierError:
            self.errors.append("setup: another client could not register")
            return
        n = 0
        while time.time() < self.stop_at:
            n += 1
            if n % 5 == 0:
                target, line = "@" + self.peers[(self.k + n) % len(self.peers)], None
                text = f"{self.nick}-w{n}"
                line = f"TELL {target[1:]} :{text}"
            else:
                target = self.rooms[n % len(self.rooms)]
                text = f"{self.nick}-{n}"
                line = f"SAY {target} :{text}"
            try:
                verb, params, _ = self.command(line)
                if verb == "OK":
                    self.acked.append((target.lower(), text))
            except OSError as e:
                self.log.write(f"# {e}\n")
                if not self.resume():
                    return
            time.sleep(random.uniform(0.05, 0.2))
        # Drain: read what is still on its way.
        drain_until = time.time() + 20
        while time.time() < drain_until:
            try:
                got = self.readline(1)
                if got is not None:
                    tags, verb, params, trailing = parse(got)
                    if verb not in ("OK", "ERR"):
                        self.event(got, tags, verb, params, trailing)
            except OSError as e:
                self.log.write(f"# drain: {e}\n")
                if not self.resume():
                    return
        try:
            self.sock.sendall(b"QUIT\n")
        except OSError:
            pass
        self.log.close()


ACTIONS = {"kill": "kill -9", "term": "SIGTERM", "stop": "SIGSTOP"}


def disrupt(nodes, stop_at, events, rng, actions):
    while True:
        wait = rng.uniform(20, 40)
        if time.time() + wait + 30 > stop_at:
            return
        time.sleep(wait)
        node = rng.choice(nodes)
        action = rng.choice(actions)
        down = rng.uniform(5, 30)
        t0 = time.time()
        if action == "kill -9":
            node.signal(signal.SIGKILL)
            node.proc.wait(10)
            time.sleep(down)
            node.start()
        elif action == "SIGTERM":
            node.signal(signal.SIGTERM)
            try:
                node.proc.wait(60)
            except subprocess.TimeoutExpired:
                node.signal(signal.SIGKILL)
                node.proc.wait(10)
            time.sleep(down)
            node.start()
        else:
            node.signal(signal.SIGSTOP)
            node.frozen = True
            time.sleep(down)
            node.signal(signal.SIGCONT)
            node.frozen = False
        back = node.up(120)
        events.append((round(t0), f"node{node.i + 1}", action, round(down, 1), "back" if back else "NOT BACK"))
        print(f"soak: {time.strftime('%H:%M:%S')} node{node.i + 1} {action} for {down:.0f}s, "
              f"{'back' if back else 'NOT BACK'}", flush=True)


def rolling(nodes, rounds, stop_at, events):
    """Restarts every node in turn with SIGTERM, as a rolling upgrade does, while the clients talk."""
    time.sleep(10)
    for _ in range(rounds):
        for node in nodes:
            if time.time() > stop_at - 20:
                return
            t0 = time.time()
            node.signal(signal.SIGTERM)
            try:
                node.proc.wait(60)
            except subprocess.TimeoutExpired:
                node.signal(signal.SIGKILL)
                node.proc.wait(10)
            node.start()
            back = node.up(120)
            events.append((round(t0), f"node{node.i + 1}", "SIGTERM", round(time.time() - t0, 1),
                           "back" if back else "NOT BACK"))
            print(f"soak: {time.strftime('%H:%M:%S')} node{node.i + 1} restarted (rolling), "
                  f"{'back' if back else 'NOT BACK'}", flush=True)
            time.sleep(10)  # the restarted member joins and takes partitions before the next one goes


def check(clients, rooms):
    by_msgid = {}  # (room, msgid) -> set of texts
    lost, reordered, dups = [], [], 0
    for c in clients:
        seen_ids = {}
        for room in rooms:
            ids = [m for (t, m, _) in c.received if t == room]
            last = 0
            for m in ids:
                if m in seen_ids.setdefault(room, set()):
                    dups += 1
                    continue
                if m < last:
                    reordered.append(f"{c.nick} {room}: msgid {m} after {last}")
                seen_ids[room].add(m)
                last = max(last, m)
        for (t, m, text) in c.received:
            if m is not None:
                by_msgid.setdefault((t, m), set()).add(text)
    reused = [f"{r} msgid {m}: {sorted(texts)}" for (r, m), texts in by_msgid.items() if len(texts) > 1]
    text_ids = {}
    for (r, m), texts in by_msgid.items():
        for text in texts:
            text_ids.setdefault((r, text), set()).add(m)
    appended_twice = sum(1 for ids in text_ids.values() if len(ids) > 1)
    for sender in clients:
        for (target, text) in sender.acked:
            for c in clients:
                if c is sender or c.errors or c.lost_sessions:
                    continue
                if target.startswith("@"):
                    if target[1:] != c.nick:
                        continue
                    got = any(t == target and x == text for (t, _, x) in c.received)
                else:
                    got = any(t == target and x == text for (t, _, x) in c.received)
                if not got:
                    lost.append(f"{text} ({target}) never reached {c.nick}")
    return lost, reordered, reused, dups, appended_twice


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dist", default="launcher/target/parley")
    ap.add_argument("--duration", type=float, default=600)
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--rooms", type=int, default=3)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--out", default=None)
    ap.add_argument("--ports", default="27301,27302,27303")
    ap.add_argument("--member-ports", default="25901,25902,25903")
    ap.add_argument("--rolling", type=int, default=0, help="rolling restarts instead of random disruptions")
    ap.add_argument("--actions", default="kill,term,stop")
    a = ap.parse_args()
    global CLIENT_PORTS, MEMBER_PORTS
    CLIENT_PORTS = [int(p) for p in a.ports.split(",")]
    MEMBER_PORTS = [int(p) for p in a.member_ports.split(",")]
    if len(CLIENT_PORTS) != NODES or len(MEMBER_PORTS) != NODES:
        sys.exit("soak: --ports and --member-ports take three ports each")
    if not a.actions or any(x not in ACTIONS for x in a.actions.split(",")):
        sys.exit("soak: --actions is a comma-separated list of kill, term and stop")
    actions = [ACTIONS[x] for x in a.actions.split(",")]
    if a.duration <= 0 or a.duration > 3600:
        sys.exit("soak: --duration must be 1-3600 seconds")
    out = a.out or os.path.join("bench", "results", time.strftime("soak-%Y-%m-%dT%H%M%S"))
    os.makedirs(out, exist_ok=True)
    rng = random.Random(a.seed)
    print(f"soak: seed {a.seed}, {a.duration:.0f}s, {a.clients} clients, {a.rooms} rooms; logs in {out}", flush=True)
    name = f"soak-{os.getpid()}"
    nodes = [Node(i, a.dist, out, name) for i in range(NODES)]
    try:
        for n in nodes:
            n.start()
        if not all(n.up() for n in nodes):
            print("soak: the cluster did not start; see the node logs", file=sys.stderr)
            sys.exit(2)
        time.sleep(3)  # members find each other
        rooms = [f"#soak{r}" for r in range(a.rooms)]
        stop_at = time.time() + a.duration
        nicks = [f"s{k}" for k in range(a.clients)]
        ready = threading.Barrier(a.clients)
        clients = [Client(k, nodes, rooms, nicks, stop_at, out, ready) for k in range(a.clients)]
        for c in clients:
            c.start()
            time.sleep(0.2)
        events = []
        disrupter = threading.Thread(target=rolling, args=(nodes, a.rolling, stop_at, events), daemon=True) \
            if a.rolling > 0 else threading.Thread(target=disrupt, args=(nodes, stop_at, events, rng, actions),
                                                                   daemon=True)
        disrupter.start()
        for c in clients:
            c.join(a.duration + 300)
        disrupter.join(5)
    finally:
        for n in nodes:
            try:
                n.stop()
            except Exception as e:  # a node that will not stop must not hide the result
                print(f"soak: stopping node{n.i + 1}: {e}", file=sys.stderr)
    lost, reordered, reused, dups, twice = check(clients, rooms)
    lost_sessions = [f"{c.nick}: {x}" for c in clients for x in c.lost_sessions + c.errors]
    kills = sum(1 for e in events if e[2] == "kill -9")
    print()
    print(f"{'disruptions':28s} {len(events)} ({kills} kill -9, "
          f"{sum(1 for e in events if e[2] == 'SIGTERM')} SIGTERM, {sum(1 for e in events if e[2] == 'SIGSTOP')} SIGSTOP)")
    for e in events:
        print(f"  {time.strftime('%H:%M:%S', time.localtime(e[0]))} {e[1]} {e[2]:8s} {e[3]:5.1f}s {e[4]}")
    print(f"{'acknowledged messages':28s} {sum(len(c.acked) for c in clients)}")
    print(f"{'received events':28s} {sum(len(c.received) for c in clients)}")
    print(f"{'resumes':28s} {sum(c.resumes for c in clients)}")
    print(f"{'duplicates (same msgid)':28s} {dups}")
    print(f"{'appended twice (two msgids)':28s} {twice}")
    rows = [("lost acknowledged", lost), ("reordered", reordered), ("msgids reused", reused),
            ("sessions lost", lost_sessions)]
    for label, items in rows:
        print(f"{label:28s} {len(items)}")
        for x in items[:10]:
            print(f"  {x}")
    sys.exit(1 if any(items for _, items in rows) else 0)


if __name__ == "__main__":
    main()
