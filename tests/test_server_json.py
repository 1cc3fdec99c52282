#!/usr/bin/python3
"""The reference server reads JSON as RFC 8259 says and no more (issue 14,
items 1, 4 and 10): a body nested 100 000 deep, on every endpoint, with
and without a token, is refused and the server lives on; a member name
twice, \\u0000, comments, single quotes, 01, .5 and 1e400 are 400
bad_json and nothing is stored; a rejected record's reason names the
member by its path.

Usage: test_server_json.py KUULOLLA_SERVER
"""
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_server  # noqa: E402
from kuu_tap import run  # noqa: E402
from test_server import Server, call, feedback, initiative, record  # noqa: E402

PATHS = ["/healthz", "/api/v1/enrol", "/api/v1/submissions", "/api/v1/region", "/api/v1/initiatives",
         "/api/v1/reports/nps", "/api/v1/reports/answers.csv"]
LEVELS = 100000


def deep_bodies():
    """Arrays and objects 100 000 deep, closed and left open: under the
    1 MiB limit, so they reach the JSON reader."""
    bodies = {
        "arrays": b"[" * LEVELS + b"]" * LEVELS,
        "objects": b'{"code":' * LEVELS + b"1" + b"}" * LEVELS,
        "open arrays": b"[" * LEVELS,
        "in a batch": b'{"records":[' + b'{"a":[' * LEVELS,
    }
    assert all(len(body) < 1024 * 1024 for body in bodies.values())
    return bodies


def alive(server):
    status, _, body = call(server.base, "GET", "/healthz")
    assert (status, body) == (200, {"status": "ok"}), "the server did not live on: %r" % (status,)
    assert server.proc.poll() is None, server.proc.returncode


def stored(server):
    with sqlite3.connect(server.database) as db:
        return db.execute("SELECT count(*) FROM records").fetchone()[0]


def deep_nesting(server):
    """json-glib recursed once a level: 100 000 of them ended the server
    with SIGSEGV, before any token was looked at."""
    tokens = {"no token": None, "device": server.enrol()["token"],
              "reader": server.token("reader")[0], "admin": server.token("admin")[0]}
    for shape, body in deep_bodies().items():
        for path in PATHS:
            for method in ("POST", "GET"):
                for who, token in tokens.items():
                    status, _, payload = call(server.base, method, path, raw=body, token=token)
                    where = (shape, method, path, who, status, payload)
                    assert status in (200, 400, 401, 403, 405), where
                    if method == "POST" and (path == "/api/v1/enrol" or
                                             (path == "/api/v1/submissions" and who == "device")):
                        assert status == 400 and payload["error"] == "bad_json", where
                        assert "nested deeper than 64" in payload["message"], where
        alive(server)
    assert stored(server) == 0


def bad_json(server, token, body):
    status, _, payload = call(server.base, "POST", "/api/v1/submissions", raw=body, token=token)
    assert status == 400 and payload["error"] == "bad_json", (body[:200], status, payload)
    return payload["message"]


def duplicate_members(server):
    """The last one no longer wins: a score of 10 is not stored as 0, and
    a second "records" does not empty the batch."""
    token = server.enrol()["token"]
    one = record()
    text = json.dumps({"records": [one]})
    twice = text.replace('"score": 9', '"score": 10, "score": 0')
    assert twice != text
    assert "a member name twice" in bad_json(server, token, twice.encode())
    records_twice = text[:-1] + ', "records": []}'
    assert "a member name twice" in bad_json(server, token, records_twice.encode())
    # The same name escaped is the same name.
    escaped = text.replace('"text": "H', '"\\u0074ext": "x", "text": "H')
    assert escaped != text
    bad_json(server, token, escaped.encode())
    assert stored(server) == 0
    # And the batch as it should be is stored: the check above can fail.
    status, _, payload = call(server.base, "POST", "/api/v1/submissions", raw=text.encode(), token=token)
    assert status == 200 and payload["results"][0]["status"] == "accepted", payload
    assert stored(server) == 1


