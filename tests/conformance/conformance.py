#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Kuulolla sync protocol conformance suite (docs/protocol.md, version 1).

Checks a server from the outside, over HTTP(S) only, the way a kiosk and a
region's reporting tools meet it: every endpoint, method, status code,
error code and limit the protocol states, ETag and cursor semantics and
the query-string rules. It prints TAP. A region that writes its own server
runs it against that server (tests/conformance/README.md); with no --url
it starts the reference kuulolla-server on 127.0.0.1 with a free port and
makes its own enrolment codes and tokens.

One function per case, grouped by the protocol's sections; a case that
needs what was not given (a reader token, a way to publish initiatives,
the server's configured rates) is a TAP skip that says what to give.
Cases of rules not yet in every server are marked pending and run only
with --include-pending.

Python 3 standard library only.
"""
import argparse
import csv
import datetime
import hashlib
import http.client
import io
import json
import math
import os
import shlex
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid as uuidlib

HERE = os.path.dirname(os.path.abspath(__file__))
MIB = 1024 * 1024
BATCH_MAX = 500
PAGE_MAX = 100
Z_95 = 1.959963984540054  # the 97.5 % quantile of the normal distribution (§ 8: "1.96")


class Skip(Exception):
    """A case that cannot run with what it was given."""


# --- HTTP --------------------------------------------------------------------

class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name)

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%d %r>" % (self.status, self.body[:300])


class Client:
    """Requests to one server, the path and query sent exactly as given."""

    def __init__(self, url, ca_file=None):
        parts = urllib.parse.urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.prefix = parts.path.rstrip("/")
        self.context = ssl.create_default_context(cafile=ca_file) if self.https else None

    def connection(self):
        if self.https:
            return http.client.HTTPSConnection(self.host, self.port, timeout=30, context=self.context)
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def call(self, method, path, body=None, token=None, raw=None, headers=None, scheme="Bearer"):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        sent = dict(headers or {})
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
        if token is not None:
            sent["Authorization"] = "%s %s" % (scheme, token)
        connection = self.connection()
        try:
            connection.request(method, self.prefix + path, body=data, headers=sent)
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()

    def raw(self, data, read_until_close=False):
        """Bytes sent on a new connection, and the first answer's bytes."""
        sock = socket.create_connection((self.host, self.port), timeout=30)
        if self.https:
            sock = self.context.wrap_socket(sock, server_hostname=self.host)
        with sock:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # refused before all was sent: the answer may still be there
            try:
                return sock.recv(65536)
            except ConnectionResetError:
                return b""


def expect_error(response, status, *codes):
    """A protocol error: the status, JSON {"error", "message"}, the code."""
    assert response.status == status, "expected %d %s, got %r" % (status, "/".join(codes), response)
    content_type = response.header("Content-Type") or ""
    assert content_type.startswith("application/json"), (content_type, response)
    body = response.json
    assert isinstance(body, dict) and body.get("error") in codes, (codes, body)
    assert isinstance(body.get("message"), str) and body["message"], body
    return body


def expect_ok(response, status=200):
    assert response.status == status, "expected %d, got %r" % (status, response)
    return response.json if response.body else None


# --- the server under test ---------------------------------------------------

class Reference:
    """The reference kuulolla-server, started here, and its admin commands."""

    def __init__(self, binary, tmp):
        sys.path.insert(0, os.path.dirname(HERE))
        import test_server  # the one way to start the server in tests
        test_server.SERVER = binary
        self.module, self.tmp, self.started = test_server, tmp, []

    def start(self, *args, name="server"):
        server = self.module.Server(self.tmp, *args, database=os.path.join(self.tmp, name + ".db"))
        self.started.append(server)
        return server

    def code(self, server, region, unit):
        return server.admin("enrol", "--region", region, "--unit", unit)

    def stop(self):
        return "".join(server.stop() for server in self.started)


class Setup:
    """What a case is handed: a client, tokens, ids from the region file and
    the optional ways to act as the region's administrator."""

    def __init__(self, args, reference=None):
        self.args, self.reference = args, reference
        self.server = None
        self.run_id = uuidlib.uuid4().hex[:8]
        self.unit = "Conformance %s" % self.run_id

    def connect(self):
        if self.reference:
            # A generous address rate: the cases' own 401s must not trip it;
            # its own case starts a server with a small one.
            self.server = self.reference.start("--region", "kainuu", "--region", "kymenlaakso",
                                               "--client-rate", "1000")
            url = self.server.base
            self.codes = [self.reference.code(self.server, "kainuu", self.unit),
                          self.reference.code(self.server, "kymenlaakso", self.unit)]
            self.reader = self.server.token("reader")[0]
            self.admin = self.server.token("admin")[0]
        else:
            url = self.args.url
            self.codes = list(self.args.enrol_code)
            self.reader, self.admin = self.args.reader_token, self.args.admin_token
            self.enrolled_unit = self.args.enrolled_unit
            self.revoked_token = self.args.revoked_token
        self.client = Client(url, self.args.ca_file)
        if not self.codes:
            raise SystemExit("conformance: give at least one --enrol-code for a server at --url")
        self.enrolled = self.client.call("POST", "/api/v1/enrol",
                                         {"code": self.codes[0], "unit": self.unit, "app_version": "conformance"})
        assert self.enrolled.status == 201, "enrolment with the first code failed: %r" % self.enrolled
        self.device = self.enrolled.json
        self.token = self.device["token"]
        self.region_id = self.device["region"]
        region = self.client.call("GET", "/api/v1/region", token=self.token)
        assert region.status == 200, "the device's region file: %r" % region
        self.region_bytes = region.body
        self.region = region.json
        self.goal = self.region["goals"][0]["id"]
        self.statements = [s["id"] for s in self.region["survey"]["statements"]]
        self.municipality = self.region["municipalities"][0]["id"]

    def call(self, *args, **kwargs):
        return self.client.call(*args, **kwargs)

    def stop(self):
        return self.reference.stop() if self.reference else ""

    # --- what a region's administrator does --------------------------------

    def publish(self, uuid, status, answer=None):
        """Takes up or answers an initiative on the server."""
        extra = [answer] if answer is not None else []
        if self.reference:
            args = ["initiative", uuid, "--status", status] + (["--answer", answer] if answer is not None else [])
            self.server.admin(*args)
        elif self.args.initiative_command:
            subprocess.run(shlex.split(self.args.initiative_command) + [uuid, status] + extra, check=True,
                           capture_output=True, timeout=60)
        else:
            raise Skip("needs --initiative-command to take up and answer initiatives")

    OPTIONS = {"reader": "--reader-token", "admin": "--admin-token"}

    def staff_code(self, role="viewer"):
        """A one-time sign-in code of the suite's region, or a Skip."""
        if self.reference:
            return self.server.admin("staff", "add", "--region", self.region_id, "--name",
                                     "Conformance " + self.run_id, "--role", role)
        if not self.args.staff_code:
            raise Skip("needs --staff-code, a sign-in code of the first --enrol-code's region")
        return self.args.staff_code.pop(0)

    def need(self, what):
        """What a case needs of the options, or a Skip that names the option."""
        value = getattr(self, what, None)
        if not value:
            raise Skip("needs " + self.OPTIONS.get(what, "--" + what.replace("_", "-")))
        return value

    def second_device(self):
        """A device of another region, or a Skip."""
        if len(self.codes) < 2:
            raise Skip("needs a second --enrol-code, of another region")
        if not hasattr(self, "other"):
            answer = self.call("POST", "/api/v1/enrol", {"code": self.codes[1]})
            assert answer.status == 201, answer
            self.other = answer.json
        return self.other

    # --- records -------------------------------------------------------------

    def now(self, offset=0):
        moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def recommendation(self, **changes):
        r = {"uuid": str(uuidlib.uuid4()), "kind": "recommendation", "created_at": self.now(-60),
             "region": self.region_id, "unit": self.unit, "language": "fi", "audience": "residents",
             "topic": {"kind": "goal", "id": self.goal}, "score": 9,
             "answers": [{"statement": self.statements[0], "answer": 4}], "text": "Hyvä"}
        r.update(changes)
        return r

    def personnel(self, **changes):
        r = self.recommendation(audience="personnel", answers=[{"statement": "functioning", "answer": 4}],
                                text=None)
        r.update(changes)
        return r

    def feedback(self, **changes):
        r = {"uuid": str(uuidlib.uuid4()), "kind": "feedback", "created_at": self.now(-60),
             "region": self.region_id, "unit": self.unit, "language": "sv", "audience": "residents",
             "topic": None, "text": "Respons"}
        r.update(changes)
        return r

    def initiative(self, **changes):
        r = {"uuid": str(uuidlib.uuid4()), "kind": "initiative", "created_at": self.now(-60),
             "region": self.region_id, "unit": self.unit, "language": "fi", "audience": "residents",
             "topic": None, "text": "Aloitteen teksti %s" % self.run_id,
             "initiative": {"title": "Aloite %s" % self.run_id, "municipality": self.municipality,
                            "channel": "kiosk", "received_on": self.now()[:10], "signatories": 3},
             "contact": {"name": "Aino Äijälä", "email": "aino@example.fi", "phone": None}}
        r.update(changes)
        return r

    def submit(self, records, token=None):
        """The results of one batch (which must be answered 200)."""
        answer = self.call("POST", "/api/v1/submissions", {"records": records}, token=token or self.token)
        body = expect_ok(answer)
        results = body["results"]
        assert len(results) == len(records), (len(results), len(records))
        return results

    def statuses(self, records, token=None):
        return [r["status"] for r in self.submit(records, token)]

    def initiatives_to_end(self, since=""):
        """Every page from @since on: (initiatives, last cursor, pages)."""
        seen, cursor, pages = [], since, 0
        while True:
            page = expect_ok(self.call("GET", "/api/v1/initiatives?since=" + cursor, token=self.token))
            seen += page["initiatives"]
            cursor, pages = page["cursor"], pages + 1
            if not page["more"]:
                return seen, cursor, pages
            assert pages < 10000, "the pages never end"


CASES = []


def case(section, pending=False):
    """Registers a case; its name is the first line of its docstring."""
    def register(func):
        CASES.append(("§" + section, func.__doc__.strip().splitlines()[0], func, pending))
        return func
    return register


# --- § 2 Transport -------------------------------------------------------------

ENDPOINTS = [("GET", "/api/v1/region", "device"), ("GET", "/api/v1/initiatives", "device"),
             ("POST", "/api/v1/submissions", "device"), ("GET", "/api/v1/reports/nps", "reader"),
             ("GET", "/api/v1/reports/answers.csv", "reader")]


def token_of(s, role):
    return s.token if role == "device" else s.need("reader")


def device_first(endpoints):
    """The device's endpoints before the reports, which may need a skip."""
    return sorted(endpoints, key=lambda endpoint: endpoint[2] == "reader")


@case("9")
def health(s):
    """/healthz: 200 {"status": "ok"} without a token; HEAD too; another method 405"""
    answer = s.call("GET", "/healthz")
    assert expect_ok(answer) == {"status": "ok"}, answer
    assert s.call("HEAD", "/healthz").status == 200
    answer = s.call("POST", "/healthz", {})
    expect_error(answer, 405, "method")
    assert answer.header("Allow") == "GET", answer.header("Allow")


@case("2")
def unknown_paths(s):
    """only the listed paths exist: others, and paths under them, are 404 not_found"""
    for path in ("/api/v1/nothing", "/api/v1/region/x", "/api/v1/regionx", "/api/v2/region", "/",
                 "/api/v1/reports", "/healthz/x"):
        expect_error(s.call("GET", path, token=s.token), 404, "not_found")


@case("2")
def wrong_methods(s):
    """a wrong method is 405 method, with Allow naming the right one"""
    for method, path, role in device_first(ENDPOINTS + [("POST", "/api/v1/enrol", None)]):
        wrong = "POST" if method == "GET" else "GET"
        answer = s.call(wrong, path, body={} if wrong == "POST" else None,
                        token=token_of(s, role) if role else None)
        expect_error(answer, 405, "method")
        assert answer.header("Allow") == method, (path, answer.header("Allow"))
    for method in ("PUT", "DELETE"):
        expect_error(s.call(method, "/api/v1/region", token=s.token), 405, "method")


@case("2")
def head_on_get(s):
    """GET endpoints also take HEAD: the status and headers of a GET, no body"""
    answer = s.call("HEAD", "/api/v1/region", token=s.token)
    assert answer.status == 200 and answer.body == b"" and answer.header("ETag"), answer


@case("2")
def no_token(s):
    """no token or an unknown one: 401 unauthorized with WWW-Authenticate: Bearer"""
    for method, path, _ in ENDPOINTS:
        body = {"records": []} if method == "POST" else None
        for token in (None, "x" * 43):
            answer = s.call(method, path, body, token=token)
            expect_error(answer, 401, "unauthorized")
            assert (answer.header("WWW-Authenticate") or "").startswith("Bearer"), answer.headers


@case("3")
def revoked_token(s):
    """a revoked token: 401 unauthorized"""
    if s.reference:
        code = s.reference.code(s.server, s.region_id, s.unit)
        device = expect_ok(s.call("POST", "/api/v1/enrol", {"code": code}), 201)
        expect_ok(s.call("GET", "/api/v1/region", token=device["token"]))
        s.server.admin("revoke", device["device_id"])
        token = device["token"]
    else:
        token = s.need("revoked_token")
    expect_error(s.call("GET", "/api/v1/region", token=token), 401, "unauthorized")


@case("2")
def roles(s):
    """a token whose role may not call an endpoint: 403 forbidden"""
    for path in ("/api/v1/reports/nps", "/api/v1/reports/answers.csv"):
        expect_error(s.call("GET", path, token=s.token), 403, "forbidden")
    reader, admin = s.need("reader"), s.need("admin")
    for token in (reader, admin):
        for path in ("/api/v1/region", "/api/v1/initiatives"):
            expect_error(s.call("GET", path, token=token), 403, "forbidden")
        expect_error(s.call("POST", "/api/v1/submissions", {"records": []}, token=token), 403, "forbidden")
    expect_error(s.call("GET", "/api/v1/reports/answers.csv?contacts=1", token=reader), 403, "forbidden")
    expect_ok(s.call("GET", "/api/v1/reports/nps", token=reader))
    assert s.call("GET", "/api/v1/reports/answers.csv?contacts=1", token=admin).status == 200


@case("2")
def body_too_large(s):
    """a body over 1 MiB is 413 too_large: by Content-Length, with Expect: 100-continue before the body, chunked"""
    big = b'{"records": ["' + b"a" * (MIB + 10) + b'"]}'
    expect_error(s.call("POST", "/api/v1/submissions", raw=big, token=s.token), 413, "too_large")
    auth = b"Authorization: Bearer " + s.token.encode() + b"\r\n"
    head = (b"POST " + s.client.prefix.encode() + b"/api/v1/submissions HTTP/1.1\r\nHost: x\r\n" + auth +
            b"Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 50000000\r\n\r\n")
    answer = s.client.raw(head)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    head = (b"POST " + s.client.prefix.encode() + b"/api/v1/submissions HTTP/1.1\r\nHost: x\r\n" + auth +
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    answer = s.client.raw(head + chunk * 17 + b"0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


@case("2")
def batch_too_large(s):
    """a batch of 501 records is 413 batch_too_large; one of 500 is answered record by record"""
    expect_error(s.call("POST", "/api/v1/submissions", {"records": [s.feedback() for _ in range(BATCH_MAX + 1)]},
                        token=s.token), 413, "batch_too_large")
    assert set(s.statuses([s.feedback() for _ in range(BATCH_MAX)])) == {"accepted"}


@case("2")
def bad_bodies(s):
    """a body that is not a JSON object is 400 bad_json; one of the wrong shape 400 bad_request"""
    for raw in (b"{not json", b"", b"[]", b'"records"', b"\xff\xfe{}", b'{"records": []}{}'):
        expect_error(s.call("POST", "/api/v1/submissions", raw=raw, token=s.token), 400, "bad_json")
    for body in ({"rows": []}, {"records": {}}, {"records": None}):
        expect_error(s.call("POST", "/api/v1/submissions", body, token=s.token), 400, "bad_request")


# --- § 2 Query strings ------------------------------------------------------------

@case("2")
def unknown_parameters(s):
    """an unknown query parameter is 400 bad_request, on every endpoint"""
    checks = [("GET", "/healthz?x=1", None, None), ("GET", "/api/v1/region?id=../..", s.token, None),
              ("GET", "/api/v1/initiatives?cursor=0", s.token, None),
              ("POST", "/api/v1/submissions?dry=1", s.token, {"records": []}),
              ("POST", "/api/v1/enrol?x=1", None, {"code": "AAAA-BBBB-CCCC"})]
    for method, path, token, body in checks:
        expect_error(s.call(method, path, body, token=token), 400, "bad_request")
    reader = s.need("reader")
    for path in ("/api/v1/reports/nps?grup=unit", "/api/v1/reports/answers.csv?contact=1",
                 "/api/v1/reports/nps?Since=2026-01-01"):
        expect_error(s.call("GET", path, token=reader), 400, "bad_request")


@case("2")
def repeated_parameters(s):
    """a parameter given twice is 400 bad_request, whatever the order"""
    expect_error(s.call("GET", "/api/v1/initiatives?since=0&since=0", token=s.token), 400, "bad_request")
    reader, admin = s.need("reader"), s.need("admin")
    for query in ("contacts=1&contacts=0", "contacts=0&contacts=1"):
        expect_error(s.call("GET", "/api/v1/reports/answers.csv?" + query, token=admin), 400, "bad_request")
    expect_error(s.call("GET", "/api/v1/reports/nps?group=unit&group=month", token=reader), 400, "bad_request")
    expect_error(s.call("GET", "/api/v1/reports/nps?since=2026-01-01&since=2026-02-01", token=reader),
                 400, "bad_request")


@case("2")
def undecodable_query(s):
    """a query that is not percent-encoded UTF-8 is 400"""
    for query in ("since=%ff", "since=%00", "since=%zz", "%ff=1"):
        answer = s.call("GET", "/api/v1/initiatives?" + query, token=s.token)
        assert answer.status == 400, (query, answer)


@case("2")
def decoded_once(s):
    """names and values are percent-decoded once; an encoded & does not split"""
    start = expect_ok(s.call("GET", "/api/v1/initiatives?since=", token=s.token))
    assert expect_ok(s.call("GET", "/api/v1/initiatives?si%6Ece=%30", token=s.token)) == start
    for query in ("since=%2530", "since=0%26since=0"):
        expect_error(s.call("GET", "/api/v1/initiatives?" + query, token=s.token), 400, "bad_cursor")
    expect_error(s.call("GET", "/api/v1/initiatives?since=0&", token=s.token), 400, "bad_request")


@case("2")
def empty_query(s):
    """an empty query string, and an empty since, ask from the start"""
    first = expect_ok(s.call("GET", "/api/v1/initiatives", token=s.token))
    for path in ("/api/v1/initiatives?", "/api/v1/initiatives?since="):
        assert expect_ok(s.call("GET", path, token=s.token)) == first, path
    expect_ok(s.call("GET", "/healthz?"))


# --- § 3 Enrolment ----------------------------------------------------------------

@case("3")
def enrolment(s):
    """enrolment: 201 with the device id, a token of at least 128 bits and the region"""
    assert s.enrolled.status == 201 and s.enrolled.header("Content-Type").startswith("application/json")
    assert set(s.device) == {"device_id", "token", "region"}, s.device
    assert len(s.token) >= 22, "a token of fewer than 128 bits"
    assert s.region_id == s.region["id"], (s.region_id, s.region["id"])


@case("3")
def enrolment_codes_once(s):
    """a used or unknown enrolment code is 409 code_used"""
    expect_error(s.call("POST", "/api/v1/enrol", {"code": s.codes[0]}), 409, "code_used")
    expect_error(s.call("POST", "/api/v1/enrol", {"code": "AAAA-BBBB-CCCC"}), 409, "code_used")


@case("3")
def enrolment_shape(s):
    """an enrolment body of the wrong shape is 400"""
    for body in ({}, {"code": 5}, {"code": ["a"]}, {"code": {"$ne": ""}}):
        expect_error(s.call("POST", "/api/v1/enrol", body), 400, "bad_request", "bad_json")
    expect_error(s.call("POST", "/api/v1/enrol", raw=b"code=1"), 400, "bad_json")


# --- § 4 Records, § 5 Delivering ---------------------------------------------------

@case("5")
def batch_results(s):
    """a batch: one result per record, in order: accepted, duplicate, rejected for other content"""
    good = s.recommendation()
    changed = dict(good, score=3)
    invalid = s.recommendation(score=11)
    results = s.submit([good, good, changed, invalid, "garbage"])
    assert [(r["uuid"], r["status"]) for r in results[:4]] == [
        (good["uuid"], "accepted"), (good["uuid"], "duplicate"), (good["uuid"], "rejected"),
        (invalid["uuid"], "rejected")], results
    assert "reason" not in results[0] and "reason" not in results[1], results
    assert results[2]["reason"].startswith("uuid"), results[2]
    assert results[3]["reason"].startswith("score"), results[3]
    assert results[4]["status"] == "rejected" and results[4]["uuid"] is None, results[4]
    assert s.statuses([good]) == ["duplicate"], "a resend after the answer was lost"
    assert s.submit([]) == []


@case("4")
def every_kind(s):
    """every kind and audience is accepted: recommendation, feedback, initiative, personnel with functioning"""
    records = [s.recommendation(), s.recommendation(answers=[], text=None, language="en"),
               s.recommendation(topic={"kind": "service_area", "id": s.region["service_areas"][0]["id"]}),
               s.feedback(), s.feedback(topic={"kind": "goal", "id": s.goal},
                                        contact={"name": "Aino", "email": None, "phone": "+358 40 1"}),
               s.initiative(), s.personnel(),
               s.personnel(answers=[{"statement": "functioning", "answer": 1}], score=0, text="Kiire")]
    results = s.submit(records)
    assert [r["status"] for r in results] == ["accepted"] * len(records), results


@case("4")
def rejected_naming_member(s):
    """an invalid record is rejected, the reason naming the member"""
    r = s.recommendation
    cases = [
        (r(score=11), "score"), (r(score="9"), "score"), (r(language="de"), "language"),
        (r(audience="everyone"), "audience"), (r(kind="vote"), "kind"), (r(uuid="not-a-uuid"), "uuid"),
        (r(created_at="yesterday"), "created_at"), (r(created_at="2026-11-24T10:00:00"), "created_at"),
        (r(topic=None), "topic"), (r(topic={"kind": "goal", "id": "no-such-goal"}), "topic.id"),
        (r(answers=[{"statement": "no-such-statement", "answer": 3}]), "answers[0].statement"),
        (r(answers=[{"statement": s.statements[0], "answer": 6}]), "answers[0].answer"),
        (r(answers=[{"statement": "functioning", "answer": 3}]), "answers[0].statement"),
        (r(extra=1), "extra"), (r(region="no-such-region"), "region"),
        (s.feedback(score=5), "score"), (s.feedback(contact={"email": "a@example.fi"}), "contact"),
        (s.initiative(contact=None), "contact"),
        (s.initiative(initiative=dict(s.initiative()["initiative"], municipality="atlantis")),
         "initiative.municipality"),
        (s.initiative(initiative=dict(s.initiative()["initiative"], channel="fax")), "initiative.channel"),
        (s.initiative(initiative=dict(s.initiative()["initiative"], signatories=0)), "initiative.signatories"),
    ]
    results = s.submit([record for record, _ in cases])
    for (record, member), result in zip(cases, results):
        assert result["status"] == "rejected", (member, result)
        assert member in result["reason"], (member, result["reason"])


@case("4")
def other_region(s):
    """a record whose region is not the device's is rejected naming region"""
    other = [rid for rid in ("kainuu", "kymenlaakso", "keski-uusimaa", "keski-suomi") if rid != s.region_id][0]
    result = s.submit([s.recommendation(region=other)])[0]
    assert result["status"] == "rejected" and result["reason"].startswith("region"), result


@case("4")
def length_limits(s):
    """texts at their limits (in characters), signatories and answers: at the limit accepted, beyond it rejected"""
    def initiative(title=200, text=10000, name=200, email=254, phone=40):
        record = s.initiative(text="ä" * text)
        record["initiative"]["title"] = "ö" * title
        record["contact"] = {"name": "å" * name, "email": "a" * (email - 11) + "@example.fi",
                             "phone": "1" * phone}
        return record
    at = [s.recommendation(text="ä" * 2000), s.feedback(text="ä" * 4000), s.recommendation(unit="ä" * 100),
          initiative()]
    over = [s.recommendation(text="ä" * 2001), s.feedback(text="ä" * 4001), s.recommendation(unit="ä" * 101),
            initiative(text=10001), initiative(title=201), initiative(name=201), initiative(email=255),
            initiative(phone=41)]
    most = s.initiative()
    most["initiative"]["signatories"] = 1000000
    at.append(most)
    many = s.initiative()
    many["initiative"]["signatories"] = 1000001
    over += [many, s.recommendation(answers=[{"statement": s.statements[0], "answer": 3}] * 65)]
    assert s.statuses(at) == ["accepted"] * len(at), s.submit(at)
    results = s.submit(over)
    assert [r["status"] for r in results] == ["rejected"] * len(over), results
    assert results[-1]["reason"].startswith("answers"), results[-1]


@case("4")
def same_content(s):
    """same content: null and absent alike, answers in any order, the same instant in another offset"""
    base = s.recommendation(answers=[{"statement": s.statements[0], "answer": 4},
                                     {"statement": s.statements[1], "answer": 2}],
                            text=None, created_at="2026-11-24T10:00:00Z")
    again = {k: v for k, v in base.items() if k != "text"}
    again["answers"] = list(reversed(base["answers"]))
    again["created_at"] = "2026-11-24T12:00:00+02:00"
    again["uuid"] = base["uuid"].upper()
    feedback = s.feedback(topic=None, contact={"name": "Aino", "email": "a@example.fi", "phone": None})
    feedback_again = {k: v for k, v in feedback.items() if k != "topic"}
    feedback_again["contact"] = {"name": "Aino", "email": "a@example.fi"}
    no_answers = s.recommendation(answers=[])
    no_answers_again = {k: v for k, v in no_answers.items() if k != "answers"}
    assert s.statuses([base, feedback, no_answers]) == ["accepted"] * 3
    assert s.statuses([again, feedback_again, no_answers_again]) == ["duplicate"] * 3
    different = [dict(base, text=""), dict(base, created_at="2026-11-24T10:00:01Z"),
                 dict(feedback, contact=dict(feedback["contact"], phone="1")), dict(no_answers, language="sv")]
    results = s.submit(different)
    assert [r["status"] for r in results] == ["rejected"] * 4, results


# --- § 6 Region configuration --------------------------------------------------------

@case("6")
def region_file(s):
    """the region file: its bytes, a strong ETag of their SHA-256, Cache-Control: no-cache"""
    answer = s.call("GET", "/api/v1/region", token=s.token)
    etag = '"%s"' % hashlib.sha256(answer.body).hexdigest()
    assert answer.status == 200 and answer.header("Content-Type").startswith("application/json"), answer
    assert answer.header("ETag") == etag, (answer.header("ETag"), etag)
    assert "no-cache" in (answer.header("Cache-Control") or ""), answer.header("Cache-Control")
    assert answer.json["id"] == s.region_id


@case("6")
def region_etag(s):
    """If-None-Match: the ETag, its weak twin, a list with it or *: 304 with the ETag; another: 200"""
    etag = '"%s"' % hashlib.sha256(s.region_bytes).hexdigest()
    for match in (etag, "W/" + etag, '"other", ' + etag, "*"):
        answer = s.call("GET", "/api/v1/region", token=s.token, headers={"If-None-Match": match})
        assert answer.status == 304 and answer.body == b"" and answer.header("ETag") == etag, (match, answer)
    answer = s.call("GET", "/api/v1/region", token=s.token, headers={"If-None-Match": '"other"'})
    assert answer.status == 200 and answer.body == s.region_bytes, answer


@case("6")
def no_region(s):
    """a device of a region the server does not serve: 404 no_region"""
    if s.reference:
        code = s.reference.code(s.server, "keski-suomi", s.unit)
    elif s.args.unserved_code:
        code = s.args.unserved_code
    else:
        raise Skip("needs --unserved-code, an enrolment code for a region the server does not serve")
    device = expect_ok(s.call("POST", "/api/v1/enrol", {"code": code}), 201)
    expect_error(s.call("GET", "/api/v1/region", token=device["token"]), 404, "no_region")


# --- § 7 Initiatives and answers --------------------------------------------------------

def check_page_shape(page):
    assert set(page) == {"initiatives", "cursor", "more"}, page.keys()
    assert isinstance(page["cursor"], str) and page["cursor"].isdigit(), page["cursor"]
    assert isinstance(page["more"], bool) and len(page["initiatives"]) <= PAGE_MAX
    for item in page["initiatives"]:
        assert set(item) == {"uuid", "title", "text", "municipality", "received_on", "status", "answer",
                             "updated_at"}, item.keys()
        assert item["status"] in ("in_progress", "answered"), item
        assert item["status"] != "answered" or item["answer"], item


@case("7")
def initiatives_cursor(s):
    """the list has its shape; asked again with the last cursor: nothing new, the same cursor"""
    seen, cursor, _ = s.initiatives_to_end()
    page = expect_ok(s.call("GET", "/api/v1/initiatives?since=" + cursor, token=s.token))
    check_page_shape(page)
    assert page == {"initiatives": [], "cursor": cursor, "more": False}, page


@case("7")
def bad_cursors(s):
    """a cursor the server never gave is 400 bad_cursor: not decimal, or beyond the newest change"""
    for bad in ("abc", "-1", "1e3", "0x10", "+1", "%201", "1.0", "9" * 30, str(10 ** 17)):
        expect_error(s.call("GET", "/api/v1/initiatives?since=" + bad, token=s.token), 400, "bad_cursor")


@case("7")
def initiatives_published(s):
    """taken-up initiatives are listed in change order, no contacts; received ones are not"""
    _, start, _ = s.initiatives_to_end()
    taken, waiting, answered = s.initiative(), s.initiative(), s.initiative()
    assert s.statuses([taken, waiting, answered]) == ["accepted"] * 3
    s.publish(taken["uuid"], "in_progress")
    s.publish(answered["uuid"], "in_progress", "Käsittelijä: Aino")
    s.publish(answered["uuid"], "answered", "Vastaus %s" % s.run_id)
    seen, cursor, _ = s.initiatives_to_end(start)
    assert [(i["uuid"], i["status"], i["answer"]) for i in seen] == [
        (taken["uuid"], "in_progress", None), (answered["uuid"], "answered", "Vastaus %s" % s.run_id)], seen
    item = seen[1]
    assert (item["title"], item["text"], item["municipality"], item["received_on"]) == (
        answered["initiative"]["title"], answered["text"], s.municipality, answered["initiative"]["received_on"])
    datetime.datetime.strptime(item["updated_at"], "%Y-%m-%dT%H:%M:%SZ")
    raw = json.dumps(seen)
    assert "contact" not in raw and "aino@example.fi" not in raw and "Äijälä" not in raw, raw
    assert int(cursor) > int(start or "0")

    # A change comes again after the cursor, with its new status and answer.
    s.publish(taken["uuid"], "answered", "Päätetty")
    again, _, _ = s.initiatives_to_end(cursor)
    assert [(i["uuid"], i["status"], i["answer"]) for i in again] == [(taken["uuid"], "answered", "Päätetty")]
    other = s.second_device()
    others = expect_ok(s.call("GET", "/api/v1/initiatives", token=other["token"]))
    assert taken["uuid"] not in json.dumps(others), "another region's device sees them"


@case("7")
def initiatives_pages(s):
    """at most 100 a page, more: true until the last; the cursor pages through every one"""
    _, start, _ = s.initiatives_to_end()
    many = [s.initiative() for _ in range(PAGE_MAX + 1)]
    assert set(s.statuses(many)) == {"accepted"}
    for item in many:
        s.publish(item["uuid"], "in_progress")
    first = expect_ok(s.call("GET", "/api/v1/initiatives?since=" + start, token=s.token))
    check_page_shape(first)
    assert len(first["initiatives"]) == PAGE_MAX and first["more"] is True, (len(first["initiatives"]),
                                                                             first["more"])
    seen, _, pages = s.initiatives_to_end(start)
    assert [i["uuid"] for i in seen] == [i["uuid"] for i in many] and pages == 2, (len(seen), pages)


# --- § 8 Reports ----------------------------------------------------------------------

def nps_row(s, token, audience, period=""):
    answer = s.call("GET", "/api/v1/reports/nps?group=region&audience=%s&region=%s%s" % (audience, s.region_id,
                                                                                         period),
                    token=token)
    body = expect_ok(answer)
    assert body["audience"] == audience and body["group"] == ["region"], body
    rows = [r for r in body["rows"] if r["region"] == s.region_id]
    return rows[0] if rows else {"promoters": 0, "passives": 0, "detractors": 0, "total": 0}


@case("8")
def nps_report(s):
    """NPS: the counts of what was delivered, the index, margin and small_sample as § 8 computes them"""
    reader = s.need("reader")
    # A month of its own, 300 days ago: personnel answers are counted only
    # from cells (a unit in a month) of 5 or more, and a cell under 10 gives
    # its count only (§ 8, the small-group rule), so earlier answers of the
    # same month would hide in it.
    day = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=300)).date()
    period = "&since=%s-01&until=%s-28" % (day.strftime("%Y-%m"), day.strftime("%Y-%m"))
    before = nps_row(s, reader, "personnel", period)
    scores = [10, 9, 9, 8, 7, 6, 3, 0, 10, 5]
    created = day.strftime("%Y-%m-%dT12:00:00Z")
    assert set(s.statuses([s.personnel(score=score, created_at=created) for score in scores])) == {"accepted"}
    row = nps_row(s, reader, "personnel", period)
    assert before["total"] == 0 or before["visibility"] == "full", before
    delta = {k: row[k] - before[k] for k in ("promoters", "passives", "detractors", "total")}
    assert delta == {"promoters": 4, "passives": 2, "detractors": 4, "total": 10}, delta
    n, p, d = row["total"], row["promoters"] / row["total"], row["detractors"] / row["total"]
    assert math.isclose(row["index"], (p - d) * 100, abs_tol=1e-9), row
    margin = Z_95 * math.sqrt((p + d - (p - d) ** 2) * n / (n - 1) / n) * 100
    assert math.isclose(row["margin"], margin, rel_tol=1e-9), (row, margin)
    assert row["small_sample"] == (n < 30), row
    assert set(row) == {"region", "promoters", "passives", "detractors", "total", "index", "margin",
                        "small_sample", "visibility"}, row.keys()


@case("8")
def nps_parameters(s):
    """NPS: group keys as asked; a wrong group, date, period, region or audience is 400 bad_request"""
    reader = s.need("reader")
    body = expect_ok(s.call("GET", "/api/v1/reports/nps?group=topic,unit,month&since=2000-01-01&until=2099-12-31",
                            token=reader))
    assert body["group"] == ["topic", "unit", "month"] and body["audience"] == "residents", body
    for row in body["rows"]:
        assert {"topic", "unit", "month"} <= set(row) and "region" not in row, row
    for query in ("group=week", "since=2026-13-01", "since=2026-02-30", "until=26-01-01",
                  "since=2026-02-01&until=2026-01-31", "region=atlantis", "audience=everyone"):
        expect_error(s.call("GET", "/api/v1/reports/nps?" + query, token=reader), 400, "bad_request")


CSV_COLUMNS = ["uuid", "kind", "created_at", "received_at", "region", "unit", "language", "audience",
               "topic_kind", "topic_id", "score", "answers", "text", "title", "municipality", "channel",
               "received_on", "signatories", "status", "answer"]
CONTACT_COLUMNS = ["contact_name", "contact_email", "contact_phone", "contact_erased"]


def csv_rows(s, token, query, contacts=False):
    answer = s.call("GET", "/api/v1/reports/answers.csv?" + query, token=token)
    assert answer.status == 200, answer
    assert answer.header("Content-Type") == "text/csv; charset=utf-8; header=present", answer.header("Content-Type")
    assert answer.header("Content-Disposition") == 'attachment; filename="answers.csv"'
    assert answer.header("Cache-Control") == "no-store"
    assert answer.body.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    text = answer.body[3:].decode("utf-8")
    assert text.endswith("\r\n"), "rows end in CRLF"
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == CSV_COLUMNS + (CONTACT_COLUMNS if contacts else []), reader.fieldnames
    return list(reader)


@case("8")
def answers_csv(s):
    """answers.csv: RFC 4180 with a BOM, formulas neutralised, contacts only for an admin with contacts=1"""
    reader, admin = s.need("reader"), s.need("admin")
    record = s.feedback(text="=1+1\r\nrivi, \"lainaus\"",
                        contact={"name": "@Aino", "email": "a@example.fi", "phone": "+358 40 1"})
    assert s.statuses([record]) == ["accepted"]
    query = "region=%s&since=%s" % (s.region_id, s.now(-86400)[:10])
    rows = {r["uuid"]: r for r in csv_rows(s, reader, query)}
    row = rows[record["uuid"]]
    assert row["text"] == "'=1+1\r\nrivi, \"lainaus\"", row["text"]
    assert "contact_name" not in row and "received_at" in row, row.keys()
    rows = {r["uuid"]: r for r in csv_rows(s, admin, query + "&contacts=1", contacts=True)}
    row = rows[record["uuid"]]
    assert (row["contact_name"], row["contact_phone"]) == ("'@Aino", "'+358 40 1"), row
    csv_rows(s, admin, query + "&contacts=0")
    expect_error(s.call("GET", "/api/v1/reports/answers.csv?contacts=yes", token=admin), 400, "bad_request")


@case("8")
def answers_csv_cells(s):
    """answers.csv: a row's cells for each kind, created_at in UTC, an initiative's status"""
    reader = s.need("reader")
    recommendation = s.recommendation(created_at=s.now(-7200)[:-1] + "+00:00",
                                      answers=[{"statement": s.statements[0], "answer": 5},
                                               {"statement": s.statements[1], "answer": 2}])
    initiative = s.initiative()
    assert s.statuses([recommendation, initiative]) == ["accepted"] * 2
    rows = {r["uuid"]: r for r in csv_rows(s, reader, "region=%s&since=%s" % (s.region_id, s.now(-86400)[:10]))}
    row = rows[recommendation["uuid"]]
    assert row["created_at"] == recommendation["created_at"][:19] + "Z", row["created_at"]
    assert (row["kind"], row["topic_kind"], row["topic_id"], row["score"]) == (
        "recommendation", "goal", s.goal, "9"), row
    pairs = sorted(row["answers"].split(";"))
    assert pairs == sorted(["%s=5" % s.statements[0], "%s=2" % s.statements[1]]), row["answers"]
    assert row["title"] == row["status"] == row["signatories"] == "", row
    datetime.datetime.strptime(row["received_at"], "%Y-%m-%dT%H:%M:%SZ")
    row = rows[initiative["uuid"]]
    assert (row["title"], row["municipality"], row["channel"], row["signatories"], row["status"]) == (
        initiative["initiative"]["title"], s.municipality, "kiosk", "3", "received"), row
    assert row["score"] == row["answers"] == row["answer"] == "", row


# --- § 3 Staff accounts, § 8 Results (the region desk) -------------------------------

DESK_COLUMNS = ["uuid", "kind", "created_at", "unit", "language", "audience", "topic_kind", "topic_id", "score",
                "statements", "text", "title", "municipality", "channel", "received_on", "signatories", "status"]


def staff_sign_in(s, role="viewer"):
    """A new sign-in of the suite's region: the answer, and the code used."""
    code = s.staff_code(role)
    return s.call("POST", "/api/v1/staff/sign-in", {"code": code}), code


def staff_token(s):
    """One viewer's token, signed in once for the cases that only read."""
    if not getattr(s, "staff", None):
        answer, _ = staff_sign_in(s)
        s.staff = expect_ok(answer)["token"]
    return s.staff


@case("3")
def staff_sign_in_out(s):
    """Staff: a code signs in once (200 with token, id, name, role, region); me; sign-out 204; then 401 revoked"""
    answer, code = staff_sign_in(s)
    body = expect_ok(answer)
    assert set(body) == {"token", "id", "name", "role", "region"} and body["region"] == s.region_id, body
    assert body["role"] in ("viewer", "handler", "admin") and len(body["token"]) >= 22, body
    me = expect_ok(s.call("GET", "/api/v1/staff/me", token=body["token"]))
    assert me == {k: body[k] for k in ("id", "name", "role", "region")}, me
    assert s.call("POST", "/api/v1/staff/sign-out", token=body["token"]).status == 204
    expect_error(s.call("GET", "/api/v1/staff/me", token=body["token"]), 401, "revoked")
    expect_error(s.call("GET", "/api/v1/results?audience=residents&period=month&since=2026-01-01&until=2026-01-31",
                        token=body["token"]), 401, "revoked")
    s.used_staff_code = code


@case("3")
def staff_bad_code(s):
    """Staff: a wrong or used code is 400 bad_code, one message; no code 400 bad_request; GET 405"""
    wrong = expect_error(s.call("POST", "/api/v1/staff/sign-in", {"code": "AAAA-BBBB-CCCC"}), 400, "bad_code")
    used = getattr(s, "used_staff_code", None)
    if used:
        again = expect_error(s.call("POST", "/api/v1/staff/sign-in", {"code": used}), 400, "bad_code")
        assert again["message"] == wrong["message"], "the answers tell a used code from a wrong one"
    for body in ({}, {"code": 5}, {"code": "A" * 65}):
        expect_error(s.call("POST", "/api/v1/staff/sign-in", body), 400, "bad_request")
    expect_error(s.call("GET", "/api/v1/staff/sign-in"), 405, "method")
    expect_error(s.call("GET", "/api/v1/staff/me", token="x" * 43), 401, "unauthorized")
    expect_error(s.call("GET", "/api/v1/staff/me", token=s.token), 403, "forbidden")


RESULT_KEYS = {"region", "audience", "period", "since", "until", "generated_at", "rule", "topics", "functioning",
               "targets"}


@case("8")
def results_counts(s):
    """Results: the region's topics in order; a month's new answers counted in total, trend, unit and statement"""
    token = staff_token(s)
    day = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=250)).date()
    since, until = day.strftime("%Y-%m-01"), day.strftime("%Y-%m-28")
    query = "/api/v1/results?audience=residents&period=month&since=%s&until=%s&unit=%s" % (
        since, until, urllib.parse.quote(s.unit))
    before = expect_ok(s.call("GET", query, token=token))
    assert set(before) == RESULT_KEYS | {"unit"} and before["unit"] == s.unit and before["rule"] == {"min_answers": 10, "min_personnel": 5}, before
    topics = [(t["topic"]["kind"], t["topic"]["id"]) for t in before["topics"]]
    wanted = [("goal", g["id"]) for g in s.region["goals"]] + \
        [("service_area", a["id"]) for a in s.region.get("service_areas", [])]
    assert topics == wanted, (topics, wanted)
    created = day.strftime("%Y-%m-10T12:00:00Z")
    records = [s.recommendation(score=score, created_at=created,
                                answers=[{"statement": s.statements[0], "answer": 5}])
               for score in [10, 10, 10, 9, 8, 7, 6, 0, 10, 9, 3, 10]]
    assert set(s.statuses(records)) == {"accepted"}
    after = expect_ok(s.call("GET", query, token=token))
    topic = after["topics"][0]
    old = before["topics"][0]["total"].get("n", 0)
    assert topic["total"]["n"] == old + 12 and topic["total"]["visibility"] == "full", topic["total"]
    assert topic["trend"][0]["period"] == day.strftime("%Y-%m") and topic["trend"][0]["cell"]["n"] == old + 12
    assert [u["unit"] for u in topic["units"]] == [s.unit], topic["units"]
    statement = {st["id"]: st["cell"] for st in topic["statements"]}[s.statements[0]]
    assert statement["n"] >= 12 and len(statement.get("distribution", [0] * 5)) == 5, statement
    if old == 0:
        assert topic["total"]["distribution"] == [1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 5], topic["total"]
        assert (topic["total"]["promoters"], topic["total"]["passives"], topic["total"]["detractors"]) == (7, 2, 3)


