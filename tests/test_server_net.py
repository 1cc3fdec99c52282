#!/usr/bin/python3
"""The reference server's network edge, as an attacker and a kiosk meet it:
the TLS versions and ciphers it completes a handshake with (spoken to with
`openssl s_client`), how it reads the Authorization header, and whether a
kiosk with a valid token still gets its batch through while another client
at the same address (a NAT) holds every connection it may, half-open.

Linux answers on all of 127.0.0.0/8, so two addresses are two clients.

Usage: test_server_net.py KUULOLLA_SERVER
"""
import http.client
import json
import os
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_server  # noqa: E402
import test_server_abuse  # noqa: E402
from kuu_tap import run  # noqa: E402
from test_server import call, record  # noqa: E402
from test_server_abuse import ABUSER, HONEST, closed_by_server  # noqa: E402

# Debian's OpenSSL refuses TLS 1.0 and 1.1 itself at its default security
# level: level 0 lets it offer them, so a refusal seen is the server's.
ANY_CIPHER = "DEFAULT@SECLEVEL=0"

# A TLS handshake's time in the server: well under a second in a plain
# build, 4-10 s in the sanitized one with the slow unwinder (measured:
# every allocation unwinds its stack through DWARF), which the server
# tests need for libsoup's suppressions (tests/meson.build).
HANDSHAKE_SLOWNESS = float(os.environ.get("KUULOLLA_TIME_FACTOR", "1")) * (
    5 if os.environ.get("KUULOLLA_SLOW_UNWIND") == "1" else 1)


class Server(test_server_abuse.Server):
    """The abuse tests' server (stderr not kept: hundreds of dropped
    connections would fill the pipe), optionally under a TLS priority of
    an operator's own (G_TLS_GNUTLS_PRIORITY)."""

    def __init__(self, tmp, *args, priority=None):
        if priority is not None:
            os.environ["G_TLS_GNUTLS_PRIORITY"] = priority
        try:
            super().__init__(tmp, *args)
        finally:
            os.environ.pop("G_TLS_GNUTLS_PRIORITY", None)


class Folder(str):
    """What a case that starts its own servers is handed: its folder."""

    def stop(self):
        return ""


FOLDER = "folder only"


def start(tmp, *args):
    return Folder(tmp) if args == (FOLDER,) else Server(tmp, *args)


def certificate(tmp):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    return ["--tls-cert", cert, "--tls-key", key]


