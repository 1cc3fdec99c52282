#!/usr/bin/python3
"""Staff accounts on the real kuulolla-server, as the region's IT and the
desk meet them: `admin staff add|list|revoke`, sign-in with a one-time
code (a wrong, a used and an expired code all get bad_code), /staff/me,
sign-out, a revoked account, and the audit log (`admin audit`) with each
action exactly once, who did it and from which address.

Usage: test_server_staff.py KUULOLLA_SERVER
"""
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_server  # noqa: E402
from kuu_tap import run  # noqa: E402
from test_server import Server, call  # noqa: E402


def add_staff(server, name="Anna Virtanen", role="viewer", region="kainuu", *extra):
    out = server.run_admin("staff", "add", "--region", region, "--name", name, "--role", role, *extra)
    assert out.returncode == 0, out.stderr
    staff_id = re.search(r"staff id (\S+)", out.stderr).group(1)
    return out.stdout.strip(), staff_id


def sign_in(server, code):
    return call(server.base, "POST", "/api/v1/staff/sign-in", {"code": code})


def audit_lines(server, *args):
    return [line.split("\t") for line in server.admin("audit", *args).splitlines()]


def sign_in_me_out(server):
    code, staff_id = add_staff(server, "Anna Virtanen", "handler")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
    status, _, body = sign_in(server, code.lower())
    assert status == 200, (status, body)
    assert {k: body[k] for k in ("id", "name", "role", "region")} == {
        "id": staff_id, "name": "Anna Virtanen", "role": "handler", "region": "kainuu"}, body
    assert len(body["token"]) >= 22, "the token carries fewer than 128 bits"
    token = body["token"]
    status, _, me = call(server.base, "GET", "/api/v1/staff/me", token=token)
    assert status == 200 and me == {"id": staff_id, "name": "Anna Virtanen", "role": "handler",
                                    "region": "kainuu"}, (status, me)
    status, _, _ = call(server.base, "POST", "/api/v1/staff/sign-out", token=token)
    assert status == 204, status
    status, _, body = call(server.base, "GET", "/api/v1/staff/me", token=token)
    assert status == 401 and body["error"] == "revoked", (status, body)
    status, _, body = call(server.base, "GET", "/api/v1/staff/me", token="x" * 43)
    assert status == 401 and body["error"] == "unauthorized", (status, body)


def secrets_hashed(server):
    code, _ = add_staff(server)
    _, _, body = sign_in(server, code)
    with open(server.database, "rb") as f:
        data = f.read()
    assert body["token"].encode() not in data, "the token itself is in the database"
    assert code.replace("-", "").encode() not in data and code.encode() not in data, "the code is in the database"


def bad_codes(server):
    code, staff_id = add_staff(server)
    expired, expired_id = add_staff(server, "Ville Vanha", "viewer", "kainuu", "--valid-for", "1")
    # Expiry: a day has passed for this code (the server's clock is real;
    # the database is the only thing the test can move).
    db = sqlite3.connect(server.database)
    with db:
        db.execute("UPDATE staff_codes SET expires_at = expires_at - 86401 WHERE staff_id = ?", (expired_id,))
    status, _, body = sign_in(server, code)
    assert status == 200, (status, body)
    answers = [sign_in(server, c) for c in ("AAAA-BBBB-CCCC", code, expired)]
    for status, _, body in answers:
        assert status == 400 and body["error"] == "bad_code", (status, body)
    assert len({a[2]["message"] for a in answers}) == 1, "the answers tell the three apart"
    for wrong in ({"code": {"$ne": ""}}, {"code": 5}, {}, {"code": "A" * 65}):
        status, _, body = call(server.base, "POST", "/api/v1/staff/sign-in", wrong)
        assert status == 400 and body["error"] != "bad_code", (wrong, status, body)
    status, _, body = call(server.base, "GET", "/api/v1/staff/sign-in")
    assert status == 405, status
    failed = [line for line in audit_lines(server) if line[1] == "sign-in-failed"]
    assert len(failed) == 3 and all(line[5] == "127.0.0.1" for line in failed), failed


def sign_in_rate(server):
    """Codes cannot be guessed fast: each try counts against the address."""
    statuses = [sign_in(server, "AAAA-BBBB-CCCC")[0] for _ in range(12)]
    assert statuses[:10] == [400] * 10 and statuses[-1] == 429, statuses
    code, _ = add_staff(server)
    status, headers, _ = sign_in(server, code)
    assert status == 429 and int(headers["Retry-After"]) > 0, (status, headers)


