#!/usr/bin/python3
"""The personnel survey at a kiosk started with --audience personnel, as
staff and a screen reader reach it: the welcome page offers the staff
survey and none of the residents' choices; the recommendation (0–10) and
the workplace functioning (1–5) are answered in Finnish, Send waits for
both; after the thanks the kiosk's database holds exactly one personnel
recommendation with its functioning answer and no resident rows. The idle
reset wipes a half-answered survey. Enrolled with the real kuulolla-server,
the personnel answer is accepted there, field for field. A wrong
--audience is a usage error. Saves screenshots
of the welcome, survey and thanks pages (Kymenlaakso, Finnish).

Usage: test_personnel.py KUULOLLA_BINARY KUULOLLA_SERVER REGIONS_DIR SCREENSHOT_DIR
"""
import gettext
import json
import os
import sqlite3
import subprocess
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kuu_tap import run  # noqa: E402
from kuu_atspi import App, find, press, press_named, screenshot, texts, wait_for, walk  # noqa: E402
import test_sync  # noqa: E402  (its Server: the real kuulolla-server on 127.0.0.1)

BINARY = None
SERVER = None
REGIONS = None
SHOTS = None

REGION = "kymenlaakso"
RESIDENT_CHOICES = ("Recommend", "Give feedback", "Make an initiative", "Initiatives and answers")


def T(lang):
    if lang == "en":
        return lambda text: text
    return gettext.translation("kuulolla", os.environ["KUULOLLA_LOCALEDIR"], [lang]).gettext


def region():
    with open(os.path.join(REGIONS, REGION + ".json"), encoding="utf-8") as f:
        return json.load(f)


def shot(name):
    if SHOTS:
        time.sleep(0.6)
        screenshot(os.path.join(SHOTS, name + ".png"))


def expect(app, *wanted, timeout=20):
    names, missing = wait_for(app, list(wanted), timeout)
    if missing:
        raise AssertionError("not shown: %s (shows %s)" % (", ".join(missing), names))
    return names