@case("8")
def results_parameters(s):
    """Results: a missing, unknown or malformed parameter, or personnel by week, is 400; other tokens 403"""
    token = staff_token(s)
    good = {"audience": "residents", "period": "month", "since": "2026-01-01", "until": "2026-03-31"}
    for change in ({"audience": "all"}, {"period": "year"}, {"since": "2026-1-1"}, {"until": None},
                   {"region": s.region_id}, {"audience": "personnel", "period": "week"}, {"since": "2026-04-01"}):
        params = {k: v for k, v in dict(good, **change).items() if v is not None}
        expect_error(s.call("GET", "/api/v1/results?" + urllib.parse.urlencode(params), token=token), 400,
                     "bad_request")
    expect_error(s.call("GET", "/api/v1/results?" + urllib.parse.urlencode(good), token=s.token), 403, "forbidden")
    body = expect_ok(s.call("GET", "/api/v1/results?audience=personnel&period=month&since=2026-01-15&until="
                            "2026-02-10", token=token))
    assert (body["since"], body["until"]) == ("2026-01-01", "2026-02-28"), "personnel months are not whole"


@case("8")
def desk_csv(s):
    """answers.csv for staff: the device's columns first, semicolons and a BOM; sep=comma; contacts 403 for a viewer"""
    token = staff_token(s)
    answer = s.call("GET", "/api/v1/reports/answers.csv?since=2000-01-01", token=token)
    assert answer.status == 200 and answer.body.startswith(b"\xef\xbb\xbf"), answer
    header = answer.body[3:].split(b"\r\n", 1)[0].decode()
    assert header.split(";")[:len(DESK_COLUMNS)] == DESK_COLUMNS, header
    answer = s.call("GET", "/api/v1/reports/answers.csv?since=2000-01-01&sep=comma", token=token)
    assert answer.body[3:].split(b"\r\n", 1)[0].decode().split(",")[:len(DESK_COLUMNS)] == DESK_COLUMNS
    if getattr(s, "staff_role", "viewer") != "admin":
        expect_error(s.call("GET", "/api/v1/reports/answers.csv?contacts=1", token=token), 403, "forbidden")
    expect_error(s.call("GET", "/api/v1/reports/answers.csv?sep=tab", token=token), 400, "bad_request")