def revoke(server):
    code, staff_id = add_staff(server)
    unused, unused_id = add_staff(server, "Ei Koskaan", "viewer")
    token = sign_in(server, code)[2]["token"]
    second = sign_in(server, add_staff(server, "Toinen", "admin")[0])[2]["token"]
    server.admin("staff", "revoke", staff_id)
    server.admin("staff", "revoke", unused_id)
    for path in ("/api/v1/staff/me", "/api/v1/results?audience=residents&period=month",
                 "/api/v1/reports/answers.csv"):
        status, _, body = call(server.base, "GET", path, token=token)
        assert status == 401 and body["error"] == "revoked", (path, status, body)
    status, _, body = sign_in(server, unused)
    assert status == 400 and body["error"] == "bad_code", "a revoked account's code still works"
    status, _, _ = call(server.base, "GET", "/api/v1/staff/me", token=second)
    assert status == 200, "revoking one person revoked another"
    out = server.run_admin("staff", "revoke", staff_id)
    assert out.returncode == 2, "revoked twice"
    out = server.run_admin("staff", "revoke", "not-an-id")
    assert out.returncode == 2


def staff_list(server):
    _, anna = add_staff(server, "Anna Virtanen", "viewer", "kainuu")
    code, bo = add_staff(server, "Bo Ek", "admin", "kymenlaakso")
    sign_in(server, code)
    server.admin("staff", "revoke", anna)
    rows = {line.split("\t")[0]: line.split("\t") for line in server.admin("staff", "list").splitlines()}
    assert set(rows) == {anna, bo}, rows
    assert rows[anna][1:4] == ["Anna Virtanen", "viewer", "kainuu"], rows[anna]
    assert rows[anna][5] == "never" and rows[anna][6] != "active", rows[anna]
    assert rows[bo][1:4] == ["Bo Ek", "admin", "kymenlaakso"] and rows[bo][6] == "active", rows[bo]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*Z", rows[bo][5]), rows[bo]
    only = server.admin("staff", "list", "--region", "kymenlaakso").splitlines()
    assert [line.split("\t")[0] for line in only] == [bo], only


def bad_admin_input(server):
    for args in (["--region", "kainuu", "--name", "A", "--role", "reader"],
                 ["--region", "kainuu", "--name", "A", "--role", "boss"],
                 ["--region", "nowhere", "--name", "A", "--role", "viewer"],
                 ["--region", "kainuu", "--name", "  ", "--role", "viewer"],
                 ["--region", "kainuu", "--name", "A\nB", "--role", "viewer"],
                 ["--region", "kainuu", "--name", "A" * 101, "--role", "viewer"],
                 ["--region", "kainuu", "--name", "A", "--role", "viewer", "--valid-for", "-1"],
                 ["--region", "kainuu", "--role", "viewer"]):
        out = server.run_admin("staff", "add", *args)
        assert out.returncode == 2, (args, out.returncode, out.stdout)
    assert server.admin("staff", "list") == ""


def audit_once(server):
    """Each audited action appears exactly once, with who and from where."""
    code, staff_id = add_staff(server, "Anna Virtanen", "admin")
    token = sign_in(server, code)[2]["token"]
    sign_in(server, "AAAA-BBBB-CCCC")
    call(server.base, "POST", "/api/v1/staff/sign-out", token=token)
    server.admin("staff", "revoke", staff_id)
    lines = audit_lines(server)
    actions = [line[1] for line in lines]
    for action in ("staff-add", "sign-in", "sign-in-failed", "sign-out", "staff-revoke"):
        assert actions.count(action) == 1, (action, lines)
    by_action = {line[1]: line for line in lines}
    assert by_action["sign-in"][2:6] == [staff_id, staff_id, "Anna Virtanen", "127.0.0.1"], by_action
    assert by_action["sign-out"][3:6] == [staff_id, "Anna Virtanen", "127.0.0.1"], by_action
    assert by_action["staff-revoke"][2] == staff_id
    mine = audit_lines(server, "--staff", staff_id)
    assert sorted(line[1] for line in mine) == ["sign-in", "sign-out", "staff-add", "staff-revoke"], mine
    assert audit_lines(server, "--since", "2999-01-01") == []
    assert server.run_admin("audit", "--since", "yesterday").returncode == 2


def reader_tokens_kept(server):
    """The older tokens made on the command line keep working for reports."""
    token, _ = server.token("reader")
    status, _, _ = call(server.base, "GET", "/api/v1/reports/nps?group=topic", token=token)
    assert status == 200, status
    status, _, body = call(server.base, "GET", "/api/v1/staff/me", token=token)
    assert status == 403, (status, body)


CASES = [
    ("sign in with a code, me, sign out", sign_in_me_out),
    ("codes and tokens are kept only as hashes", secrets_hashed),
    ("a wrong, a used and an expired code: one answer, bad_code, audited", bad_codes),
    ("sign-in tries are rate limited per address", sign_in_rate, "--client-rate", "10"),
    ("a revoked account: revoked on every endpoint, its code dead", revoke),
    ("admin staff list", staff_list),
    ("admin staff add refuses bad input", bad_admin_input),
    ("admin audit: each action once, who and from where", audit_once),
    ("reader tokens keep working for reports", reader_tokens_kept),
]


def main():
    test_server.SERVER = sys.argv[1]
    run(CASES, Server, lambda server: server.stop())


if __name__ == "__main__":
    main()
