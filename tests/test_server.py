#!/usr/bin/python3
"""The reference server as a kiosk and a region's IT meet it: the real
kuulolla-server on 127.0.0.1 with a free port, spoken to over HTTP (and
HTTPS). Enrolment, tokens and roles, the per-record answers of a batch, the
limits a client cannot pass (413, 429), the region file with its ETag,
initiatives and their cursor, NPS and CSV reports checked against figures
computed here, and what the log may and may not say.

Usage: test_server.py KUULOLLA_SERVER
"""
import calendar
import csv
import datetime
import hashlib
import http.client
import io
import json
import math
import os
import random
import select
import re
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kuu_tap import run  # noqa: E402

SERVER = None
SOURCE_DIR = os.environ.get("KUULOLLA_SOURCE_DIR",
                            os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGIONS_DIR = os.path.join(SOURCE_DIR, "data", "regions")
TODAY = datetime.datetime.now(datetime.timezone.utc).date()


def month(k):
    """Month k (2–12) of the test data as YYYY-MM: 12 is this month, 11
    the last one, and so on. The server takes records at most 365 days
    old (docs/protocol.md § 4): the data moves with the calendar."""
    index = TODAY.year * 12 + TODAY.month - 1 - (12 - k)
    return "%04d-%02d" % (index // 12, index % 12 + 1)


def last_day(k):
    year, number = map(int, month(k).split("-"))
    return "%s-%02d" % (month(k), calendar.monthrange(year, number)[1])


def call(base, method, path, body=None, token=None, raw=None, headers=None, context=None):
    """(status, headers, body): the body as JSON when it is JSON, else bytes."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            status, got, payload = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, got, payload = error.code, error.headers, error.read()
    if payload and (got.get("Content-Type") or "").startswith("application/json"):
        payload = json.loads(payload)
    return status, dict(got), payload or None


def record(**changes):
    r = {
        "uuid": str(uuidlib.uuid4()), "kind": "recommendation", "created_at": month(11) + "-24T10:00:00Z",
        "region": "kainuu", "unit": "Kajaani", "language": "fi", "audience": "residents",
        "topic": {"kind": "goal", "id": "together"}, "score": 9,
        "answers": [{"statement": "felt-safe", "answer": 5}], "text": "Hyvä",
    }
    r.update(changes)
    return r


def feedback(**changes):
    r = {
        "uuid": str(uuidlib.uuid4()), "kind": "feedback", "created_at": month(11) + "-24T10:00:00Z",
        "region": "kainuu", "unit": "Kajaani", "language": "fi", "audience": "residents",
        "topic": None, "text": "Palautetta",
    }
    r.update(changes)
    return r


CONTACT = {"name": "Aino Äijälä", "email": "aino.aijala@example.fi", "phone": "+358 40 123 4567"}


def initiative(**changes):
    r = {
        "uuid": str(uuidlib.uuid4()), "kind": "initiative", "created_at": month(10) + "-02T09:00:00Z",
        "region": "kainuu", "unit": "Kajaani", "language": "fi", "audience": "residents",
        "topic": None, "text": "Kuhmoon lisää iltavastaanottoja.",
        "initiative": {"title": "Iltavastaanotto Kuhmoon", "municipality": "kuhmo", "channel": "kiosk",
                       "received_on": month(10) + "-02", "signatories": 12},
        "contact": dict(CONTACT),
    }
    r.update(changes)
    return r


class Server:
    regions_args = []

    def __init__(self, tmp, *args, database=None):
        self.tmp = tmp
        self.database = database or os.path.join(tmp, "server.db")
        self.proc = subprocess.Popen([SERVER, "--database", self.database, "--listen", "127.0.0.1:0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith("listening on "), "the server said: %r %r" % (line, self.proc.stderr.read())
        self.base = line.split()[-1].rstrip("/")
        # admin enrol checks the region against the ones this server serves.
        self.regions_args = [a for i, a in enumerate(args) if a == "--regions-dir" or
                             (i > 0 and args[i - 1] == "--regions-dir")]

    def run_admin(self, *args):
        return subprocess.run([SERVER, "--database", self.database, "admin", *args],
                              capture_output=True, text=True)

    def admin(self, *args):
        out = self.run_admin(*args)
        assert out.returncode == 0, (args, out.returncode, out.stderr)
        return out.stdout.strip()

    def enrol(self, region="kainuu", unit="Kajaani"):
        code = self.admin("enrol", "--region", region, "--unit", unit, *self.regions_args)
        status, _, body = call(self.base, "POST", "/api/v1/enrol", {"code": code})
        assert status == 201, (status, body)
        return body

    def token(self, role):
        out = self.run_admin("token", "--role", role, "--name", "Raportointi")
        assert out.returncode == 0, out.stderr
        token_id = re.search(r"token id (\S+)", out.stderr).group(1)
        return out.stdout.strip(), token_id

    def deliver(self, token, records):
        for start in range(0, len(records), 500):
            status, _, body = call(self.base, "POST", "/api/v1/submissions",
                                   {"records": records[start:start + 500]}, token=token)
            assert status == 200, (status, body)
            bad = [r for r in body["results"] if r["status"] != "accepted"]
            assert not bad, bad[:3]

    def wait_for_log(self, lines, timeout=10):
        """The log so far, once it holds @lines request lines: a request's
        line is written when the server has finished it, which may be just
        after the client has its answer."""
        self.log = getattr(self, "log", "")
        deadline = time.monotonic() + timeout
        while self.log.count(" method=") < lines and time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stderr], [], [], 0.1)
            if ready:
                self.log += os.read(self.proc.stderr.fileno(), 65536).decode()
        return self.log

    def stop(self):
        if self.proc.returncode is not None:
            return ""
        self.proc.terminate()
        self.proc.wait(timeout=10)
        return getattr(self, "log", "") + self.proc.stderr.read()


def health(server):
    status, _, body = call(server.base, "GET", "/healthz")
    assert (status, body) == (200, {"status": "ok"}), (status, body)


def enrolment(server):
    code = server.admin("enrol", "--region", "kainuu", "--unit", "Kajaani")
    for wrong in ({"code": {"$ne": ""}}, {"code": ["a"]}, {"code": 5}, {}):
        status, _, body = call(server.base, "POST", "/api/v1/enrol", wrong)
        assert status == 400, (wrong, status, body)
    status, _, body = call(server.base, "POST", "/api/v1/enrol", {"code": "AAAA-BBBB-CCCC"})
    assert status == 409, (status, body)
    status, _, body = call(server.base, "POST", "/api/v1/enrol", {"code": code.lower()})
    assert status == 201 and body["region"] == "kainuu", (status, body)
    assert len(body["token"]) >= 22, "the token carries fewer than 128 bits"
    status, _, _ = call(server.base, "POST", "/api/v1/enrol", {"code": code})
    assert status == 409, "a code worked twice"
    with open(server.database, "rb") as f:
        assert body["token"].encode() not in f.read(), "the token itself is in the database"
    db = sqlite3.connect(server.database)
    hashes = [row[0] for row in db.execute("SELECT token_hash FROM devices")]
    assert hashes and body["token"] not in hashes


def tokens(server):
    device = server.enrol()
    batch = {"records": [record()]}
    status, headers, _ = call(server.base, "POST", "/api/v1/submissions", batch)
    assert status == 401 and "Bearer" in headers.get("WWW-Authenticate", ""), status
    status, _, _ = call(server.base, "POST", "/api/v1/submissions", batch, token="x" * 43)
    assert status == 401, status
    status, _, _ = call(server.base, "POST", "/api/v1/submissions", batch, token=device["token"])
    assert status == 200, status
    server.admin("revoke", device["device_id"])
    status, _, _ = call(server.base, "POST", "/api/v1/submissions", batch, token=device["token"])
    assert status == 401, "a revoked token still works"


def batches(server):
    token = server.enrol()["token"]
    good = record(text="<b>Hyvä</b> & '; DROP TABLE records; -- 👍")
    changed = dict(good, score=3)
    invalid = record(score=11)
    foreign = record(topic={"kind": "goal", "id": "talous"})
    other_region = record(region="kymenlaakso")
    status, _, body = call(server.base, "POST", "/api/v1/submissions",
                           {"records": [good, good, changed, invalid, foreign, other_region, "garbage",
                                        {"uuid": {"a": 1}}]},
                           token=token)
    assert status == 200, (status, body)
    results = body["results"]
    got = [(r["uuid"], r["status"]) for r in results]
    assert got[:6] == [(good["uuid"], "accepted"), (good["uuid"], "duplicate"), (good["uuid"], "rejected"),
                       (invalid["uuid"], "rejected"), (foreign["uuid"], "rejected"),
                       (other_region["uuid"], "rejected")], got
    assert results[6]["status"] == "rejected", results[6]
    assert results[7]["status"] == "rejected" and results[7]["uuid"] is None, results[7]
    assert "different content" in results[2]["reason"], results[2]
    assert results[3]["reason"].startswith("score"), results[3]
    assert "talous" in results[4]["reason"], results[4]
    assert results[5]["reason"].startswith("region"), results[5]

    db = sqlite3.connect(server.database)
    rows = db.execute("SELECT record FROM records WHERE uuid = ?", (good["uuid"],)).fetchall()
    assert len(rows) == 1, rows
    stored = json.loads(rows[0][0])
    assert stored["text"] == good["text"] and stored["score"] == 9, stored
    assert db.execute("SELECT count(*) FROM records").fetchone()[0] == 1


def limits(server):
    token = server.enrol()["token"]
    big = b'{"records": [' + b'"' + b"a" * (1024 * 1024 + 10) + b'"]}'
    status, _, body = call(server.base, "POST", "/api/v1/submissions", raw=big, token=token)
    assert status == 413, (status, body)
    status, _, body = call(server.base, "POST", "/api/v1/submissions",
                           {"records": [record() for _ in range(501)]}, token=token)
    assert status == 413 and body["error"] == "batch_too_large", (status, body)
    # Refused from the headers: a client that waits for 100 Continue gets
    # 413 before it sends the body.
    host, port = server.base.split("//")[1].split(":")
    head = (b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode() +
            b"\r\nExpect: 100-continue\r\nContent-Length: 50000000\r\n\r\n")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head)
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    # A chunked body has no length to look at: it is counted as it comes.
    head = (b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode() +
            b"\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head + chunk * 17 + b"0\r\n\r\n")
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    status, _, body = call(server.base, "POST", "/api/v1/submissions", raw=b"{not json", token=token)
    assert status == 400, (status, body)
    status, _, body = call(server.base, "POST", "/api/v1/submissions", {"rows": []}, token=token)
    assert status == 400, (status, body)



ENDPOINTS = [("GET", "/api/v1/region"), ("GET", "/api/v1/initiatives"), ("GET", "/api/v1/reports/nps"),
             ("GET", "/api/v1/reports/answers.csv"), ("POST", "/api/v1/submissions")]


def every_endpoint_401(server):
    device = server.enrol()
    reader, reader_id = server.token("reader")
    server.admin("revoke", device["device_id"])
    server.admin("revoke", reader_id)
    for method, path in ENDPOINTS:
        body = {"records": []} if method == "POST" else None
        for token in (None, "x" * 43, device["token"], reader, "Bearer", "ä" * 10):
            status, headers, payload = call(server.base, method, path, body, token=token)
            assert status == 401, (path, token, status, payload)
            assert headers.get("WWW-Authenticate", "").startswith("Bearer"), headers
            assert payload["error"] == "unauthorized", payload


def roles_403(server):
    device = server.enrol()
    reader, _ = server.token("reader")
    admin, _ = server.token("admin")
    refused = [(device["token"], "/api/v1/reports/nps"), (device["token"], "/api/v1/reports/answers.csv"),
               (reader, "/api/v1/reports/answers.csv?contacts=1"),
               (reader, "/api/v1/region"), (admin, "/api/v1/region"),
               (reader, "/api/v1/initiatives"), (admin, "/api/v1/initiatives")]
    for token, path in refused:
        status, _, body = call(server.base, "GET", path, token=token)
        assert status == 403 and body["error"] == "forbidden", (path, status, body)
    status, _, _ = call(server.base, "POST", "/api/v1/submissions", {"records": [record()]}, token=admin)
    assert status == 403, status
    for token, path in [(reader, "/api/v1/reports/nps"), (reader, "/api/v1/reports/answers.csv"),
                        (admin, "/api/v1/reports/answers.csv?contacts=1"), (device["token"], "/api/v1/region")]:
        status, _, body = call(server.base, "GET", path, token=token)
        assert status == 200, (path, status, body)
    status, headers, _ = call(server.base, "POST", "/api/v1/region", {}, token=device["token"])
    assert status == 405 and headers.get("Allow") == "GET", status


def admin_tokens(server):
    reader, reader_id = server.token("reader")
    admin, _ = server.token("admin")
    assert reader != admin and len(reader) >= 43, reader
    with open(server.database, "rb") as f:
        data = f.read()
    assert reader.encode() not in data and admin.encode() not in data, "a token itself is in the database"
    db = sqlite3.connect(server.database)
    rows = db.execute("SELECT role, name, token_hash FROM admin_tokens ORDER BY role").fetchall()
    assert [(r[0], r[1]) for r in rows] == [("admin", "Raportointi"), ("reader", "Raportointi")], rows
    assert hashlib.blake2b(reader.encode(), digest_size=32).hexdigest() in [r[2] for r in rows]
    for bad in (["token"], ["token", "--role", "device"], ["token", "--role", "root"]):
        out = server.run_admin(*bad)
        assert out.returncode == 2 and "--role" in out.stderr, (bad, out.returncode, out.stderr)
    status, _, _ = call(server.base, "GET", "/api/v1/reports/nps", token=reader)
    assert status == 200, status
    server.admin("revoke", reader_id)
    status, _, _ = call(server.base, "GET", "/api/v1/reports/nps", token=reader)
    assert status == 401, "a revoked reader token still works"
    out = server.run_admin("revoke", reader_id)
    assert out.returncode == 2 and "already" in out.stderr, out.stderr


def device_rate(server):
    first = server.enrol()["token"]
    other = server.enrol()["token"]
    statuses = [call(server.base, "GET", "/api/v1/initiatives", token=first)[0] for _ in range(5)]
    assert statuses == [200] * 5, statuses
    status, headers, body = call(server.base, "GET", "/api/v1/initiatives", token=first)
    assert status == 429 and body["error"] == "too_many_requests", (status, body)
    retry = int(headers["Retry-After"])
    assert 1 <= retry <= 12, retry  # 5 a minute: one every 12 s
    status, _, _ = call(server.base, "POST", "/api/v1/submissions", {"records": [record()]}, token=first)
    assert status == 429, "the limit is per device, not per endpoint"
    status, _, _ = call(server.base, "GET", "/api/v1/initiatives", token=other)
    assert status == 200, "one device's limit stopped another"
    status, _, _ = call(server.base, "GET", "/healthz")
    assert status == 200, status


def device_rate_refills(server):
    token = server.enrol()["token"]
    n, started = 0, time.monotonic()
    while True:
        status, headers, _ = call(server.base, "GET", "/api/v1/initiatives", token=token)
        if status == 429:
            break
        assert status == 200 and n < 200, (status, n)
        n += 1
    # A minute's worth at once, and the two a second that refilled meanwhile.
    refilled = int((time.monotonic() - started) * 2)
    assert 120 <= n <= 120 + refilled, "a burst of a minute's worth, then 429: got %d" % n
    assert headers["Retry-After"] == "1", headers
    time.sleep(0.6)  # 120 a minute: a token every 0.5 s
    status, _, _ = call(server.base, "GET", "/api/v1/initiatives", token=token)
    assert status == 200, "the bucket did not refill"


def client_rate(server):
    device = server.enrol()  # one try of five
    statuses = [call(server.base, "GET", "/api/v1/region", token="guess%d" % i)[0] for i in range(4)]
    assert statuses == [401] * 4, statuses
    status, headers, body = call(server.base, "GET", "/api/v1/region", token="guess")
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 12, (status, headers, body)
    status, _, _ = call(server.base, "POST", "/api/v1/enrol", {"code": "AAAA-BBBB-CCCC"})
    assert status == 429, "enrolment codes can be guessed on"
    # A valid token goes on, on its own budget, while its address is blocked
    # (kiosks behind one NAT); a wrong one is still refused.
    status, _, _ = call(server.base, "GET", "/api/v1/region", token=device["token"])
    assert status == 200, "a guesser at the same address stopped a valid token: %d" % status
    status, _, _ = call(server.base, "GET", "/api/v1/region", token="guess")
    assert status == 429, status
    status, _, _ = call(server.base, "GET", "/healthz")
    assert status == 200, "health checks are not limited"


def from_address(server, source, token="guess"):
    """A request from another loopback address (all of 127/8 is this host)."""
    host, port = server.base.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source, 0))
    try:
        connection.request("GET", "/api/v1/region", headers={"Authorization": "Bearer " + token})
        return connection.getresponse().status
    finally:
        connection.close()


def client_buckets(server):
    # Two tries a minute, three addresses remembered.
    assert [from_address(server, "127.0.0.2") for _ in range(3)] == [401, 401, 429]
    assert from_address(server, "127.0.0.3") == 401, "one address's limit stopped another"
    assert from_address(server, "127.0.0.2") == 429
    for source in ("127.0.0.4", "127.0.0.5", "127.0.0.6"):
        assert from_address(server, source) == 401
    # 127.0.0.2 was the least recently seen of four: forgotten, it starts afresh.
    assert from_address(server, "127.0.0.2") == 401, "the buckets are not bounded"


def region_file(server):
    token = server.enrol()["token"]
    with open(os.path.join(REGIONS_DIR, "kainuu.json"), "rb") as f:
        expected = f.read()
    etag = '"%s"' % hashlib.sha256(expected).hexdigest()
    status, headers, body = call(server.base, "GET", "/api/v1/region", token=token)
    assert status == 200 and headers["Content-Type"] == "application/json", (status, headers)
    assert json.dumps(body, sort_keys=True) == json.dumps(json.loads(expected), sort_keys=True)
    request = urllib.request.Request(server.base + "/api/v1/region", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.read() == expected, "not the file's exact bytes"
    assert headers["ETag"] == etag, (headers["ETag"], etag)
    for match in (etag, "W/" + etag, '"other", ' + etag, "*"):
        status, headers, body = call(server.base, "GET", "/api/v1/region", token=token,
                                     headers={"If-None-Match": match})
        assert status == 304 and body is None and headers["ETag"] == etag, (match, status, body)
    status, _, body = call(server.base, "GET", "/api/v1/region", token=token, headers={"If-None-Match": '"old"'})
    assert status == 200 and body["id"] == "kainuu", status
    kymenlaakso = server.enrol("kymenlaakso")["token"]
    status, headers, body = call(server.base, "GET", "/api/v1/region", token=kymenlaakso)
    assert status == 200 and body["id"] == "kymenlaakso" and headers["ETag"] != etag, body.get("id")


def region_edited(server):
    folder = os.path.join(server.tmp, "regions")
    os.mkdir(folder)
    data = json.load(open(os.path.join(REGIONS_DIR, "kainuu.json"), encoding="utf-8"))
    data["name"]["fi"] = "Kainuun hyvinvointialue – muokattu"
    edited = json.dumps(data, ensure_ascii=False, indent=1).encode()
    with open(os.path.join(folder, "kainuu.json"), "wb") as f:
        f.write(edited)
    shutil.copy(os.path.join(REGIONS_DIR, "kymenlaakso.json"), folder)
    own = Server(server.tmp, "--regions-dir", folder, database=os.path.join(server.tmp, "own.db"))
    try:
        token = own.enrol()["token"]
        request = urllib.request.Request(own.base + "/api/v1/region", headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.read() == edited, "not the edited file"
            assert response.headers["ETag"] == '"%s"' % hashlib.sha256(edited).hexdigest()
        status, _, body = call(own.base, "POST", "/api/v1/submissions", {"records": [record()]}, token=token)
        assert body["results"][0]["status"] == "accepted", body
        out = own.run_admin("enrol", "--region", "lappi", "--unit", "Rovaniemi", "--regions-dir", folder)
        assert out.returncode == 2 and "lappi" in out.stderr and not out.stdout, (out.returncode, out.stderr)
        # Enrolled while the server still served it: bundled, not in the folder.
        code = own.admin("enrol", "--region", "keski-suomi", "--unit", "Jyväskylä")
        status, _, body = call(own.base, "POST", "/api/v1/enrol", {"code": code})
        status, _, body = call(own.base, "GET", "/api/v1/region", token=body["token"])
        assert status == 404, "a region the server does not serve"
    finally:
        own.stop()

    data["goals"][0]["id"] = "Not An Id!"
    with open(os.path.join(folder, "kainuu.json"), "w", encoding="utf-8") as f:
        json.dump(data, f)
    for args in (["--regions-dir", folder], ["--region", os.path.join(folder, "kainuu.json")],
                 ["--region", "lappi"], ["--regions-dir", os.path.join(server.tmp, "none")]):
        out = subprocess.run([SERVER, "--database", os.path.join(server.tmp, "bad.db"), "--listen", "127.0.0.1:0",
                              *args], capture_output=True, text=True, timeout=10)
        assert out.returncode == 2 and "listening" not in out.stdout, (args, out.returncode, out.stdout)
        assert "kainuu.json" in out.stderr or "lappi" in out.stderr or "none" in out.stderr, out.stderr
    shutil.copy(os.path.join(folder, "kymenlaakso.json"), os.path.join(folder, "kymenlaakso-copy.json"))


def initiatives(server):
    device = server.enrol()
    token = device["token"]
    other = server.enrol("kymenlaakso")["token"]
    taken, waiting = initiative(), initiative(text="Toinen aloite <b>lihavoitu</b> \"lainaus\"")
    answered = initiative(**{"initiative": dict(initiative()["initiative"], title="Kirjasto auki sunnuntaisin")})
    other_kind = feedback(contact=dict(CONTACT))
    server.deliver(token, [taken, waiting, answered, other_kind])

    status, _, page = call(server.base, "GET", "/api/v1/initiatives", token=token)
    assert status == 200 and page["initiatives"] == [] and page["cursor"] == "0" and not page["more"], page

    assert server.admin("initiative", taken["uuid"], "--status", "in_progress") == taken["uuid"] + " in_progress"
    server.admin("initiative", answered["uuid"], "--status", "answered", "--answer", "Aukeaa 1.1.2027 – kiitos!")
    out = server.run_admin("initiative", waiting["uuid"], "--status", "answered")
    assert out.returncode == 2 and "answer" in out.stderr, (out.returncode, out.stderr)
    out = server.run_admin("initiative", str(uuidlib.uuid4()), "--status", "in_progress")
    assert out.returncode == 1 and "No initiative" in out.stderr, (out.returncode, out.stderr)
    out = server.run_admin("initiative", other_kind["uuid"], "--status", "in_progress")
    assert out.returncode == 1 and "No initiative" in out.stderr, (out.returncode, out.stderr)
    out = server.run_admin("initiative", taken["uuid"], "--status", "received")
    assert out.returncode == 2, out.returncode

    status, _, page = call(server.base, "GET", "/api/v1/initiatives?since=", token=token)
    assert status == 200, (status, page)
    got = page["initiatives"]
    assert [(i["uuid"], i["status"], i["answer"]) for i in got] == [
        (taken["uuid"], "in_progress", None), (answered["uuid"], "answered", "Aukeaa 1.1.2027 – kiitos!")], got
    assert got[1] == {"uuid": answered["uuid"], "title": "Kirjasto auki sunnuntaisin", "text": answered["text"],
                      "municipality": "kuhmo", "received_on": month(10) + "-02", "status": "answered",
                      "answer": "Aukeaa 1.1.2027 – kiitos!", "updated_at": got[1]["updated_at"]}, got[1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", got[1]["updated_at"]), got[1]
    raw = json.dumps(page)
    for secret in CONTACT.values():
        assert secret not in raw, "a contact detail is listed"
    assert "contact" not in raw
    cursor = page["cursor"]

    status, _, page = call(server.base, "GET", "/api/v1/initiatives?since=" + cursor, token=token)
    assert page["initiatives"] == [] and page["cursor"] == cursor, page
    server.admin("initiative", taken["uuid"], "--status", "answered", "--answer", "Päätetty: kyllä.")
    server.admin("initiative", answered["uuid"], "--status", "answered", "--answer", "Tarkennettu vastaus.")
    status, _, page = call(server.base, "GET", "/api/v1/initiatives?since=" + cursor, token=token)
    assert [(i["uuid"], i["answer"]) for i in page["initiatives"]] == [
        (taken["uuid"], "Päätetty: kyllä."), (answered["uuid"], "Tarkennettu vastaus.")], page
    assert page["cursor"] != cursor

    status, _, page = call(server.base, "GET", "/api/v1/initiatives", token=other)
    assert page["initiatives"] == [], "another region's initiatives are listed"
    for bad in ("abc", "-1", "1e3", "9" * 30, "1%200"):
        status, _, body = call(server.base, "GET", "/api/v1/initiatives?since=" + bad, token=token)
        assert status == 400 and body["error"] == "bad_cursor", (bad, status, body)


def initiative_pages(server):
    token = server.enrol()["token"]
    many = [initiative(text="Aloite %d" % i) for i in range(130)]
    server.deliver(token, many)
    db = sqlite3.connect(server.database)
    for item in many[:101]:
        server.admin("initiative", item["uuid"], "--status", "in_progress")
    seen, cursor, pages = [], "", 0
    while True:
        status, _, page = call(server.base, "GET", "/api/v1/initiatives?since=" + cursor, token=token)
        assert status == 200 and len(page["initiatives"]) <= 100, (status, len(page["initiatives"]))
        seen += [i["uuid"] for i in page["initiatives"]]
        cursor, pages = page["cursor"], pages + 1
        if not page["more"]:
            break
    assert pages == 2 and seen == [i["uuid"] for i in many[:101]], (pages, len(seen))
    plan = " ".join(row[-1] for row in db.execute(
        "EXPLAIN QUERY PLAN SELECT i.seq FROM initiatives i JOIN records r ON r.uuid = i.uuid"
        " WHERE i.region = 'kainuu' AND i.seq > 5 ORDER BY i.seq LIMIT 101"))
    assert "initiatives_region_seq" in plan and "TEMP B-TREE" not in plan, plan


# --- reports ---------------------------------------------------------------

UNITS = ["Kajaani, Kainuun keskussairaala", "Kuhmo, terveysasema", "Sotkamo, palvelukeskus"]
TOPICS = [("goal", "together"), ("goal", "people"), ("service_area", "rescue"), ("service_area", "home-services")]


def seeded_records():
    rng = random.Random(20261125)
    records = []
    for i in range(420):
        number = rng.randint(2, 7)
        records.append(record(
            unit=rng.choice(UNITS), audience=rng.choice(["residents", "residents", "personnel"]),
            topic=dict(zip(("kind", "id"), rng.choice(TOPICS))), score=rng.randint(0, 10),
            created_at="%s-%02dT%02d:%02d:00Z" % (month(number), rng.randint(1, 28), rng.randint(0, 23),
                                                         rng.randint(0, 59)),
            answers=[], text=None))
    # The edges of a period: the last second of month 3 and the first of month 4.
    records.append(record(created_at=last_day(3) + "T23:59:59Z", score=0, unit=UNITS[0], answers=[]))
    records.append(record(created_at=month(4) + "-01T00:00:00Z", score=10, unit=UNITS[0], answers=[]))
    return records


def personnel_cells(records):
    """The personnel answers of each atomic cell (region, unit, month):
    only cells of 5 or more enter any figure (docs/privacy.md)."""
    cells = {}
    for r in records:
        if r["kind"] == "recommendation" and r["audience"] == "personnel":
            key = (r["region"], r["unit"], r["created_at"][:7])
            cells[key] = cells.get(key, 0) + 1
    return cells


def expected_nps(records, group, audience="residents", since="0000-00-00", until="9999-99-99", region=None):
    rows = {}
    cells = personnel_cells(records)
    for r in records:
        day = r["created_at"][:10]
        if audience == "personnel":
            # Personnel reports are of whole months.
            day = r["created_at"][:7]
            first, last = since[:7], until[:7]
        else:
            first, last = since, until
        if r["kind"] != "recommendation" or r["audience"] != audience or not first <= day <= last or \
                region not in (None, r["region"]):
            continue
        if audience == "personnel" and cells[(r["region"], r["unit"], r["created_at"][:7])] < 5:
            continue
        key = tuple((name, r["topic"]["kind"] + "/" + r["topic"]["id"] if name == "topic"
                     else r["created_at"][:7] if name == "month" else r[name]) for name in group)
        counts = rows.setdefault(key, [0, 0, 0])
        counts[0 if r["score"] >= 9 else 1 if r["score"] >= 7 else 2] += 1
    out = {}
    for key, (p, a, d) in rows.items():
        n = p + a + d
        if audience == "personnel" and n < 5:
            continue
        if n < 10:
            # The small-group rule: the count, no figures.
            out[key] = (None, None, None, n, None, None, True)
            continue
        index = (p - d) / n * 100
        margin = None
        if n > 1:
            variance = (p / n + d / n - ((p - d) / n) ** 2) * n / (n - 1)
            margin = 1.959963984540054 * math.sqrt(variance / n) * 100
        out[key] = (p, a, d, n, index, margin, n < 30)
    return out


def report_key(row, group):
    return tuple((name, row["topic"]["kind"] + "/" + row["topic"]["id"] if name == "topic" else row[name])
                 for name in group)


def check_nps(server, token, records, group, **query):
    params = dict(query, group=",".join(group))
    status, _, body = call(server.base, "GET", "/api/v1/reports/nps?" + urllib.parse.urlencode(params), token=token)
    assert status == 200, (status, body)
    assert body["audience"] == query.get("audience", "residents") and body["group"] == group, body
    expected = expected_nps(records, group, **query)
    got = {}
    for row in body["rows"]:
        assert set(row) == set(group) | {"promoters", "passives", "detractors", "total", "index", "margin",
                                         "small_sample", "visibility"}, row
        assert row["visibility"] == ("full" if row["total"] >= 10 else "count_only"), row
        got[report_key(row, group)] = (row["promoters"], row["passives"], row["detractors"], row["total"],
                                       row["index"], row["margin"], row["small_sample"])
    assert set(got) == set(expected), (sorted(set(got) ^ set(expected))[:5])
    for key, want in expected.items():
        have = got[key]
        assert have[:4] == want[:4] and have[6] == want[6], (key, have, want)
        assert (have[4] is None) == (want[4] is None), (key, have, want)
        assert want[4] is None or math.isclose(have[4], want[4], abs_tol=1e-9), (key, have, want)
        assert (have[5] is None) == (want[5] is None), (key, have, want)
        assert want[5] is None or math.isclose(have[5], want[5], abs_tol=1e-9), (key, have, want)
    assert [report_key(r, group) for r in body["rows"]] == sorted(got), "rows are not in order"
    return body["rows"]


def nps_report(server):
    records = seeded_records()
    # A record's unit is its device's: one device a unit.
    for unit in UNITS:
        server.deliver(server.enrol(unit=unit)["token"], [r for r in records if r["unit"] == unit])
    # Other kinds and another region are not in the figures.
    others = [feedback(created_at=month(2) + "-02T10:00:00Z"), initiative(created_at=month(2) + "-02T10:00:00Z")]
    server.deliver(server.enrol()["token"], others)
    records += others
    server.deliver(server.enrol("kymenlaakso")["token"],
                   [record(region="kymenlaakso", topic={"kind": "goal", "id": "services"}, answers=[], score=0)
                    for _ in range(5)])
    kainuu = [r for r in records]
    reader, _ = server.token("reader")
    admin, _ = server.token("admin")

    rows = check_nps(server, reader, kainuu, [], region="kainuu")
    assert len(rows) == 1 and rows[0]["total"] > 250, rows
    check_nps(server, reader, kainuu, ["topic"], region="kainuu")
    check_nps(server, admin, kainuu, ["topic", "unit", "month"], region="kainuu")
    check_nps(server, reader, kainuu, ["unit", "month"], region="kainuu", audience="personnel")
    check_nps(server, reader, kainuu, ["month"], region="kainuu", since=month(2) + "-01", until=last_day(3))
    status, _, body = call(server.base, "GET", "/api/v1/reports/nps?group=region", token=reader)
    assert {r["region"]: r["total"] for r in body["rows"]}["kymenlaakso"] == 5, body
    residents = sum(r["audience"] == "residents" and r["kind"] == "recommendation" for r in kainuu)
    assert rows[0]["total"] == residents, "residents and personnel are mixed"

    # The edges: until is the last day included, since the first.
    status, _, body = call(server.base, "GET", "/api/v1/reports/nps?region=kainuu&since=%s&until=%s"
                           % (last_day(3), last_day(3)), token=reader)
    march = [r for r in kainuu if r["created_at"].startswith(last_day(3)) and r["audience"] == "residents"]
    assert body["rows"][0]["total"] == len(march), (body, len(march))
    status, _, body = call(server.base, "GET", "/api/v1/reports/nps?since=%s-01" % month(12), token=reader)
    assert status == 200 and body["rows"] == [], body

    for bad in ("group=week", "group=topic,foo", "since=2026-13-01", "until=2026-02-30", "since=26-01-01",
                "audience=everyone", "region=lappi", "since=2026-05-01&until=2026-04-01", "grop=topic",
                "since=2026-01-01%27;--"):
        status, _, body = call(server.base, "GET", "/api/v1/reports/nps?" + bad, token=reader)
        assert status == 400 and body["error"] == "bad_request", (bad, status, body)

    db = sqlite3.connect(server.database)
    plan = " ".join(row[-1] for row in db.execute(
        "EXPLAIN QUERY PLAN SELECT unit, score, count(*) FROM records WHERE kind = 'recommendation'"
        " AND created_at >= 0 AND created_at < 99999999999 AND audience = 'residents' GROUP BY 1, 2"))
    assert "records_report" in plan, plan


NASTY = "<b>Hyvä</b> \"lainaus\", pilkku,\nuusi rivi\r\nja å ä ö Å Ä Ö 👍🏽 '; DROP TABLE records; --"
FORMULAS = ["=1+1", "+SUM(A1:A3)", "-2+3", "@cmd", "\t=1", "＝1+1", "=HYPERLINK(\"http://x\",\"y\")"]


def read_csv(server, token, query=""):
    status, headers, body = call(server.base, "GET", "/api/v1/reports/answers.csv" + query, token=token)
    assert status == 200, (status, body)
    assert headers["Content-Type"].startswith("text/csv") and "charset=utf-8" in headers["Content-Type"], headers
    assert body.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"").replace(b"\n", b""), "line ends"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    for row in rows[1:]:
        assert len(row) == len(rows[0]), row
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def answers_csv(server):
    token = server.enrol()["token"]
    nasty = feedback(text=NASTY, contact=dict(CONTACT), created_at=month(5) + "-01T08:00:00Z")
    formulas = [feedback(text=text, created_at=month(5) + "-02T08:00:00Z") for text in FORMULAS]
    recommendation = record(text=NASTY, score=7, answers=[{"statement": "felt-safe", "answer": 4}],
                            created_at=month(5) + "-03T08:00:00Z", unit="=Kajaani")
    taken = initiative(text=NASTY, created_at=month(5) + "-04T08:00:00Z")
    waiting = initiative(created_at=month(5) + "-05T08:00:00Z")
    early = record(created_at=last_day(4) + "T23:59:59Z")
    server.deliver(token, [nasty, *formulas, taken, waiting, early])
    # The unit in a report is the one the device was enrolled for.
    server.deliver(server.enrol(unit="=Kajaani")["token"], [recommendation])
    server.admin("initiative", taken["uuid"], "--status", "answered", "--answer", "-vastaus, \"lainattu\"")
    reader, _ = server.token("reader")
    admin, _ = server.token("admin")

    header, rows = read_csv(server, reader, "?since=%s-01&until=%s" % (month(5), last_day(5)))
    assert header == ["uuid", "kind", "created_at", "received_at", "region", "unit", "language", "audience",
                      "topic_kind", "topic_id", "score", "answers", "text", "title", "municipality", "channel",
                      "received_on", "signatories", "status", "answer"], header
    by_uuid = {row["uuid"]: row for row in rows}
    assert len(rows) == 4 + len(FORMULAS) and early["uuid"] not in by_uuid, len(rows)
    assert by_uuid[nasty["uuid"]]["text"] == NASTY, repr(by_uuid[nasty["uuid"]]["text"])
    assert by_uuid[nasty["uuid"]]["kind"] == "feedback" and by_uuid[nasty["uuid"]]["score"] == ""
    for item, text in zip(formulas, FORMULAS):
        assert by_uuid[item["uuid"]]["text"] == "'" + text, (text, by_uuid[item["uuid"]]["text"])
    row = by_uuid[recommendation["uuid"]]
    assert (row["score"], row["answers"], row["unit"], row["topic_id"]) == ("7", "felt-safe=4", "'=Kajaani",
                                                                          "together"), row
    assert row["created_at"] == month(5) + "-03T08:00:00Z" and row["text"] == NASTY, row
    row = by_uuid[taken["uuid"]]
    assert (row["title"], row["municipality"], row["channel"], row["signatories"], row["status"], row["answer"]) == \
        ("Iltavastaanotto Kuhmoon", "kuhmo", "kiosk", "12", "answered", "'-vastaus, \"lainattu\""), row
    assert by_uuid[waiting["uuid"]]["status"] == "received", by_uuid[waiting["uuid"]]

    status, _, body = call(server.base, "GET", "/api/v1/reports/answers.csv", token=admin)
    for secret in CONTACT.values():
        assert secret.encode() not in body, "a contact detail without contacts=1"
    header, rows = read_csv(server, admin, "?contacts=1&since=%s-01" % month(5))
    assert header[-4:] == ["contact_name", "contact_email", "contact_phone", "contact_erased"], header
    by_uuid = {row["uuid"]: row for row in rows}
    assert [by_uuid[nasty["uuid"]][c] for c in header[-4:]] == ["Aino Äijälä", "aino.aijala@example.fi",
                                                                "'+358 40 123 4567", ""], by_uuid[nasty["uuid"]]
    assert by_uuid[taken["uuid"]]["contact_name"] == "Aino Äijälä"
    assert by_uuid[formulas[0]["uuid"]]["contact_name"] == ""
    header, rows = read_csv(server, admin, "?audience=personnel")
    assert rows == [], rows
    for bad in ("?contacts=yes", "?since=2026-5-1", "?group=topic"):
        status, _, body = call(server.base, "GET", "/api/v1/reports/answers.csv" + bad, token=admin)
        assert status == 400, (bad, status, body)

    db = sqlite3.connect(server.database)
    assert db.execute("SELECT count(*) FROM records").fetchone()[0] == 5 + len(FORMULAS), "records lost"
    stored = db.execute("SELECT record FROM records WHERE uuid = ?", (nasty["uuid"],)).fetchone()[0]
    assert json.loads(stored)["text"] == NASTY


# --- TLS, logs, schema -------------------------------------------------------

def tls(server):
    cert, key = os.path.join(server.tmp, "cert.pem"), os.path.join(server.tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    secure = Server(server.tmp, "--tls-cert", cert, "--tls-key", key, database=os.path.join(server.tmp, "tls.db"))
    try:
        assert secure.base.startswith("https://127.0.0.1:"), secure.base
        try:
            call(secure.base, "GET", "/healthz", context=ssl.create_default_context())
            raise AssertionError("a client that does not trust the certificate got in")
        except urllib.error.URLError as error:
            assert isinstance(error.reason, ssl.SSLCertVerificationError), error
        trusting = ssl.create_default_context(cafile=cert)
        status, _, body = call(secure.base, "GET", "/healthz", context=trusting)
        assert (status, body) == (200, {"status": "ok"}), (status, body)
        code = secure.admin("enrol", "--region", "kainuu", "--unit", "Kajaani")
        status, _, body = call(secure.base, "POST", "/api/v1/enrol", {"code": code}, context=trusting)
        assert status == 201, (status, body)
        try:
            call(secure.base.replace("https:", "http:"), "GET", "/healthz")
            raise AssertionError("plain HTTP was answered on the TLS port")
        except (urllib.error.URLError, ConnectionError, http_errors()):
            pass
    finally:
        secure.stop()
    for args in (["--tls-cert", cert], ["--tls-cert", cert, "--tls-key", cert]):
        out = subprocess.run([SERVER, "--database", os.path.join(server.tmp, "x.db"), "--listen", "127.0.0.1:0",
                              *args], capture_output=True, text=True, timeout=10)
        assert out.returncode == 2 and "listening" not in out.stdout, (args, out.returncode, out.stderr)


def http_errors():
    return http.client.HTTPException


def logs(server):
    device = server.enrol()
    admin, admin_id = server.token("admin")
    server.deliver(device["token"], [feedback(contact=dict(CONTACT))])
    call(server.base, "GET", "/api/v1/reports/answers.csv?contacts=1&since=2026-01-01", token=admin)
    call(server.base, "GET", "/api/v1/region", token="wrong-" + device["token"])
    status, _, body = call(server.base, "GET", "/nothing")
    assert status == 404 and body["error"] == "not_found", (status, body)
    status, _, body = call(server.base, "POST", "/api/v1/regionx", {}, token=device["token"])
    assert status == 404, "a path under a handler's is not the handler's"
    output = server.wait_for_log(6)
    assert server.stop().count(" method=") == 6, "more log lines than requests"
    lines = [line for line in output.splitlines() if " method=" in line]
    assert len(lines) == 6, output
    pattern = (r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) method=(\S+) path=(\S+) status=(\d+) device=(\S+)"
               r"(?: admin=(\S+))? duration_ms=(\d+\.\d) remote=127\.0\.0\.1")
    parsed = [re.fullmatch(pattern, line) for line in lines]
    assert all(parsed), lines
    got = [(m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)) for m in parsed]
    assert got == [("POST", "/api/v1/enrol", "201", device["device_id"], None),
                   ("POST", "/api/v1/submissions", "200", device["device_id"], None),
                   ("GET", "/api/v1/reports/answers.csv", "200", "-", admin_id),
                   ("GET", "/api/v1/region", "401", "-", None),
                   ("GET", "/nothing", "404", "-", None),
                   ("POST", "/api/v1/regionx", "404", "-", None)], got
    for secret in [device["token"], admin, "contacts=1", *CONTACT.values()]:
        assert secret not in output, "the log holds %r" % secret


def garbage_requests(server):
    """Broken requests get a 4xx or a closed connection, and the server
    lives on (a request without a Host has no URI: logging it crashed)."""
    host, port = server.base.split("//")[1].split(":")
    for raw in (b"GARBAGE\r\n\r\n", b"GET /healthz HTTP/1.1\r\n\r\n",
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
                b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n", b"\xff\xfe" * 100 + b"\r\n\r\n"):
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(raw)
            try:
                answer = connection.recv(100)
            except ConnectionResetError:
                answer = b""
        assert answer == b"" or re.match(rb"HTTP/1\.[01] [45]\d\d ", answer), (raw, answer)
    status, _, body = call(server.base, "GET", "/healthz")
    assert (status, body) == (200, {"status": "ok"}), "the server did not live on"
    assert server.proc.poll() is None
    output = server.stop()
    assert "CRITICAL" not in output and "WARNING" not in output, output


def old_database(server):
    """A database from the first server (no user_version) is taken over."""
    server.stop()
    db = sqlite3.connect(server.database)
    db.executescript("""
        DROP TABLE records; DROP TABLE devices; DROP TABLE enrolment_codes;
        DROP TABLE admin_tokens; DROP TABLE initiatives; DROP TABLE contacts; DROP TABLE purged_initiatives;
        DROP TABLE audit; DROP TABLE staff_tokens; DROP TABLE staff_codes; DROP TABLE staff;
        DROP TABLE result_months;
        PRAGMA user_version = 0;
        CREATE TABLE enrolment_codes (code_hash TEXT PRIMARY KEY, region TEXT NOT NULL, unit TEXT NOT NULL,
          expires_at INTEGER NOT NULL, used_at INTEGER);
        CREATE TABLE devices (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, region TEXT NOT NULL,
          unit TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER);
        CREATE TABLE records (uuid TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices (id),
          received_at INTEGER NOT NULL, kind TEXT NOT NULL, region TEXT NOT NULL, record TEXT NOT NULL);
        INSERT INTO devices VALUES ('d1', 'x', 'kainuu', 'Kajaani', 0, NULL);
    """)
    old = record(score=3, created_at="2026-02-03T04:05:06Z")
    db.execute("INSERT INTO records VALUES (?, 'd1', 0, 'recommendation', 'kainuu', ?)", (old["uuid"], json.dumps(old)))
    db.commit()
    db.close()
    again = Server(server.tmp)
    server.proc = again.proc
    server.base = again.base
    reader, _ = server.token("reader")
    status, _, body = call(server.base, "GET", "/api/v1/reports/nps?group=month", token=reader)
    assert body["rows"] == [{"month": "2026-02", "promoters": None, "passives": None, "detractors": None,
                             "total": 1, "visibility": "count_only", "index": None, "margin": None,
                             "small_sample": True}], body
    assert sqlite3.connect(server.database).execute("PRAGMA user_version").fetchone()[0] == 4


CASES = [
    ("/healthz answers without a token", health),
    ("an enrolment code works once; only the token's hash is stored", enrolment),
    ("no token, a wrong one or a revoked one gets 401", tokens),
    ("a batch: accepted, duplicate, rejected per record; text stored as sent", batches),
    ("413 for a large body or batch, 400 for garbage", limits),
    ("every endpoint: 401 without a token, with a wrong or a revoked one", every_endpoint_401),
    ("403 for a role that may not; 405 for a wrong method", roles_403),
    ("admin tokens: reader and admin, stored hashed, revocable", admin_tokens),
    ("429 with Retry-After per device; other devices go on", device_rate, "--rate", "5"),
    ("a device's bucket refills at its rate", device_rate_refills, "--rate", "120"),
    ("429 per address for guessed tokens and codes; a valid token there goes on", client_rate, "--client-rate", "5"),
    ("addresses have their own buckets, at most --rate-keys of them", client_buckets,
     "--client-rate", "2", "--rate-keys", "3"),
    ("region file: exact bytes, strong ETag, 304", region_file),
    ("a region's own edited file is served; a file that does not load stops the start", region_edited),
    ("initiatives: only taken up, no contacts, cursor brings back a re-answered one", initiatives),
    ("initiatives come in pages of 100, by an index", initiative_pages),
    ("NPS report equals the figures computed here, by topic, unit, month, audience", nps_report),
    ("answers.csv: BOM, RFC 4180, text round-trips, formulas neutralised, contacts for admin only",
     answers_csv),
    ("TLS: untrusted certificate refused, trusted one works", tls),
    ("one log line a request, no tokens or contacts in it", logs),
    ("broken requests get a 4xx; the server lives on", garbage_requests),
    ("a database of the first server version is migrated", old_database),
]


def main():
    global SERVER
    SERVER = sys.argv[1]
    run(CASES, Server, lambda server: server.stop())


if __name__ == "__main__":
    main()
