#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/*/seed-*).

Run from the source root: python3 fuzz/make-corpus.py. The region seeds
are the bundled region files (data/regions); the rest are made here, from
the same records the tests use. Inputs the fuzzers found (crash-*,
regression-*) sit beside the seeds and are kept.

python3 fuzz/make-corpus.py --deep TARGET DIR writes TARGET's seeds nested
100 000 deep (a few hundred kB each) into DIR: fuzz/run-fuzz.sh makes them
for every run rather than keeping them in git.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

CONTACT = {"name": "Aino Äijälä", "email": "aino.aijala@example.fi", "phone": "+358 40 123 4567"}


def uuid(n):
    return "0b7d3c8e-6f1a-4d2b-9c3e-%012d" % n


def head(n, **changes):
    r = {"uuid": uuid(n), "created_at": "2026-11-24T10:00:00Z", "region": "kainuu", "unit": "Kajaani",
         "language": "fi", "audience": "residents"}
    r.update(changes)
    return r


def recommendation(n, **changes):
    r = head(n, kind="recommendation", topic={"kind": "goal", "id": "together"}, score=9,
             answers=[{"statement": "felt-safe", "answer": 5}, {"statement": "got-help", "answer": 4}],
             text="Hyvä")
    r.update(changes)
    return r


def feedback(n, **changes):
    r = head(n, kind="feedback", topic=None, text="Palautetta")
    r.update(changes)
    return r


def initiative(n, **changes):
    r = head(n, kind="initiative", topic=None, created_at="2026-10-02T09:00:00Z",
             text="Kuhmoon lisää iltavastaanottoja.",
             initiative={"title": "Iltavastaanotto Kuhmoon", "municipality": "kuhmo", "channel": "kiosk",
                         "received_on": "2026-10-02", "signatories": 12},
             contact=CONTACT)
    r.update(changes)
    return r


BATCHES = {
    "one": [recommendation(1)],
    "kinds": [recommendation(2), feedback(3), initiative(4)],
    "personnel": [recommendation(5, audience="personnel", topic={"kind": "service_area", "id": "home-services"},
                                 answers=[{"statement": "functioning", "answer": 3}], text=None),
                  feedback(6, audience="personnel", language="sv", text="Bra service")],
    "csv-hard": [feedback(7, text='=HYPERLINK("http://example.com","x"), "quoted"\r\nand\nlines'),
                 feedback(8, text="+358 40 1", unit="-Unit, with comma"),
                 initiative(9, text="@SUM(A1)\ttab", contact={"name": "\"Matti\"", "phone": "+358401234567"}),
                 recommendation(10, text="\tleading tab", score=0)],
    "mixed": [recommendation(11), "garbage", 42, None, feedback(12, region="kymenlaakso"),
              recommendation(13, topic={"kind": "goal", "id": "no-such-goal"}),
              initiative(14, initiative={"title": "t", "municipality": "helsinki", "channel": "paper",
                                         "received_on": "2026-10-02", "signatories": 1}),
              recommendation(11)],
    "empty": [],
}


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def batch_body(records):
    return json.dumps({"records": records}, ensure_ascii=False)