def handshake(server, *options):
    """The protocol and cipher of a completed handshake, or None."""
    out = subprocess.run(["openssl", "s_client", "-connect", "%s:%d" % (server.host, server.port), *options],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    for line in out.stdout.splitlines():
        if line.startswith("New, ") and "Cipher is" in line:
            protocol, cipher = line[len("New, "):].split(", Cipher is ")
            return None if cipher == "(NONE)" else (protocol, cipher)
    return None


WEAK = [
    ("-tls1", "-cipher", ANY_CIPHER),
    ("-tls1_1", "-cipher", ANY_CIPHER),
    ("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA@SECLEVEL=0"),     # CBC, SHA-1
    ("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256@SECLEVEL=0"),  # CBC
    ("-tls1_2", "-cipher", "AES128-GCM-SHA256@SECLEVEL=0"),        # RSA key transport
    ("-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256@SECLEVEL=0"),
]
STRONG = [
    ("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"),
    ("-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"),
    ("-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"),
    ("-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"),
    ("-tls1_3",),
]


def tls_versions(tmp):
    """TLS 1.0 and 1.1, CBC, SHA-1 and static RSA are refused; TLS 1.2
    with ECDHE and an AEAD cipher, and TLS 1.3, are taken. The same client
    does get TLS 1.0 and CBC from a server told GnuTLS's own default
    (NORMAL): the refusals are the server's policy, and an operator's
    G_TLS_GNUTLS_PRIORITY is used."""
    args = certificate(tmp)
    lax = Server(tmp, *args, priority="NORMAL")
    try:
        assert handshake(lax, "-tls1", "-cipher", ANY_CIPHER), "this openssl cannot speak TLS 1.0 at all"
        assert handshake(lax, *WEAK[2]), "this openssl cannot speak CBC with SHA-1 at all"
    finally:
        lax.stop()
    server = Server(tmp, *args)
    try:
        for options in WEAK:
            got = handshake(server, *options)
            assert got is None, (options, got)
        for options in STRONG:
            got = handshake(server, *options)
            assert got is not None, options
            assert got[0] in ("TLSv1.2", "TLSv1.3"), (options, got)
    finally:
        server.stop()


def tls_help(tmp):
    """--help states the TLS policy; an operator's own priority is named
    at start, ours is not."""
    out = subprocess.run([test_server.SERVER, "--help"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, out.stderr
    assert "TLS 1.2 or 1.3 only" in out.stdout and "-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" in out.stdout, out.stdout
    args = certificate(tmp)
    for own, said in ((None, False), ("NORMAL:-VERS-TLS1.0", True)):
        env = dict(os.environ)
        env.pop("G_TLS_GNUTLS_PRIORITY", None)
        if own:
            env["G_TLS_GNUTLS_PRIORITY"] = own
        proc = subprocess.Popen([test_server.SERVER, "--database", os.path.join(tmp, "s.db"), "--listen",
                                 "127.0.0.1:0", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        line = proc.stdout.readline()
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
        assert line.startswith("listening on https://"), (line, stderr)
        assert ("G_TLS_GNUTLS_PRIORITY: NORMAL:-VERS-TLS1.0" in stderr) == said, (own, stderr)


def tls_health(server, source):
    """The head of the answer to GET /healthz over TLS from @source."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    plain = server.connect(source=source)
    plain.settimeout(10 * HANDSHAKE_SLOWNESS)
    with context.wrap_socket(plain) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        return read_head(connection)


def tls_half_open(tmp):
    """Over TLS, connections that never finish a handshake (nothing sent,
    or the first bytes of a ClientHello) count against their address at
    once and are closed at the request time limit (here 2 s); a kiosk at
    the same address is served meanwhile. libsoup alone showed the server
    nothing before the handshake: such connections stayed open for good.
    (The limit grows where a real handshake is slow, HANDSHAKE_SLOWNESS.)"""
    limit = int(2 * HANDSHAKE_SLOWNESS)
    server = Server(tmp, *certificate(tmp), "--request-timeout", str(limit), "--max-connections", "5")
    try:
        held = [server.connect(source=ABUSER) for _ in range(8)]
        held[-1].sendall(b"\x16\x03\x01")
        assert tls_health(server, ABUSER).startswith(b"HTTP/1.1 200"), "a TLS client was not served"
        closed = [closed_by_server(c, limit + 13) for c in held]
        for c in held:
            c.close()
        assert all(closed), "%d of 8 connections without a handshake still open" % closed.count(False)
        assert tls_health(server, HONEST).startswith(b"HTTP/1.1 200")
    finally:
        server.stop()


def raw_get(server, *authorizations):
    """The status of GET /api/v1/region with these Authorization headers."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.putrequest("GET", "/api/v1/region")
        for value in authorizations:
            connection.putheader("Authorization", value)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def authorization(server):
    """The scheme in any case, then one or more spaces and the token;
    anything else is 401."""
    token = server.enrol()["token"]
    for good in ("Bearer " + token, "bearer " + token, "BEARER " + token, "bEaReR   " + token):
        assert raw_get(server, good) == 200, good.split()[0]
    for bad in ("Bearer", "Bearer ", "Basic " + token, "Bearer" + token, "Bearer\t" + token,
                "Bearer " + token + " x", "Bearer " + token + ",", "Token " + token, token):
        assert raw_get(server, bad) == 401, bad.replace(token, "<token>")
    assert raw_get(server, "Bearer " + token, "Bearer " + token) == 401, "two Authorization headers were taken"


def send_batch(server, token, source):
    status, payload, _ = server.request("POST", "/api/v1/submissions", {"records": [record()]},
                                        token=token, source=source)
    assert status == 200 and json.loads(payload)["results"][0]["status"] == "accepted", (source, status, payload)


def half_open_behind_nat(server):
    """300 connections that send nothing (more than an address may hold,
    256), then a kiosk with a valid token at the same address sends a
    batch: it goes through, and so does one from another address. Before
    the connection guard made room, the kiosk's connection was closed."""
    kiosk, elsewhere = server.enrol()["token"], server.enrol()["token"]
    held = [server.connect(source=ABUSER) for _ in range(300)]
    try:
        send_batch(server, kiosk, ABUSER)
        send_batch(server, elsewhere, HONEST)
        # Room was made from the oldest: the newest half-open one is still held.
        held[-1].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert held[-1].recv(12) == b"HTTP/1.1 200", "the newest connection was closed"
        assert closed_by_server(held[0], 10), "the oldest half-open connection is still open"
    finally:
        for c in held:
            c.close()


def headers_sent(server, token):
    """A connection from ABUSER that has sent a batch's headers with a
    valid token and waits, told to go on (100 Continue), for its body."""
    body = json.dumps({"records": [record()]}).encode()
    connection = server.connect(source=ABUSER)
    connection.sendall(b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode() +
                       b"\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
                       str(len(body)).encode() + b"\r\n\r\n")
    answer = read_head(connection)
    assert answer.startswith(b"HTTP/1.1 100"), answer
    return connection, body


def read_head(connection):
    """A response's status line and headers."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        byte = connection.recv(1)
        assert byte, "the connection was closed: %r" % answer
        answer += byte
    return answer


def finish(connection, body):
    connection.sendall(body)
    answer = read_head(connection)
    connection.close()
    return answer.split(b"\r\n")[0]


def valid_requests_kept(server):
    """At its bound (here 3), an address's half-open connection makes room
    for a new one; requests with a valid token under way never do: with
    all three such, a new connection is refused, and all three finish."""
    token = server.enrol()["token"]
    waiting = [headers_sent(server, token) for _ in range(2)]
    idle = server.connect(source=ABUSER)
    newcomer = server.connect(source=ABUSER)
    newcomer.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert newcomer.recv(12) == b"HTTP/1.1 200", "no room was made for a new connection"
    newcomer.close()
    assert closed_by_server(idle, 10), "the half-open connection was kept"
    waiting.append(headers_sent(server, token))
    refused = server.connect(source=ABUSER)
    refused.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert closed_by_server(refused, 10), "a valid request under way was closed to make room"
    refused.close()
    for connection, body in waiting:
        status = finish(connection, body)
        assert status == b"HTTP/1.1 200 OK", status
    status, _, _ = call(server.base, "GET", "/healthz")
    assert status == 200


CASES = [
    ("TLS: 1.0, 1.1, CBC, SHA-1 and static RSA refused; 1.2 with ECDHE and AEAD, and 1.3, taken", tls_versions, FOLDER),
    ("TLS: connections that never finish a handshake count and are closed in time", tls_half_open, FOLDER),
    ("--help states the TLS policy; an operator's own is named at start", tls_help, FOLDER),
    ("Authorization: the scheme in any case, then spaces and a token68; anything else 401", authorization),
    ("300 half-open connections at a kiosk's address: its batch and another address's go through",
     half_open_behind_nat),
    ("at its bound an address's half-open connection makes room; valid requests under way never",
     valid_requests_kept, "--max-connections", "3"),
]


def main():
    test_server.SERVER = sys.argv[1]
    run(CASES, start, lambda thing: thing.stop())


if __name__ == "__main__":
    main()
