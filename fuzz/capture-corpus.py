#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz tests (see fuzz/README.md).

Seeds: the RFC 5769 and RFC 8489 Appendix B vectors, read from the test classes that hold them as hex, and
the packets of real sessions of coturn's turnutils_uclient (UDP with channels, UDP with Send indications,
TCP) against this project's server, recorded by a small proxy in between. Everything runs on 127.0.0.1;
every process this starts is ended by its PID. Needs turn-server-app/target/turn-server.jar and coturn's tools.

    python3 fuzz/capture-corpus.py
"""
import os, re, select, signal, socket, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODEC_TESTS = os.path.join(ROOT, "turn-codec/src/test/java/dev/turnlab/codec")
CODEC_INPUTS = os.path.join(ROOT, "turn-codec/src/test/resources/dev/turnlab/codec")
SERVER_INPUTS = os.path.join(ROOT, "turn-server/src/test/resources/dev/turnlab/server/handler")
USER, PASSWORD, REALM = "fuzz", "fuzz-password", "turnlab.test"
PEER_PORT = 3480
RESIGN, FROM_PEER = 0x04, 0x08


def rfc_vectors():
    """Every hex string constant of the RFC vector classes that reads as a STUN message."""
    vectors = {}
    for name in ("Rfc5769VectorsTest.java", "Rfc8489VectorsTest.java"):
        text = open(os.path.join(CODEC_TESTS, name)).read()
        constants = {}
        for m in re.finditer(r'static final String (\w+) =(.*?);', text, re.S):
            expr = re.sub(r'//[^\n]*', '', m.group(2))
            parts = re.findall(r'"([^"]*)"|(\b[A-Z_0-9]+\b)', expr)
            try:
                constants[m.group(1)] = "".join(lit if lit or not ident else constants[ident] for lit, ident in parts)
            except KeyError:
                continue
        for key, value in constants.items():
            if re.fullmatch(r'(?:[0-9a-f]{2})+', value) and len(value) >= 40 and int(value[:2], 16) <= 3:
                vectors[name[:7].lower() + "-" + key.lower().replace("_", "-")] = bytes.fromhex(value)
    return vectors


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class UdpRecorder(threading.Thread):
    """Forwards datagrams between clients and the server, recording (direction, bytes) in order."""

    def __init__(self, server_port):
        super().__init__(daemon=True)
        self.server = ("127.0.0.1", server_port)
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.port = self.front.getsockname()[1]
        self.upstream = {}
        self.clients = {}
        self.packets = []
        self.running = True

    def run(self):
        while self.running:
            socks = [self.front] + list(self.upstream.values())
            ready, _, _ = select.select(socks, [], [], 0.2)
            for s in ready:
                data, addr = s.recvfrom(65535)
                if s is self.front:
                    up = self.upstream.get(addr)
                    if up is None:
                        up = self.upstream[addr] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        up.bind(("127.0.0.1", 0))
                        self.clients[up] = addr
                    self.packets.append(("c", data))
                    up.sendto(data, self.server)
                else:
                    self.packets.append(("s", data))
                    self.front.sendto(data, self.clients[s])


class TcpRecorder(threading.Thread):
    """Forwards one TCP connection to the server, recording each chunk the client sent, and the server's bytes."""

    def __init__(self, server_port):
        super().__init__(daemon=True)
        self.server = ("127.0.0.1", server_port)
        self.front = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.front.bind(("127.0.0.1", 0))
        self.front.listen(4)
        self.port = self.front.getsockname()[1]
        self.chunks = []
        self.running = True

    def run(self):
        self.front.settimeout(0.2)
        conns = []
        while self.running:
            try:
                client, _ = self.front.accept()
                conns.append((client, socket.create_connection(self.server)))
            except socket.timeout:
                pass
            for client, up in list(conns):
                ready, _, _ = select.select([client, up], [], [], 0)
                for s in ready:
                    data = s.recv(65535)
                    if not data:
                        conns.remove((client, up))
                        client.close()
                        up.close()
                        break
                    self.chunks.append(("c" if s is client else "s", data))
                    (up if s is client else client).sendall(data)


def start(args, **kw):
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def uclient(port, *flags):
    args = ["timeout", "60", "turnutils_uclient", "-e", "127.0.0.1", "-r", str(PEER_PORT), "-u", USER, "-w", PASSWORD,
            "-n", "3", "-l", "60", "-m", "1", "-c", "-p", str(port), *flags, "127.0.0.1"]
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=90)


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def step(control, data):
    return bytes([control, len(data) >> 8, len(data) & 0xFF]) + data


