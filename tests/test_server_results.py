#!/usr/bin/python3
"""The region desk's results on the real kuulolla-server: GET /api/v1/results
checked figure by figure against counts made here from the raw records the
test posted through enrolled devices; a third device's answers appearing;
the small-group rule (no figures under 10 answers, personnel cells under 5
never, through any filter, month, trend, target, report or export, and no
difference of two queries revealing them); the targets' verdicts; the
desk's CSV (semicolon and BOM, comma on request, contacts for admins only,
each export audited once).

Usage: test_server_results.py KUULOLLA_SERVER
"""
import csv
import datetime
import io
import itertools
import math
import os
import random
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_server  # noqa: E402
from kuu_tap import run  # noqa: E402
from test_server import CONTACT, Server, call, feedback, last_day, month, record  # noqa: E402

Z_95 = 1.959963984540054
KAINUU_TOPICS = [("goal", g) for g in ("together", "sustainable", "renewal", "people")] + \
    [("service_area", a) for a in ("digital-services", "home-services", "local-services", "central-hospital",
                                   "social-services", "rescue")]
STATEMENTS = ["easy-to-deal", "help-when-needed", "got-needed-service", "felt-safe", "treated-with-respect",
              "understandable-information"]


# --- helpers ------------------------------------------------------------------

def staff(server, role="viewer", region="kainuu", name="Anna Virtanen"):
    code = server.admin("staff", "add", "--region", region, "--name", name, "--role", role)
    status, _, body = call(server.base, "POST", "/api/v1/staff/sign-in", {"code": code})
    assert status == 200, (status, body)
    return body["token"]


def results(server, token, **params):
    status, _, body = call(server.base, "GET", "/api/v1/results?" + urllib.parse.urlencode(params), token=token)
    assert status == 200, (params, status, body)
    return body


def day_of(r):
    return datetime.date.fromisoformat(r["created_at"][:10])


def nps_cell(audience, dist):
    n = sum(dist)
    if audience == "personnel" and n < 5:
        return {"visibility": "hidden"}
    if n < 10:
        return {"visibility": "count_only", "n": n}
    p, a, d = sum(dist[9:]), sum(dist[7:9]), sum(dist[:7])
    variance = ((p + d) / n - ((p - d) / n) ** 2) * n / (n - 1)
    return {"visibility": "full", "n": n, "index": (p - d) / n * 100, "margin": Z_95 * math.sqrt(variance / n) * 100,
            "promoters": p, "passives": a, "detractors": d, "distribution": dist}


def agree_cell(audience, dist):
    n = sum(dist)
    if audience == "personnel" and n < 5:
        return {"visibility": "hidden"}
    if n < 10:
        return {"visibility": "count_only", "n": n}
    mean = sum((i + 1) * c for i, c in enumerate(dist)) / n
    return {"visibility": "full", "n": n, "distribution": dist, "share_agree": 100 * (dist[3] + dist[4]) / n,
            "mean": mean}


def same(got, want, where="body"):
    """Equal, floats to 1e-9."""
    if isinstance(want, float) or isinstance(got, float):
        assert got is not None and want is not None and math.isclose(got, want, abs_tol=1e-9), (where, got, want)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), (where, got, want)
        for key in want:
            same(got[key], want[key], where + "." + key)
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), (where, got, want)
        for i, (g, w) in enumerate(zip(got, want)):
            same(g, w, "%s[%d]" % (where, i))
    else:
        assert got == want, (where, got, want)


def period_label(day, period):
    if period == "month":
        return day.strftime("%Y-%m")
    year, week, _ = day.isocalendar()
    return "%04d-W%02d" % (year, week)


def labels(since, until, period):
    out, day = [], since
    while day <= until:
        label = period_label(day, period)
        if label not in out:
            out.append(label)
        day += datetime.timedelta(days=1)
    return out


def rank(units):
    def key(item):
        cell = item["cell"]
        full = cell["visibility"] == "full"
        return (0 if full else 1, -cell["index"] if full else 0, -cell["n"], item["unit"])
    return sorted([u for u in units if u["cell"]["visibility"] != "hidden"], key=key)


