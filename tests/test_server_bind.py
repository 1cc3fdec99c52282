#!/usr/bin/python3
"""What a device token may file, and what an administrator can undo
(issue 14): the real kuulolla-server on 127.0.0.1 with a free port. A
record's unit is the device's from its enrolment, its region must be the
device's, its created_at within an hour ahead and a year behind the
server's clock; admin device records/purge find and remove what a stolen
token sent; admin erase-contact takes a contact out of the database file;
admin enrol takes only a region the server serves. Each action leaves an
audit line.

Usage: test_server_bind.py KUULOLLA_SERVER
"""
import datetime
import json
import os
import shutil
import sqlite3
import sys
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_server  # noqa: E402
from kuu_tap import run  # noqa: E402
from test_server import CONTACT, REGIONS_DIR, Server, call, feedback, initiative, read_csv, record  # noqa: E402

UNIT = "Kajaani, Kainuun keskussairaala"


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def recent(**changes):
    """A record made a day ago: inside the window whatever the date."""
    return record(**dict({"created_at": iso(now() - datetime.timedelta(days=1))}, **changes))


def send(server, token, records):
    status, _, body = call(server.base, "POST", "/api/v1/submissions", {"records": records}, token=token)
    assert status == 200, (status, body)
    return body["results"]


def audit_rows(server, action):
    db = sqlite3.connect(server.database)
    try:
        return db.execute("SELECT subject, detail FROM audit WHERE action = ?", (action,)).fetchall()
    finally:
        db.close()


def unit_from_enrolment(server):
    token = server.enrol(unit=UNIT)["token"]
    foreign = recent(unit="Oulu, ei tämä yksikkö")
    assert [r["status"] for r in send(server, token, [foreign])] == ["accepted"]
    # Kept as sent: the same record again is the same content.
    assert send(server, token, [foreign])[0]["status"] == "duplicate"
    reader, _ = server.token("reader")
    day = iso(now() - datetime.timedelta(days=2))[:10]
    status, _, body = call(server.base, "GET", "/api/v1/reports/nps?group=unit&since=" + day, token=reader)
    assert status == 200 and [r["unit"] for r in body["rows"]] == [UNIT], body
    _, rows = read_csv(server, reader, "?since=" + day)
    assert [r["unit"] for r in rows] == [UNIT], rows


def region_from_enrolment(server):
    token = server.enrol()["token"]
    # Valid in kymenlaakso, but this device is kainuu's.
    other = recent(region="kymenlaakso", topic={"kind": "goal", "id": "services"}, answers=[])
    result = send(server, token, [other])[0]
    assert result["status"] == "rejected" and result["reason"].startswith("region:"), result


def created_at_window(server):
    token = server.enrol()["token"]
    cases = [
        (recent(created_at=iso(now() + datetime.timedelta(days=365 * 100))), "rejected"),
        (recent(created_at=iso(now() + datetime.timedelta(hours=2))), "rejected"),
        (recent(created_at=iso(now() - datetime.timedelta(days=366))), "rejected"),
        (recent(created_at=iso(now() - datetime.timedelta(days=30))), "accepted"),
        (recent(created_at=iso(now() + datetime.timedelta(minutes=30))), "accepted"),
    ]
    results = send(server, token, [r for r, _ in cases])
    for (sent, expected), result in zip(cases, results):
        assert result["status"] == expected, (sent["created_at"], result)
        if expected == "rejected":
            assert result["reason"].startswith("created_at:"), result


def nps_total(server, reader):
    day = iso(now() - datetime.timedelta(days=40))[:10]
    status, _, body = call(server.base, "GET", "/api/v1/reports/nps?since=" + day, token=reader)
    assert status == 200, body
    return body["rows"][0]["total"] if body["rows"] else 0