# --- pending: rules being added in issue 14 -----------------------------------------

STRICT_JSON = [b'{"records": [], "records": []}', b'{"records": [] /* c */}', b"{'records': []}",
               b'{"records": [], "x": 01}', b'{"records": [], "x": .5}', b'{"records": [], "x": 1.}',
               b'{"records": [], "x": +1}', b'{"records": [], "x": NaN}', b'{"records": [], "x": Infinity}',
               b'{"records": [], "x": 1e400}', b'{"records": [], "x": "a\\u0000b"}',
               b'{"records": [], "x": "\xc3"}', b'{"records": [], "x": ' + b"[" * 65 + b"]" * 65 + b"}"]


@case("2", pending=True)
def strict_json(s):
    """strict JSON: duplicates, comments, odd numbers, \\u0000, bad UTF-8, depth over 64 are 400 bad_json"""
    for raw in STRICT_JSON:
        answer = s.call("POST", "/api/v1/submissions", raw=raw, token=s.token)
        assert answer.status == 400, (raw[:80], answer)
        expect_error(answer, 400, "bad_json")
    expect_ok(s.call("POST", "/api/v1/submissions", raw=b'{"records": [], "x": ' + b"[" * 63 + b"]" * 63 + b"}",
                     token=s.token))


@case("4")
def integers_integral(s):
    """an integer member that is not integral is rejected naming the member"""
    results = s.submit([s.recommendation(score=9.5), s.recommendation(score=1e10)])
    assert [r["status"] for r in results] == ["rejected", "rejected"], results
    assert all(r["reason"].startswith("score") for r in results), results