def expected_residents(records, since, until, period, unit=None, topics=KAINUU_TOPICS, region="kainuu"):
    """The whole /results body but its header, counted here."""
    since_d, until_d = datetime.date.fromisoformat(since), datetime.date.fromisoformat(until)
    days = (until_d - since_d).days + 1
    prev_d = since_d - datetime.timedelta(days=days)
    mine = [r for r in records if r["kind"] == "recommendation" and r["audience"] == "residents" and
            r["region"] == region and unit in (None, r["unit"])]
    now = [r for r in mine if since_d <= day_of(r) <= until_d]
    before = [r for r in mine if prev_d <= day_of(r) < since_d]
    out = []
    for kind, tid in topics:
        def of_topic(rs):
            return [r for r in rs if (r["topic"]["kind"], r["topic"]["id"]) == (kind, tid)]

        def dist(rs):
            return [sum(r["score"] == s for r in rs) for s in range(11)]
        here, there = of_topic(now), of_topic(before)
        total, previous = nps_cell("residents", dist(here)), nps_cell("residents", dist(there))
        change = None
        if total["visibility"] == "full" and previous["visibility"] == "full":
            delta = total["index"] - previous["index"]
            margin = math.sqrt(total["margin"] ** 2 + previous["margin"] ** 2)
            change = {"delta": delta, "margin": margin, "significant": abs(delta) > margin}
        trend = [{"period": label, "cell": nps_cell("residents", dist(
            [r for r in here if period_label(day_of(r), period) == label]))}
            for label in labels(since_d, until_d, period)]
        units = rank([{"unit": u, "cell": nps_cell("residents", dist([r for r in here if r["unit"] == u]))}
                      for u in sorted({r["unit"] for r in here})])
        statements = [{"id": s, "cell": agree_cell("residents", [
            sum(1 for r in here for a in r["answers"] if a["statement"] == s and a["answer"] == v)
            for v in range(1, 6)])} for s in STATEMENTS]
        out.append({"topic": {"kind": kind, "id": tid}, "total": total, "previous": previous, "change": change,
                    "trend": trend, "units": units, "statements": statements})
    return out


def check_residents(server, token, records, since, until, period="month", unit=None):
    params = {"audience": "residents", "period": period, "since": since, "until": until}
    if unit:
        params["unit"] = unit
    body = results(server, token, **params)
    assert (body["region"], body["audience"], body["period"], body["since"], body["until"]) == \
        ("kainuu", "residents", period, since, until), body
    assert body["rule"] == {"min_answers": 10, "min_personnel": 5}, body["rule"]
    assert body["functioning"] is None and body["targets"] == [], body
    same(body["topics"], expected_residents(records, since, until, period, unit), "topics")
    return body


def random_records(rng, n, unit, months=(9, 10, 11)):
    out = []
    for _ in range(n):
        kind, tid = rng.choice(KAINUU_TOPICS[:3] + KAINUU_TOPICS[4:6])
        answers = [{"statement": s, "answer": rng.randint(1, 5)} for s in rng.sample(STATEMENTS, rng.randint(0, 3))]
        out.append(record(unit=unit, topic={"kind": kind, "id": tid}, score=rng.choice([0, 3, 6, 7, 8, 9, 10, 10]),
                          answers=answers, text=None,
                          created_at="%s-%02dT%02d:00:00Z" % (month(rng.choice(months)), rng.randint(1, 28),
                                                             rng.randint(0, 23))))
    return out


# --- cases ----------------------------------------------------------------------