def device_purge(server):
    stolen = server.enrol()
    other = server.enrol()
    before = [recent() for _ in range(3)]
    after = [recent() for _ in range(4)]
    taken = initiative(created_at=iso(now() - datetime.timedelta(days=1)))
    server.deliver(stolen["token"], before + after + [taken])
    server.deliver(other["token"], [recent() for _ in range(5)])
    server.admin("initiative", taken["uuid"], "--status", "in_progress")
    # The first three arrived before the theft: ten days ago.
    db = sqlite3.connect(server.database)
    with db:
        db.executemany("UPDATE records SET received_at = received_at - 864000 WHERE uuid = ?",
                       [(r["uuid"],) for r in before])
    db.close()
    reader, _ = server.token("reader")
    assert nps_total(server, reader) == 12
    _, _, page = call(server.base, "GET", "/api/v1/initiatives", token=other["token"])
    cursor = page["cursor"]
    assert [i["uuid"] for i in page["initiatives"]] == [taken["uuid"]], page

    listed = server.admin("device", "records", stolen["device_id"]).splitlines()
    assert sorted(line.split("\t")[0] for line in listed) == sorted(r["uuid"] for r in before + after + [taken])
    since = iso(now() - datetime.timedelta(days=5))[:10]
    listed = server.admin("device", "records", stolen["device_id"], "--since", since).splitlines()
    assert len(listed) == 5 and all(line.split("\t")[4] == "Kajaani" for line in listed), listed

    out = server.run_admin("device", "purge", stolen["device_id"])
    assert out.returncode == 2 and "--since" in out.stderr, (out.returncode, out.stderr)
    out = server.run_admin("device", "purge", stolen["device_id"], "--since", since)
    assert out.returncode == 0 and out.stdout.strip() == "purged 5 records", (out.returncode, out.stdout)
    assert "audit: device purge %s: since %sT00:00:00Z: 5 records" % (stolen["device_id"], since) in out.stderr, \
        out.stderr
    assert audit_rows(server, "device purge") == [
        (stolen["device_id"], "since %sT00:00:00Z: 5 records, 1 initiatives taken up" % since)], audit_rows(server, "device purge")

    # Exactly those: the stolen device's older ones and the other's stay.
    listed = server.admin("device", "records", stolen["device_id"]).splitlines()
    assert sorted(line.split("\t")[0] for line in listed) == sorted(r["uuid"] for r in before)
    assert len(server.admin("device", "records", other["device_id"]).splitlines()) == 5
    assert nps_total(server, reader) == 8
    # The purged initiative is gone; the next change takes a later number.
    assert server.run_admin("initiative", taken["uuid"], "--status", "answered", "--answer", "x").returncode == 1
    fresh = initiative(created_at=iso(now()))
    server.deliver(other["token"], [fresh])
    server.admin("initiative", fresh["uuid"], "--status", "in_progress")
    _, _, page = call(server.base, "GET", "/api/v1/initiatives?since=" + cursor, token=other["token"])
    assert [i["uuid"] for i in page["initiatives"]] == [fresh["uuid"]], page
    assert int(page["cursor"]) > int(cursor), page
    _, _, page = call(server.base, "GET", "/api/v1/initiatives", token=other["token"])
    assert [i["uuid"] for i in page["initiatives"]] == [fresh["uuid"]], page

    for args, status in ((["records", str(uuidlib.uuid4())], 1), (["records", "not-a-device"], 2),
                         (["purge", other["device_id"], "--since", "yesterday"], 2), (["list"], 2)):
        out = server.run_admin("device", *args)
        assert out.returncode == status, (args, out.returncode, out.stderr)


def raw_database(server):
    data = b""
    for suffix in ("", "-wal"):
        if os.path.exists(server.database + suffix):
            with open(server.database + suffix, "rb") as f:
                data += f.read()
    return data


def erase_contact(server):
    token = server.enrol()["token"]
    # Long enough that the emptied row, written over the old one's tail,
    # cannot cover the name by chance: only secure_delete does.
    erased_contact = {"name": "Eero Erasmus Esimerkkinen", "email": "eero.erasmus.esimerkkinen@example.fi",
                      "phone": "+358 40 765 4321"}
    kept_contact = {"name": "Kaisa Kept", "email": "kaisa.kept@example.fi"}
    gone = feedback(contact=erased_contact, created_at=iso(now() - datetime.timedelta(days=1)),
                    text="Vastatkaa minulle")
    kept = initiative(contact=kept_contact, created_at=iso(now() - datetime.timedelta(days=1)))
    plain = feedback(created_at=iso(now() - datetime.timedelta(days=1)))
    server.deliver(token, [gone, kept, plain])
    # The contact is kept apart, never inside the record's JSON.
    db = sqlite3.connect(server.database)
    assert all("contact" not in json.loads(r) for (r,) in db.execute("SELECT record FROM records"))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    assert b"eero.erasmus.esimerkkinen@example.fi" in raw_database(server), "the check below could not fail"
    # Same record, same contact: duplicate; another contact: different content.
    assert send(server, token, [gone])[0]["status"] == "duplicate"
    assert send(server, token, [dict(gone, contact=dict(erased_contact, phone=None))])[0]["status"] == "rejected"

    erased_on = iso(now())[:10]
    out = server.run_admin("erase-contact", gone["uuid"].upper())
    assert out.returncode == 0 and "audit: erase-contact " + gone["uuid"] in out.stderr, (out.returncode, out.stderr)
    assert audit_rows(server, "erase-contact") == [(gone["uuid"], None)]
    data = raw_database(server)
    # Pieces too: without secure_delete the new, shorter row overwrites
    # only the tail of the old one, and "Eero Erasmus" would stay.
    for secret in [*erased_contact.values(), "Eero", "Erasmus", "eero.erasmus", "765 4321"]:
        assert secret.encode() not in data, "still in the database file: " + secret
    assert b"kaisa.kept@example.fi" in data and b"Vastatkaa minulle" in data

    # A resend brings nothing back and is not refused.
    assert send(server, token, [gone])[0]["status"] == "duplicate"
    assert send(server, token, [dict(gone, text="Toinen")])[0]["status"] == "rejected"
    assert b"eero.erasmus" not in raw_database(server)
    admin, _ = server.token("admin")
    _, rows = read_csv(server, admin, "?contacts=1&since=" + iso(now() - datetime.timedelta(days=3))[:10])
    by_uuid = {r["uuid"]: r for r in rows}
    row = by_uuid[gone["uuid"]]
    assert (row["text"], row["contact_name"], row["contact_email"]) == ("Vastatkaa minulle", "", ""), row
    assert row["contact_erased"][:10] in (erased_on, iso(now())[:10]), row
    assert (by_uuid[kept["uuid"]]["contact_email"], by_uuid[kept["uuid"]]["contact_erased"]) == \
        ("kaisa.kept@example.fi", ""), by_uuid[kept["uuid"]]

    for uuid, status, words in ((gone["uuid"], 1, "erased already"), (plain["uuid"], 1, "without a contact"),
                                (str(uuidlib.uuid4()), 1, "No record"), ("nope", 2, "UUID")):
        out = server.run_admin("erase-contact", uuid)
        assert out.returncode == status and words in out.stderr, (uuid, out.returncode, out.stderr)