def peer_payloads(data):
    """The data the server relayed from a peer in these bytes: ChannelData payloads and Data indications' DATA."""
    payloads, at = [], 0
    while at + 4 <= len(data):
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if 0x40 <= data[at] <= 0x7F:
            payloads.append(data[at + 4:at + 4 + length])
            at += 4 + length + (-length % 4)
            continue
        message = data[at:at + 20 + length]
        if data[at:at + 2] == b"\x00\x17":  # a Data indication: its DATA attribute (0x0013)
            i = 20
            while i + 4 <= len(message):
                code, size = int.from_bytes(message[i:i + 2], "big"), int.from_bytes(message[i + 2:i + 4], "big")
                if code == 0x0013:
                    payloads.append(message[i + 4:i + 4 + size])
                i += 4 + size + (-size % 4)
        at += 20 + length
    return payloads


def script(records):
    """A FuzzedServer script: the client's packets, STUN re-signed; what a peer sent the client, as from peer 0."""
    out = b""
    for direction, data in records:
        if direction == "c":
            out += step(RESIGN if data[0] <= 3 else 0, data)
        else:
            out += b"".join(step(FROM_PEER, payload) for payload in peer_payloads(data))
    return out


def main():
    jar = os.path.join(ROOT, "turn-server-app/target/turn-server.jar")
    port = free_port(socket.SOCK_DGRAM)
    server = start(["java", "-jar", jar, "--listen", "127.0.0.1", "--port", str(port), "--no-tls", "--realm", REALM,
                    "--user", USER + ":" + PASSWORD, "--allow-loopback-peers", "--relay-ports", "52000-52100"])
    peer = start(["turnutils_peer", "-L", "127.0.0.1", "-p", str(PEER_PORT)])
    sessions = {}
    try:
        time.sleep(3)
        for name, flags in (("udp-channels", []), ("udp-send", ["-s"])):
            rec = UdpRecorder(port)
            rec.start()
            uclient(rec.port, *flags)
            rec.running = False
            sessions[name] = rec.packets
        rec = TcpRecorder(port)
        rec.start()
        uclient(rec.port, "-t")
        rec.running = False
        sessions["tcp"] = rec.chunks
    finally:
        stop(peer)
        stop(server)

    vectors = rfc_vectors()
    for name, data in vectors.items():
        write(os.path.join(CODEC_INPUTS, "StunMessageCodecFuzzTestInputs/decode"), name, data)
        write(os.path.join(CODEC_INPUTS, "netty/StunDatagramDecoderFuzzTestInputs/datagram"), name, data)
    for name in ("udp-channels", "udp-send"):
        seen = set()
        for i, (direction, data) in enumerate(sessions[name]):
            if data in seen:
                continue
            seen.add(data)
            label = "uclient-%s-%02d-%s" % (name, i, "client" if direction == "c" else "server")
            write(os.path.join(CODEC_INPUTS, "netty/StunDatagramDecoderFuzzTestInputs/datagram"), label, data)
            kind = "StunMessageCodecFuzzTestInputs/decode" if data[0] <= 3 else "ChannelDataCodecFuzzTestInputs/decode"
            write(os.path.join(CODEC_INPUTS, kind), label, data)
        write(os.path.join(SERVER_INPUTS, "UdpListenerFuzzTestInputs/datagrams"), "uclient-" + name,
              script(sessions[name]))
    client = b"".join(d for direction, d in sessions["tcp"] if direction == "c")
    server_bytes = b"".join(d for direction, d in sessions["tcp"] if direction == "s")
    # StunStreamDecoderFuzzTest reads its chunk sizes from the end of the input (FuzzedDataProvider).
    for label, data in (("uclient-tcp-client", client), ("uclient-tcp-server", server_bytes)):
        write(os.path.join(CODEC_INPUTS, "netty/StunStreamDecoderFuzzTestInputs/stream"), label,
              data + bytes([0x00, 0x40, 0x00, 0x14, 0x03]))
    write(os.path.join(SERVER_INPUTS, "StreamListenerFuzzTestInputs/stream"), "uclient-tcp", script(sessions["tcp"]))
    for name, records in sessions.items():
        print("%s: %d client packets, %d server packets" % (name, sum(1 for d, _ in records if d == "c"),
                                                           sum(1 for d, _ in records if d == "s")))
    print("%d RFC vectors" % len(vectors))


if __name__ == "__main__":
    sys.exit(main())