def residents_figures(server):
    """Two kiosks; every figure equals a count made here; a third appears."""
    rng = random.Random(16)
    records = random_records(rng, 260, "Kajaani") + random_records(rng, 140, "Kuhmo")
    # Other audiences, kinds and regions are not in the figures.
    records += [record(audience="personnel", answers=[{"statement": "functioning", "answer": 3}], text=None,
                       created_at=month(10) + "-05T10:00:00Z") for _ in range(12)]
    records += [feedback(created_at=month(10) + "-06T10:00:00Z")]
    for unit in ("Kajaani", "Kuhmo"):
        server.deliver(server.enrol(unit=unit)["token"], [r for r in records if r["unit"] == unit])
    elsewhere = [record(region="kymenlaakso", unit="Kotka", topic={"kind": "goal", "id": "services"}, answers=[],
                        created_at=month(10) + "-07T10:00:00Z") for _ in range(15)]
    server.deliver(server.enrol("kymenlaakso", "Kotka")["token"], elsewhere)
    token = staff(server, "viewer")

    check_residents(server, token, records, month(10) + "-01", last_day(11))
    check_residents(server, token, records, month(10) + "-10", month(11) + "-20")
    check_residents(server, token, records, month(11) + "-01", last_day(11), "week")
    check_residents(server, token, records, month(9) + "-01", last_day(11), "month", "Kuhmo")
    body = check_residents(server, token, records, month(11) + "-03", month(11) + "-09", "week", "Kajaani")
    assert any(t["total"]["visibility"] == "count_only" for t in body["topics"]), "no small cell was tried"
    assert any(t["total"]["visibility"] == "count_only" and t["total"]["n"] == 0 for t in body["topics"])

    third = random_records(rng, 60, "Sotkamo", months=(11,))
    device = server.enrol(unit="Sotkamo")
    server.deliver(device["token"], third)
    body = check_residents(server, token, records + third, month(10) + "-01", last_day(11))
    assert any(u["unit"] == "Sotkamo" for t in body["topics"] for u in t["units"]), "the third kiosk is missing"
    # Whole months are read from counts the database keeps: a purge takes
    # its records back out of them.
    server.admin("device", "purge", device["device_id"], "--since", "2000-01-01")
    body = check_residents(server, token, records, month(10) + "-01", last_day(11))
    assert not any(u["unit"] == "Sotkamo" for t in body["topics"] for u in t["units"]), "a purged kiosk counts"


def change_flagged(server):
    """The change since the previous period is significant only beyond its margin."""
    token = server.enrol()["token"]
    before = [record(score=10, answers=[], created_at=month(10) + "-%02dT10:00:00Z" % (d % 28 + 1))
              for d in range(40)]
    now = [record(score=s, answers=[], created_at=month(11) + "-%02dT10:00:00Z" % (d % 28 + 1))
           for d, s in enumerate([0] * 30 + [10] * 10)]
    small = [record(topic={"kind": "goal", "id": "renewal"}, score=s, answers=[],
                    created_at=month(11) + "-02T10:00:00Z") for s in [10] * 6 + [0] * 6]
    small += [record(topic={"kind": "goal", "id": "renewal"}, score=s, answers=[],
                     created_at=month(10) + "-20T10:00:00Z") for s in [10] * 5 + [0] * 6]
    server.deliver(token, before + now + small)
    viewer = staff(server)
    # The same number of days just before: month 11 has 30 or 31 days, and
    # the previous period is that many days back from its first.
    since, until = month(11) + "-01", month(11) + "-28"
    body = check_residents(server, viewer, before + now + small, since, until)
    change = {t["topic"]["id"]: t["change"] for t in body["topics"]}
    assert change["together"]["significant"] is True and change["together"]["delta"] < -100, change
    assert change["renewal"] is not None and change["renewal"]["significant"] is False, change


PERSONNEL_CELLS = {  # (unit, month number): answers
    ("Kotka", 9): 4, ("Hamina", 9): 6, ("Kotka", 10): 5, ("Kouvola", 10): 4, ("Hamina", 10): 12,
    ("Kouvola", 11): 3, ("Kotka", 11): 7, ("Hamina", 11): 4, ("Kouvola", 9): 9,
}


def personnel_records(rng):
    out = []
    for (unit, number), n in PERSONNEL_CELLS.items():
        for _ in range(n):
            out.append(record(region="kymenlaakso", unit=unit, audience="personnel",
                              topic={"kind": "goal", "id": "personnel"}, score=rng.randint(0, 10), text=None,
                              answers=[{"statement": "functioning", "answer": rng.randint(1, 5)}],
                              created_at="%s-%02dT%02d:%02d:00Z" % (month(number), rng.randint(1, 28),
                                                                    rng.randint(0, 23), rng.randint(0, 59))))
    return out