def codes(server):
    db = sqlite3.connect(server.database)
    try:
        return db.execute("SELECT count(*) FROM enrolment_codes").fetchone()[0]
    finally:
        db.close()


def enrol_region(server):
    folder = os.path.join(server.tmp, "regions")
    os.mkdir(folder)
    shutil.copy(os.path.join(REGIONS_DIR, "kymenlaakso.json"), folder)
    for args, words in ((["--region", "../../etc/passwd"], "region file “../../etc/passwd”"),
                        (["--region", "lappi"], "serves no region “lappi”"),
                        (["--region", "Kainuu"], "no region id"),
                        (["--region", "kainuu", "--regions-dir", folder], "serves no region “kainuu”"),
                        (["--region", "kainuu", "--unit", ""], "--unit")):
        if "--unit" not in args:
            args = args + ["--unit", "Kajaani"]
        out = server.run_admin("enrol", *args)
        assert out.returncode == 2 and words in out.stderr and out.stdout == "", (args, out.returncode, out.stderr)
    assert codes(server) == 0, "a refused enrolment made a code"
    # The region of a file is its id; the server serving that file takes it.
    code = server.admin("enrol", "--region", os.path.join(folder, "kymenlaakso.json"), "--unit", "Kotka")
    status, _, body = call(server.base, "POST", "/api/v1/enrol", {"code": code})
    assert status == 201 and body["region"] == "kymenlaakso", body
    assert server.admin("enrol", "--region", "kymenlaakso", "--regions-dir", folder, "--unit", "Kotka")
    assert audit_rows(server, "enrol") == [("kymenlaakso", "unit “Kotka”")] * 2


def migrated_contacts(server):
    """Records of a schema-2 server give up their contacts to the table."""
    device = server.enrol(unit=UNIT)
    old = feedback(contact=dict(CONTACT), unit="Muu yksikkö", created_at=iso(now() - datetime.timedelta(days=1)))
    server.stop()
    db = sqlite3.connect(server.database)
    with db:
        db.executescript("DROP TABLE contacts; DROP TABLE purged_initiatives; DROP TABLE audit;"
                         " DROP TABLE staff_tokens; DROP TABLE staff_codes; DROP TABLE staff;"
                         " DROP INDEX records_device; DROP INDEX records_results; DROP TRIGGER result_months_add;"
                         " DROP TRIGGER result_months_remove; DROP TABLE result_months;"
                         " PRAGMA user_version = 2;")
        db.execute("INSERT INTO records (uuid, device_id, received_at, kind, region, record, created_at, audience,"
                   " unit) VALUES (?, ?, 0, 'feedback', 'kainuu', ?, 0, 'residents', 'Muu yksikkö')",
                   (old["uuid"], device["device_id"], json.dumps(old)))
    db.close()
    again = Server(server.tmp)
    server.proc, server.base = again.proc, again.base
    db = sqlite3.connect(server.database)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 4
    stored, unit = db.execute("SELECT record, unit FROM records WHERE uuid = ?", (old["uuid"],)).fetchone()
    assert "contact" not in json.loads(stored) and unit == UNIT, (stored, unit)
    assert db.execute("SELECT name, email FROM contacts").fetchall() == [(CONTACT["name"], CONTACT["email"])]
    db.close()
    assert send(server, device["token"], [old])[0]["status"] == "duplicate"


CASES = [
    ("a record's unit is the device's enrolled one, in reports and CSV", unit_from_enrolment),
    ("a record of another region than the device's is rejected", region_from_enrolment),
    ("created_at at most 1 h ahead and 365 days behind; 30 days old accepted", created_at_window),
    ("admin device records and purge: exactly that device since the date, logged", device_purge),
    ("admin erase-contact: gone from the database file, the answer kept, CSV says erased", erase_contact),
    ("admin enrol: only a region this server serves, else status 2 and no code", enrol_region),
    ("contacts of a schema-2 database move to their own table", migrated_contacts),
]


def main():
    test_server.SERVER = sys.argv[1]
    run(CASES, Server, lambda server: server.stop())


if __name__ == "__main__":
    main()