def http(method, path, token=None, body=None, extra=""):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1"]
    if token:
        lines.append("Authorization: Bearer @%s@" % token)
    data = b""
    if body is not None:
        data = body.encode() if isinstance(body, str) else body
        lines.append("Content-Type: application/json")
        lines.append("Content-Length: %d" % len(data))
    if extra:
        lines.append(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


DEEP = 100000


def deep_seeds(target):
    """Bodies like the one that ended the server (issue 14): arrays 100 000
    deep, objects and arrays in objects tens of thousands deep (each under
    the 300 000 bytes of -max_len), closed and open, alone and in a batch."""
    arrays = "[" * DEEP + "]" * DEEP
    objects = '{"a":' * 49000 + "1" + "}" * 49000
    in_batch = '{"records":[' + '{"a":[' * 25000 + "]}" * 25000 + "]}"
    if target == "json":
        return {"deep-arrays": arrays, "deep-objects": objects, "deep-open": "[" * DEEP,
                "deep-in-batch": in_batch, "deep-mixed": '{"k":[' * 25000 + "1" + "]}" * 25000}
    if target == "batch":
        return {"deep-in-batch": in_batch, "deep-records": '{"records":' + arrays + "}",
                "deep-open": '{"records":[' + '{"a":' * 50000}
    if target == "request":
        return {"deep-enrol": http("POST", "/api/v1/enrol", body='{"code":' * 30000 + "1" + "}" * 30000),
                "deep-submissions": http("POST", "/api/v1/submissions", "DEVICE", in_batch),
                "deep-region": http("GET", "/api/v1/region", "DEVICE", arrays)}
    return {}


def json_seeds():
    write("json", "batch", batch_body(BATCHES["kinds"] + BATCHES["csv-hard"]))
    write("json", "values", '[0, -0, 1.5, -2.5e-3, 1E+2, 9223372036854775807, -9223372036854775808, '
                            '9223372036854775808, true, false, null, "", "\\u00e4\\ud83d\\udc4d\\n\\/", {}, []]')
    write("json", "depth-64", "[" * 64 + "]" * 64)
    write("json", "depth-65", "{\"a\":" * 64 + "{}" + "}" * 64)
    write("json", "duplicate", '{"records": [{"score": 10, "score": 0}], "records": []}')
    write("json", "nul", '{"text": "a\\u0000b"}')
    write("json", "lenient", "{/* c */ 'a': [01, .5, 1., +1, 1e400, NaN, 0x1F]} // c")
    write("json", "scalar", '"just a string"')


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--deep":
        for name, data in deep_seeds(sys.argv[2]).items():
            with open(os.path.join(sys.argv[3], "seed-" + name), "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode())
        return
    json_seeds()
    for name, records in BATCHES.items():
        write("batch", name, batch_body(records))
        write("export", name, batch_body(records))
    write("batch", "not-a-batch", '{"records": {"uuid": "x"}}')

    write("request", "healthz", http("GET", "/healthz"))
    write("request", "enrol", http("POST", "/api/v1/enrol", body='{"code": "ABCD-EFGH-IJKL"}'))
    write("request", "submissions", http("POST", "/api/v1/submissions", "DEVICE",
                                         batch_body(BATCHES["kinds"])))
    write("request", "submissions-mixed", http("POST", "/api/v1/submissions", "DEVICE",
                                               batch_body(BATCHES["mixed"])))
    write("request", "region", http("GET", "/api/v1/region", "DEVICE"))
    write("request", "region-etag", http("GET", "/api/v1/region", "DEVICE",
                                         extra='If-None-Match: W/"abc", "def", *'))
    write("request", "initiatives", http("GET", "/api/v1/initiatives?since=0", "DEVICE"))
    write("request", "initiatives-bad", http("GET", "/api/v1/initiatives?since=-1&x=y", "DEVICE"))
    write("request", "nps", http("GET", "/api/v1/reports/nps?group=topic,unit,month&since=2026-01-01"
                                        "&until=2026-12-31&region=kainuu", "READER"))
    write("request", "csv", http("GET", "/api/v1/reports/answers.csv?since=2026-01-01&until=2026-12-31"
                                        "&contacts=1", "ADMIN"))
    write("request", "csv-reader", http("GET", "/api/v1/reports/answers.csv?contacts=1", "READER"))
    write("request", "results", http("GET", "/api/v1/results?audience=residents&period=week&since=2026-01-01"
                                            "&until=2026-12-31&unit=Fuzz", "STAFF"))
    write("request", "results-personnel", http("GET", "/api/v1/results?audience=personnel&period=month"
                                                      "&since=2026-01-15&until=2026-03-02", "STAFF"))
    write("request", "csv-staff", http("GET", "/api/v1/reports/answers.csv?sep=comma&contacts=1", "STAFF"))
    write("request", "staff-sign-in", http("POST", "/api/v1/staff/sign-in", body='{"code": "ABCD-EFGH-IJKL"}'))
    write("request", "staff-me", http("GET", "/api/v1/staff/me", "STAFF"))
    write("request", "two", http("POST", "/api/v1/submissions", "DEVICE", batch_body(BATCHES["csv-hard"]))
          + http("GET", "/api/v1/reports/answers.csv", "ADMIN"))
    write("request", "chunked",
          b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @DEVICE@\r\n"
          b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"rec\r\n10\r\nords\": []}      \r\n0\r\n\r\n")
    write("request", "wrong-token", http("GET", "/api/v1/region", extra="Authorization: Bearer nope"))
    write("request", "wrong-method", http("DELETE", "/api/v1/submissions", "DEVICE"))
    write("request", "not-found", http("GET", "/api/v1/regionx", "DEVICE"))

    uuids = ["00000000-0000-4000-8000-%012d" % i for i in range(3)]
    write("response", "results", "results 3\n" + json.dumps({"results": [
        {"uuid": uuids[0], "status": "accepted"},
        {"uuid": uuids[1], "status": "duplicate"},
        {"uuid": uuids[2], "status": "rejected", "reason": "topic.id: no goal “x” in kainuu"}]}, ensure_ascii=False))
    write("response", "results-none", "results 0\n" + '{"results": []}')
    write("response", "enrol", "enrol\n" + json.dumps({"device_id": "5f0c-device", "token": "kuu_abcdef0123456789",
                                                      "region": "kainuu"}))
    write("response", "initiatives", "initiatives\n" + json.dumps({"initiatives": [
        {"uuid": uuid(4), "title": "Iltavastaanotto Kuhmoon", "text": "Kuhmoon lisää iltavastaanottoja.",
         "municipality": "kuhmo", "received_on": "2026-10-02", "status": "answered",
         "answer": "Iltavastaanotto alkaa tammikuussa.", "updated_at": "2026-11-20T08:00:00Z"},
        {"uuid": uuid(5), "title": "Lisää penkkejä", "text": "Terveysaseman pihaan penkkejä.",
         "municipality": "kajaani", "received_on": "2026-09-12", "status": "in_progress",
         "answer": None, "updated_at": "2026-11-21T08:00:00+02:00"}],
        "cursor": "42", "more": False}, ensure_ascii=False))
    write("response", "initiatives-empty", "initiatives\n" + '{"initiatives": [], "cursor": "0", "more": true}')
    with open(os.path.join(ROOT, "data", "regions", "kainuu.json"), "rb") as f:
        write("response", "region", b"region\n" + f.read())


main()