def big(records):
    """The personnel answers that may enter a figure: of cells of 5 or more."""
    return [r for r in records if PERSONNEL_CELLS[(r["unit"], int_month(r))] >= 5]


def int_month(r):
    return next(k for k in range(1, 13) if month(k) == r["created_at"][:7])


def snap(since, until):
    first = datetime.date.fromisoformat(since).replace(day=1)
    end = datetime.date.fromisoformat(until)
    last = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


def expected_personnel(records, since, until, unit=None):
    first, last = snap(since, until)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    prev_first = first
    for _ in range(months):
        prev_first = (prev_first - datetime.timedelta(days=1)).replace(day=1)
    ok = [r for r in big(records) if unit in (None, r["unit"])]
    now = [r for r in ok if first <= day_of(r) <= last]
    before = [r for r in ok if prev_first <= day_of(r) < first]

    def dist(rs):
        return [sum(r["score"] == s for r in rs) for s in range(11)]

    def functioning(rs):
        return [sum(r["answers"][0]["answer"] == v for r in rs) for v in range(1, 6)]
    total, previous = nps_cell("personnel", dist(now)), nps_cell("personnel", dist(before))
    change = None
    if total["visibility"] == "full" and previous["visibility"] == "full":
        delta = total["index"] - previous["index"]
        margin = math.sqrt(total["margin"] ** 2 + previous["margin"] ** 2)
        change = {"delta": delta, "margin": margin, "significant": abs(delta) > margin}
    topic = {"topic": {"kind": "goal", "id": "personnel"}, "total": total, "previous": previous, "change": change,
             "trend": [{"period": label, "cell": nps_cell("personnel", dist(
                 [r for r in now if r["created_at"][:7] == label]))} for label in labels(first, last, "month")],
             "units": rank([{"unit": u, "cell": nps_cell("personnel", dist([r for r in now if r["unit"] == u]))}
                            for u in sorted({r["unit"] for r in now})]),
             "statements": []}
    return first, last, [topic], agree_cell("personnel", functioning(now)), now


def verdict(comparison, value, actual, margin):
    def met(x):
        return x > value if comparison == "gt" else x >= value
    if met(actual - margin):
        return "met"
    if not met(actual + margin):
        return "not_met"
    return "uncertain"


def expected_personnel_targets(now):
    n = len(now)
    if n < 5:
        return [{"id": t, "metric": m, "comparison": "ge", "value": v, "actual": None, "margin": None, "n": None,
                 "verdict": "hidden"} for t, m, v in (("personnel-enps", "enps", 45.0),
                                                      ("personnel-functioning", "mean", 4.0))]
    cell = nps_cell("personnel", [sum(r["score"] == s for r in now) for s in range(11)])
    answers = [r["answers"][0]["answer"] for r in now]
    mean = sum(answers) / n
    margin = Z_95 * math.sqrt(sum((a - mean) ** 2 for a in answers) / (n - 1) / n)
    out = []
    for tid, metric, value, actual, error in (("personnel-enps", "enps", 45.0, (cell.get("index")),
                                               cell.get("margin")),
                                              ("personnel-functioning", "mean", 4.0, mean, margin)):
        if n < 10:
            out.append({"id": tid, "metric": metric, "comparison": "ge", "value": value, "actual": None,
                        "margin": None, "n": n, "verdict": "too_few"})
        else:
            out.append({"id": tid, "metric": metric, "comparison": "ge", "value": value, "actual": actual,
                        "margin": error, "n": n, "verdict": verdict("ge", value, actual, error)})
    return out


