#!/usr/bin/python3
"""The reference server as a kiosk meets it: the real kuulolla-server on
127.0.0.1 with a free port, spoken to over HTTP. Enrolment, tokens, the
per-record answers of a batch, and the limits a client cannot pass.

Usage: test_server.py KUULOLLA_SERVER
"""
import json
import os
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kuu_tap import run  # noqa: E402

SERVER = None


def call(base, method, path, body=None, token=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        payload = error.read()
        return error.code, dict(error.headers), json.loads(payload) if payload else None


def record(**changes):
    r = {
        "uuid": str(uuidlib.uuid4()), "kind": "recommendation", "created_at": "2026-11-24T10:00:00Z",
        "region": "kainuu", "unit": "Kajaani", "language": "fi", "audience": "residents",
        "topic": {"kind": "goal", "id": "together"}, "score": 9,
        "answers": [{"statement": "felt-safe", "answer": 5}], "text": "Hyvä",
    }
    r.update(changes)
    return r


class Server:
    def __init__(self, tmp):
        self.database = os.path.join(tmp, "server.db")
        self.proc = subprocess.Popen([SERVER, "--database", self.database, "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith("listening on "), "the server said: %r" % line
        self.base = line.split()[-1].rstrip("/")

    def admin(self, *args):
        out = subprocess.run([SERVER, "--database", self.database, "admin", *args],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def enrol(self):
        code = self.admin("enrol", "--region", "kainuu", "--unit", "Kajaani")
        status, _, body = call(self.base, "POST", "/api/v1/enrol", {"code": code})
        assert status == 201, (status, body)
        return body

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        return self.proc.stderr.read()


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
    status, _, body = call(server.base, "POST", "/api/v1/submissions", raw=b"{not json", token=token)
    assert status == 400, (status, body)
    status, _, body = call(server.base, "POST", "/api/v1/submissions", {"rows": []}, token=token)
    assert status == 400, (status, body)


CASES = [
    ("/healthz answers without a token", health),
    ("an enrolment code works once; only the token's hash is stored", enrolment),
    ("no token, a wrong one or a revoked one gets 401", tokens),
    ("a batch: accepted, duplicate, rejected per record; text stored as sent", batches),
    ("413 for a large body or batch, 400 for garbage", limits),
]


def main():
    global SERVER
    SERVER = sys.argv[1]
    run(CASES, Server, lambda server: server.stop())


if __name__ == "__main__":
    main()