@case("3")
def bearer_any_case(s):
    """the Authorization scheme is case-insensitive: bearer, BEARER"""
    for scheme in ("bearer", "BEARER", "BeArEr"):
        assert s.call("GET", "/api/v1/region", token=s.token, scheme=scheme).status == 200, scheme


@case("4")
def unit_from_enrolment(s):
    """the unit stored and reported is the device's enrolled unit, whatever the record says"""
    admin = s.need("admin")
    unit = s.unit if s.reference else s.need("enrolled_unit")
    record = s.feedback(unit="Somewhere else")
    assert s.statuses([record]) == ["accepted"]
    assert s.statuses([record]) == ["duplicate"], "kept as sent for the same-content comparison"
    rows = {r["uuid"]: r for r in csv_rows(s, admin, "region=" + s.region_id)}
    assert rows[record["uuid"]]["unit"] == unit, rows[record["uuid"]]["unit"]


@case("4")
def created_at_window(s):
    """created_at at most 1 hour ahead and 365 days behind the server's clock"""
    ok = [s.feedback(created_at=s.now(3600 - 120)), s.feedback(created_at=s.now(-364 * 86400))]
    late = [s.feedback(created_at=s.now(3600 + 120)), s.feedback(created_at=s.now(-366 * 86400))]
    assert s.statuses(ok) == ["accepted"] * 2
    results = s.submit(late)
    assert all(r["status"] == "rejected" and r["reason"].startswith("created_at") for r in results), results