def personnel_small_groups(server):
    """Cells of 4 never appear, through any filter, and no difference shows them."""
    rng = random.Random(5)
    records = personnel_records(rng)
    for unit in ("Kotka", "Hamina", "Kouvola"):
        server.deliver(server.enrol("kymenlaakso", unit)["token"], [r for r in records if r["unit"] == unit])
    token = staff(server, "viewer", "kymenlaakso")
    windows = [(month(9) + "-01", last_day(11)), (month(9) + "-15", month(10) + "-03"), (month(10) + "-01",
               last_day(10)), (month(11) + "-28", month(11) + "-28"), (month(10) + "-20", month(11) + "-02"),
               (month(9) + "-01", last_day(9))]
    totals = {}
    for (since, until), unit in itertools.product(windows, (None, "Kotka", "Hamina", "Kouvola")):
        params = {"audience": "personnel", "period": "month", "since": since, "until": until}
        if unit:
            params["unit"] = unit
        body = results(server, token, **params)
        first, last, topics, functioning, now = expected_personnel(records, since, until, unit)
        assert (body["since"], body["until"]) == (first.isoformat(), last.isoformat()), body
        same(body["topics"], topics, "topics %s" % params)
        same(body["functioning"], functioning, "functioning %s" % params)
        same(body["targets"], expected_personnel_targets(now), "targets %s" % params)
        covered = frozenset((u, m) for (u, m) in PERSONNEL_CELLS if unit in (None, u) and
                            first.strftime("%Y-%m") <= month(m) <= last.strftime("%Y-%m"))
        for trend in body["topics"][0]["trend"]:
            totals[(covered & {c for c in PERSONNEL_CELLS if month(c[1]) == trend["period"]}, params["since"],
                    trend["period"])] = trend["cell"].get("n", 0)
        for item in body["topics"][0]["units"]:
            totals[(covered & {c for c in PERSONNEL_CELLS if c[0] == item["unit"]}, item["unit"])] = item["cell"]["n"]
        totals[(covered,)] = body["topics"][0]["total"].get("n", 0)
    # The difference of two figures, one over a part of the other's
    # answers, is a union of cells of 5 or more: never 1 to 4.
    figures = {}
    for key, n in totals.items():
        figures.setdefault(key[0], set()).add(n)
    assert all(len(ns) == 1 for ns in figures.values()), figures
    for (a, na), (b, nb) in itertools.permutations(((k, v.pop()) for k, v in figures.items()), 2):
        if b < a:
            assert na - nb == 0 or na - nb >= 5, (sorted(a), na, sorted(b), nb)
    assert len(figures) > 10, "too few selections were tried"
    status, _, body = call(server.base, "GET", "/api/v1/results?audience=personnel&period=week&since=%s-01&until=%s"
                           % (month(10), last_day(10)), token=token)
    assert status == 400, (status, body)

    # The reports and exports hold the same line.
    reader, _ = server.token("reader")
    status, _, body = call(server.base, "GET", "/api/v1/reports/nps?audience=personnel&group=unit,month"
                           "&region=kymenlaakso&since=%s-20" % month(9), token=reader)
    got = {(r["unit"], r["month"]): r["total"] for r in body["rows"]}
    want = {(u, month(m)): n for (u, m), n in PERSONNEL_CELLS.items() if n >= 5}
    assert got == want, (got, want)
    for who in (reader, token):
        status, _, data = call(server.base, "GET", "/api/v1/reports/answers.csv?audience=personnel&since=%s-10"
                               % month(9), token=who)
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                                   delimiter=";" if who == token else ","))
        assert len(rows) == len(big(records)), (len(rows), len(big(records)))
        cells = {}
        for row in rows:
            assert len(row["created_at"]) == 7 and row["uuid"] == "" and row["language"] == "", row
            cells[(row["unit"], row["created_at"])] = cells.get((row["unit"], row["created_at"]), 0) + 1
        assert cells == want, cells