def nul_in_a_string(server):
    """\\u0000 cut the text short in json-glib: stored as "a", and a resend
    with another ending was called a duplicate."""
    token = server.enrol()["token"]
    text = json.dumps({"records": [feedback(text="a\u0000b")]})
    assert "\\u0000" in text
    assert "\\u0000 in a string" in bad_json(server, token, text.encode())
    assert stored(server) == 0


def lenient_json(server):
    """What json-glib took and RFC 8259 has not."""
    token = server.enrol()["token"]
    good = json.dumps({"records": [record(score=5)]})
    assert '"score": 5' in good
    variants = {
        "comment": good.replace('"records"', '/* x */ "records"'),
        "line comment": "// x\n" + good,
        "single quotes": good.replace('"kind": "recommendation"', "'kind': 'recommendation'"),
        "leading zero": good.replace('"score": 5', '"score": 05'),
        ".5": good.replace('"score": 5', '"score": .5'),
        "1.": good.replace('"score": 5', '"score": 5.'),
        "+1": good.replace('"score": 5', '"score": +5'),
        "1e400": good.replace('"score": 5', '"score": 1e400'),
        "NaN": good.replace('"score": 5', '"score": NaN'),
        "hex": good.replace('"score": 5', '"score": 0x5'),
        "trailing comma": good[:-2] + ",]}",
        "two values": good + "{}",
        "lone surrogate": good.replace('"Hyv', '"\\ud800Hyv'),
        "not UTF-8": good.replace('"Hyv', '"\udcffHyv'),
    }
    for name, body in variants.items():
        assert body != good, name
        bad_json(server, token, body.encode("utf-8", "surrogateescape"))
    assert stored(server) == 0
    assert "not a JSON object" in bad_json(server, token, b"[]")
    status, _, payload = call(server.base, "POST", "/api/v1/submissions", raw=good.encode(), token=token)
    assert status == 200 and payload["results"][0]["status"] == "accepted", payload


def member_paths(server):
    """A reason names the member by its path, and says "missing" only
    when the member is absent."""
    token = server.enrol()["token"]
    no_received_on = initiative()
    del no_received_on["initiative"]["received_on"]
    cases = [
        (feedback(contact={"name": "Aino", "email": "no-at-sign"}), "contact.email: "),
        (feedback(contact={"name": " ", "phone": "1"}), "contact.name: "),
        (initiative(initiative=dict(initiative()["initiative"], received_on="2026-02-30")),
         "initiative.received_on: not a date YYYY-MM-DD"),
        (initiative(initiative=dict(initiative()["initiative"], received_on="yesterday!")),
         "initiative.received_on: not a date YYYY-MM-DD"),
        (no_received_on, "initiative.received_on: missing"),
        (initiative(initiative=dict(initiative()["initiative"], title="")), "initiative.title: "),
        (initiative(contact=None), "contact: missing"),
        (record(score=9.0), "score: expected a whole number"),
        (record(score=1e2), "score: expected a whole number"),
    ]
    status, _, payload = call(server.base, "POST", "/api/v1/submissions",
                              {"records": [r for r, _ in cases]}, token=token)
    assert status == 200, (status, payload)
    for (sent, reason), result in zip(cases, payload["results"]):
        assert result["status"] == "rejected", (sent, result)
        assert result["reason"].startswith(reason), (reason, result["reason"])
        assert "contact_" not in result["reason"], result["reason"]
    assert stored(server) == 0


CASES = [
    ("100 000 levels of nesting on every endpoint, with and without a token: 4xx, the server lives on",
     deep_nesting, "--client-rate", "100000"),
    ("a member name twice: 400 bad_json, nothing stored", duplicate_members),
    ("\\u0000 in a string: 400 bad_json, nothing stored", nul_in_a_string),
    ("comments, single quotes, 01, .5, 1., +1, 1e400, NaN, hex: 400 bad_json", lenient_json),
    ("reasons name the member by its path; missing only when absent", member_paths),
]


def main():
    test_server.SERVER = sys.argv[1]
    run(CASES, Server, lambda server: server.stop())


if __name__ == "__main__":
    main()