# --- § 2 Rate limits: last, they leave this address or device without requests -----

def until_429(s, send, limit):
    """Sends until 429: how many passed, and the 429."""
    for passed in range(limit * 2 + 10):
        answer = send()
        if answer.status == 429:
            return passed, answer
    raise AssertionError("no 429 after %d requests" % (limit * 2 + 10))


@case("2")
def token_rate(s):
    """per token: 429 too_many_requests with Retry-After beyond the rate; other devices go on"""
    if s.reference:
        server = s.reference.start("--region", "kainuu", "--rate", "5", name="token-rate")
        client, token, other = Client(server.base), server.enrol()["token"], server.enrol()["token"]
        rate = 5
    else:
        rate = s.args.token_rate or 0
        if not rate:
            raise Skip("needs --token-rate, the server's requests a minute per token")
        client, token, other = s.client, s.token, None
    started = time.monotonic()
    passed, answer = until_429(s, lambda: client.call("GET", "/api/v1/initiatives", token=token), rate)
    refilled = (time.monotonic() - started) * rate / 60
    assert passed <= rate + refilled + 1, "%d passed at %d a minute" % (passed, rate)
    expect_error(answer, 429, "too_many_requests")
    assert int(answer.header("Retry-After")) >= 1, answer.header("Retry-After")
    assert client.call("GET", "/healthz").status == 200, "/healthz is limited"
    if other:
        assert client.call("GET", "/api/v1/initiatives", token=other).status == 200, "one device stopped another"