def targets(server):
    """Keski-Uusimaa's targets judged with their margins: met, not met, uncertain, too few."""
    goal = {"kind": "goal", "id": "tyytyvaiset-asukkaat"}

    def make(unit, scores, agree):
        return [record(region="keski-uusimaa", unit=unit, topic=goal, score=s, text=None,
                       answers=[{"statement": "got-needed-service", "answer": 5 if i < agree else 2}],
                       created_at=month(11) + "-%02dT10:00:00Z" % (i % 28 + 1)) for i, s in enumerate(scores)]
    data = {"Kerava": make("Kerava", [10] * 60, 58),              # index 100, share 96.7: both met
            "Järvenpää": make("Järvenpää", [10] * 12 + [0] * 28, 10),  # index -40, share 25: not met
            "Tuusula": make("Tuusula", [10] * 13 + [8] * 2, 13),   # index ~87, margin wide: uncertain share
            "Nurmijärvi": make("Nurmijärvi", [9] * 6, 6)}           # 6 answers: too few
    for unit, records in data.items():
        server.deliver(server.enrol("keski-uusimaa", unit)["token"], records)
    token = staff(server, "handler", "keski-uusimaa")
    seen = set()
    for unit in (None, *data):
        params = {"audience": "residents", "period": "month", "since": month(11) + "-01", "until": last_day(11)}
        if unit:
            params["unit"] = unit
        body = results(server, token, **params)
        mine = [r for u, rs in data.items() if unit in (None, u) for r in rs]
        n = len(mine)
        scores = [r["score"] for r in mine]
        cell = nps_cell("residents", [scores.count(s) for s in range(11)])
        agree = sum(r["answers"][0]["answer"] >= 4 for r in mine)
        p = agree / n
        share, share_margin = 100 * p, Z_95 * math.sqrt(p * (1 - p) / n) * 100
        want = []
        for tid, metric, comparison, value, actual, margin in (
                ("residents-nps", "nps", "gt", 60.0, cell.get("index"), cell.get("margin")),
                ("got-needed-service", "share_agree", "ge", 80.0, share, share_margin)):
            if n < 10:
                want.append({"id": tid, "metric": metric, "comparison": comparison, "value": value, "actual": None,
                             "margin": None, "n": n, "verdict": "too_few"})
            else:
                want.append({"id": tid, "metric": metric, "comparison": comparison, "value": value,
                             "actual": actual, "margin": margin, "n": n,
                             "verdict": verdict(comparison, value, actual, margin)})
        same(body["targets"], want, "targets %s" % unit)
        seen |= {t["verdict"] for t in body["targets"]}
    assert {"met", "not_met", "uncertain", "too_few"} <= seen, seen


def bad_requests(server):
    token = staff(server)
    good = {"audience": "residents", "period": "month", "since": "2026-01-01", "until": "2026-03-31"}
    for change in ({"audience": "everyone"}, {"period": "day"}, {"since": "2026-1-1"}, {"until": "2026-02-30"},
                   {"since": "2026-04-01"}, {"until": "2029-12-31"}, {"unit": "x" * 101}, {"unit": ""},
                   {"region": "kymenlaakso"}, {"group": "unit"}, {"audience": None}, {"period": None},
                   {"since": None}, {"since": "0001-01-01", "until": "0001-12-31"}):
        params = {k: v for k, v in dict(good, **change).items() if v is not None}
        status, _, body = call(server.base, "GET", "/api/v1/results?" + urllib.parse.urlencode(params), token=token)
        assert status == 400 and body["error"] == "bad_request", (change, status, body)
    status, _, _ = call(server.base, "GET", "/api/v1/results?" + urllib.parse.urlencode(good) + "&unit=a&unit=b",
                        token=token)
    assert status == 400
    reader, _ = server.token("reader")
    device = server.enrol()["token"]
    for other in (reader, device):
        status, _, body = call(server.base, "GET", "/api/v1/results?" + urllib.parse.urlencode(good), token=other)
        assert status == 403, (status, body)
    status, _, _ = call(server.base, "POST", "/api/v1/results?" + urllib.parse.urlencode(good), token=token)
    assert status == 405, status


def read_csv(server, token, query, delimiter):
    status, headers, body = call(server.base, "GET", "/api/v1/reports/answers.csv" + query, token=token)
    assert status == 200, (status, body)
    assert body.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]], body