def rows(database, sql, *args):
    db = sqlite3.connect(database, timeout=10)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def until(what, check, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("after %d s, still not: %s" % (timeout, what))
        time.sleep(0.5)


def group(app, question):
    """The toggles' group, named by its question as a screen reader hears it."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for node in walk(app):
            try:
                if node.name == question and node.getRoleName() in ("panel", "grouping") and node.childCount:
                    return node
            except Exception:
                pass
        time.sleep(0.3)
    raise AssertionError("no group of answers for “%s”" % question)


def choose(app, question, value):
    """Presses value's toggle in the question's group: “9”, or at an end of
    the scale “10 – …”, as a screen reader names it."""
    box = group(app, question)
    for node in walk(box):
        name = node.name or ""
        if node.getRoleName() in ("push button", "toggle button") and (name == str(value) or name.startswith("%d – " % value)):
            assert press(node), "“%s” cannot be pressed" % name
            return
    raise AssertionError("no answer %d for “%s”" % (value, question))


def sensitive(node):
    return node.getState().contains(pyatspi.STATE_SENSITIVE)


def answer_survey(app, lang, score, functioning, shot_name=None):
    """The welcome page's staff survey, answered and sent, in lang."""
    _ = T(lang)
    survey = region()["personnel_survey"]
    names = expect(app, _("What would you like to do?"), _("Staff survey"))
    for choice in RESIDENT_CHOICES:
        assert _(choice) not in names, "a personnel kiosk offers “%s”: %s" % (_(choice), names)
    if shot_name:
        shot(shot_name + "-welcome")
    press_named(app, _("Staff survey"), exact=True)
    expect(app, survey["recommend_question"][lang], survey["functioning_question"][lang])
    send = find(app, _("Send"), exact=True)
    assert send is not None, "no Send"
    assert not sensitive(send), "Send can be pressed before anything is answered"

    choose(app, survey["recommend_question"][lang], score)
    time.sleep(0.3)
    assert not sensitive(send), "Send can be pressed with the functioning question unanswered"
    choose(app, survey["functioning_question"][lang], functioning)
    until("Send can be pressed once both are answered", lambda: sensitive(send), timeout=10)
    if shot_name:
        shot(shot_name + "-survey")
    press(send)
    expect(app, _("Thank you!"))
    if shot_name:
        shot(shot_name + "-thanks")
    expect(app, _("Your answer is saved. It is anonymous: it is counted only together with "
                  "other staff members’ answers, and the region uses them to follow how "
                  "its workplaces are doing."))


def assert_one_personnel_answer(database, score, functioning):
    got = rows(database,
               "SELECT s.audience, s.kind, r.topic_kind, r.topic_id, r.score, r.why FROM submissions s"
               " JOIN recommendations r ON r.submission_id = s.id")
    assert got == [("personnel", "recommendation", "goal", "personnel", score, None)], got
    answers = rows(database, "SELECT statement_id, answer FROM statement_answers")
    assert answers == [("functioning", functioning)], answers
    assert rows(database, "SELECT count(*) FROM submissions WHERE audience != 'personnel'") == [(0,)]
    for table in ("feedback", "initiatives", "contacts"):
        assert rows(database, "SELECT count(*) FROM " + table) == [(0,)], table
    return rows(database, "SELECT uuid FROM submissions")[0][0]


# --- cases ----------------------------------------------------------------

def survey_in_finnish(kiosk):
    """The survey as a staff member answers it in Finnish, the region's
    own language at a kiosk."""
    app = kiosk.node
    expect(app, region()["vision"]["fi"])
    answer_survey(app, "fi", 9, 4, shot_name="personnel-fi")
    assert_one_personnel_answer(kiosk.database, 9, 4)
    press_named(app, T("fi")("Back to the start"), exact=True)
    expect(app, T("fi")("Staff survey"))


def idle_wipes_half_answer(kiosk):
    """Left half-answered, the survey goes with the idle reset, unsaved."""
    app = kiosk.node
    _ = T("fi")
    survey = region()["personnel_survey"]
    press_named(app, _("Staff survey"), exact=True, timeout=20)
    choose(app, survey["recommend_question"]["fi"], 3)
    until("the idle reset back to the welcome page",
          lambda: not any(survey["recommend_question"]["fi"] in n for _r, n in texts(app)), timeout=40)
    expect(app, _("Staff survey"))
    assert rows(kiosk.database, "SELECT count(*) FROM submissions") == [(0,)]


def accepted_by_server(kiosk):
    """Enrolled with the real server: the personnel answer is accepted,
    with its audience and functioning answer, and marked delivered."""
    app = kiosk.node
    answer_survey(app, "fi", 10, 5)
    uuid = assert_one_personnel_answer(kiosk.database, 10, 5)

    def arrived():
        return [record for u, record in kiosk.server.records() if u == uuid]

    record = until("record %s on the server" % uuid, arrived)[0]
    assert record["audience"] == "personnel", record
    assert record["kind"] == "recommendation" and record["score"] == 10, record
    assert record["topic"] == {"kind": "goal", "id": "personnel"}, record
    assert record["answers"] == [{"statement": "functioning", "answer": 5}], record
    until("the kiosk marks %s delivered" % uuid,
          lambda: rows(kiosk.database, "SELECT synced_at FROM submissions WHERE uuid = ?", uuid)[0][0])
    assert rows(kiosk.database, "SELECT rejected_reason FROM submissions") == [(None,)]


def wrong_audience(_nothing):
    """--audience takes residents or personnel; anything else is a usage
    error (exit status 2), with a word of what it takes."""
    out = subprocess.run([BINARY, "--audience", "everyone", "--region", REGION, "--check"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert "personnel" in out.stderr and "everyone" in out.stderr, out.stderr
    out = subprocess.run([BINARY, "--audience", "personnel", "--region", REGION, "--check"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, (out.returncode, out.stderr)


class Nothing:
    def stop(self):
        return ""


class Kiosk:
    server = None

    def __init__(self, tmp, extra=()):
        self.app = App(BINARY, tmp, "--region", REGION, "--kiosk", "--audience", "personnel", *extra)
        if self.app.node is None:
            raise AssertionError("the app did not appear on the AT-SPI bus:\n" + self.app.stop())
        self.node = self.app.node
        self.database = self.app.database

    def stop(self):
        output = self.app.stop() if getattr(self, "app", None) is not None else ""
        if self.server is not None:
            self.server.stop()
            output += "\nserver:\n" + self.server.log
        return output


class EnrolledKiosk(Kiosk):
    def __init__(self, tmp):
        test_sync.SERVER, test_sync.REGION = SERVER, REGION
        self.server = test_sync.Server(tmp)
        self.server.start()
        try:
            super().__init__(tmp, ["--server", self.server.url, "--enrol", self.server.enrolment_code("Testi")])
        except Exception:
            self.server.stop()
            raise


CASES = [
    ("a personnel kiosk: the survey in Finnish, one personnel answer, no resident rows", survey_in_finnish, {}),
    ("the idle reset wipes a half-answered survey", idle_wipes_half_answer,
     {"extra": ["--idle-seconds", "4", "--countdown-seconds", "3"]}),
    ("the real server accepts the personnel answer", accepted_by_server, {"enrolled": True}),
    ("--audience refuses anything but residents or personnel", wrong_audience, {"nothing": True}),
]


def start(tmp, kwargs):
    kwargs = dict(kwargs)
    if kwargs.pop("nothing", False):
        return Nothing()
    if kwargs.pop("enrolled", False):
        return EnrolledKiosk(tmp)
    return Kiosk(tmp, **kwargs)


def main():
    global BINARY, SERVER, REGIONS, SHOTS
    BINARY, SERVER, REGIONS, SHOTS = sys.argv[1:5]
    os.makedirs(SHOTS, exist_ok=True)
    run(CASES, start, lambda kiosk: kiosk.stop())


if __name__ == "__main__":
    main()