@case("2")
def client_rate(s):
    """per address without a valid token: 429 with Retry-After; a valid token goes on, on its own budget"""
    if s.reference:
        server = s.reference.start("--region", "kainuu", "--client-rate", "5", name="client-rate")
        client, token, rate = Client(server.base), None, 5
        token = server.enrol()["token"]
    else:
        rate = s.args.client_rate or 0
        if not rate:
            raise Skip("needs --client-rate, the server's requests a minute per address without a token")
        client, token = s.client, s.token
    passed, answer = until_429(s, lambda: client.call("GET", "/api/v1/region", token="guess"), rate)
    assert passed <= rate + 1, "%d guesses passed at %d a minute" % (passed, rate)
    expect_error(answer, 429, "too_many_requests")
    assert int(answer.header("Retry-After")) >= 1
    expect_error(client.call("POST", "/api/v1/enrol", {"code": "AAAA-BBBB-CCCC"}), 429, "too_many_requests")
    # A kiosk behind the same address (a NAT) is not starved by a guesser.
    assert client.call("GET", "/api/v1/region", token=token).status == 200, "a valid token waited"
    expect_error(client.call("GET", "/api/v1/region", token="guess"), 429, "too_many_requests")
    assert client.call("GET", "/healthz").status == 200, "/healthz is limited"