DESK_COLUMNS = ["uuid", "kind", "created_at", "unit", "language", "audience", "topic_kind", "topic_id", "score",
                "statements", "text", "title", "municipality", "channel", "received_on", "signatories", "status"]


def desk_csv(server):
    token = server.enrol()["token"]
    rec = record(score=7, answers=[{"statement": "felt-safe", "answer": 4}, {"statement": "easy-to-deal", "answer": 5}],
                 text="Hyvä; ja \"lainattu\"", created_at=month(11) + "-03T08:00:00Z")
    fb = feedback(contact=dict(CONTACT), created_at=month(11) + "-04T08:00:00Z")
    server.deliver(token, [rec, fb])
    server.deliver(server.enrol("kymenlaakso", "Kotka")["token"],
                   [record(region="kymenlaakso", topic={"kind": "goal", "id": "services"},
                           created_at=month(11) + "-05T08:00:00Z", answers=[])])
    viewer, handler, admin = staff(server, "viewer"), staff(server, "handler", name="H"), staff(server, "admin",
                                                                                                  name="Ad")
    query = "?since=%s-01&until=%s" % (month(11), last_day(11))
    header, rows, body = read_csv(server, viewer, query, ";")
    assert header == DESK_COLUMNS + ["region", "received_at", "answer"], header
    assert b"\r\n" in body and body.count(b";") > body.count(b","), "not semicolons"
    by_uuid = {row["uuid"]: row for row in rows}
    assert set(by_uuid) == {rec["uuid"], fb["uuid"]}, "another region's records, or some missing"
    row = by_uuid[rec["uuid"]]
    assert (row["score"], row["statements"], row["text"], row["created_at"]) == \
        ("7", "felt-safe=4;easy-to-deal=5", rec["text"], month(11) + "-03T08:00:00Z"), row
    header, rows, body = read_csv(server, viewer, query + "&sep=comma", ",")
    assert header[:len(DESK_COLUMNS)] == DESK_COLUMNS and len(rows) == 2, header
    for who in (viewer, handler):
        status, _, body = call(server.base, "GET", "/api/v1/reports/answers.csv?contacts=1", token=who)
        assert status == 403, (status, body)
    status, _, _ = call(server.base, "GET", "/api/v1/reports/answers.csv?region=kymenlaakso", token=viewer)
    assert status == 403, status
    header, rows, body = read_csv(server, admin, query + "&contacts=1", ";")
    assert header == DESK_COLUMNS + ["name", "email", "phone", "region", "received_at", "answer",
                                     "contact_erased"], header
    row = {r["uuid"]: r for r in rows}[fb["uuid"]]
    assert (row["name"], row["email"], row["phone"]) == ("Aino Äijälä", "aino.aijala@example.fi",
                                                         "'+358 40 123 4567"), row
    status, _, body = call(server.base, "GET", "/api/v1/reports/answers.csv" + query + "&sep=tab", token=viewer)
    assert status == 400, status

    # Each export once in the audit log, who and how many rows.
    lines = [line.split("\t") for line in server.admin("audit").splitlines()]
    exports = [line for line in lines if line[1].startswith("export")]
    assert [line[1] for line in exports] == ["export", "export", "export-contacts"], exports
    assert exports[2][4] == "Ad" and exports[2][6] == "2 rows, with contacts", exports[2]
    assert exports[0][4] == "Anna Virtanen" and exports[0][5] == "127.0.0.1", exports[0]


CASES = [
    ("residents' figures equal counts of the raw records; a third kiosk appears", residents_figures),
    ("the change since the previous period, flagged beyond its margin", change_flagged),
    ("personnel cells under 5 never appear through any filter, report or export, nor by differencing",
     personnel_small_groups),
    ("targets: met, not met, uncertain, too few, as counted here", targets),
    ("bad parameters 400, other tokens 403", bad_requests),
    ("the desk's CSV: semicolon and BOM, comma on request, contacts for admins only, audited", desk_csv),
]


def main():
    test_server.SERVER = sys.argv[1]
    run(CASES, Server, lambda server: server.stop())


if __name__ == "__main__":
    main()