# --- running ---------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="the server's base URL (no /api/v1); none: start the reference server")
    parser.add_argument("--server", default=os.environ.get("KUULOLLA_SERVER", "kuulolla-server"),
                        help="the reference server's binary, without --url")
    parser.add_argument("--enrol-code", action="append", default=[],
                        help="an unused enrolment code; the first is used, a second (of another region) "
                             "for region isolation")
    parser.add_argument("--enrolled-unit", help="the unit the first --enrol-code was made for")
    parser.add_argument("--unserved-code", help="an enrolment code for a region the server does not serve")
    parser.add_argument("--reader-token", help="a reader token")
    parser.add_argument("--admin-token", help="an admin token")
    parser.add_argument("--revoked-token", help="a device token that was revoked")
    parser.add_argument("--staff-code", action="append", default=[],
                        help="an unused staff sign-in code (viewer) of the first --enrol-code's region; two for "
                             "every staff case")
    parser.add_argument("--initiative-command",
                        help="a command run as CMD UUID STATUS [ANSWER] to take up or answer an initiative")
    parser.add_argument("--token-rate", type=int, help="the server's requests a minute per token")
    parser.add_argument("--client-rate", type=int, help="the server's requests a minute per address")
    parser.add_argument("--ca-file", help="a CA for the server's certificate")
    parser.add_argument("--include-pending", action="store_true", help="also the rules still being added")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    return parser.parse_args(argv)


def run_case(s, func):
    try:
        func(s)
        return "ok", None
    except Skip as skip:
        return "skip", str(skip)
    except Exception:
        import traceback
        return "fail", traceback.format_exc()


def main(argv):
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        s = Setup(args, None if args.url else Reference(args.server, tmp))
        failed = False
        try:
            s.connect()
            print("1..%d" % len(CASES))
            for number, (section, name, func, pending) in enumerate(CASES, 1):
                title = "%s %s" % (section, name)
                if pending and not args.include_pending:
                    print("ok %d - %s # SKIP pending: run with --include-pending" % (number, title))
                    continue
                if args.only and args.only not in name:
                    print("ok %d - %s # SKIP not selected" % (number, title))
                    continue
                outcome, detail = run_case(s, func)
                if outcome == "skip":
                    print("ok %d - %s # SKIP %s" % (number, title, detail))
                elif outcome == "ok":
                    print("ok %d - %s" % (number, title))
                else:
                    failed = True
                    print("not ok %d - %s" % (number, title))
                    print("# " + detail.strip().replace("\n", "\n# "))
                    print("not ok %d - %s\n%s" % (number, title, detail.strip()), file=sys.stderr)
                sys.stdout.flush()
        finally:
            output = s.stop()
            if failed and output:
                print(output[-4000:], file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
