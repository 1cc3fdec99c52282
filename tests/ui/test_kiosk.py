#!/usr/bin/python3
"""The resident kiosk driven as a screen reader drives it: every flow is
walked through over AT-SPI on the real app, and what it wrote is read back
from the SQLite file. Screenshots of each page go to the screenshots folder.

Usage: test_kiosk.py KUULOLLA_BINARY REGIONS_DIR SCREENSHOT_DIR
"""
import gettext
import json
import os
import sqlite3
import sys
import tempfile
import time
import traceback

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kuu_atspi import (App, find, press, press_named, screenshot, texts,  # noqa: E402
                       type_into, wait_for, walk)

SHOTS = None
REGIONS = None

# The app's own Finnish catalogue, to find what a wiped kiosk shows.
_fi = gettext.translation("kuulolla", os.environ["KUULOLLA_LOCALEDIR"], ["fi"]).gettext


def region(name):
    with open(os.path.join(REGIONS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def topic_title(region_name, kind, topic_id, lang="en"):
    for topic in region(region_name)[kind]:
        if topic["id"] == topic_id:
            return topic.get("title", topic.get("name"))[lang]
    raise AssertionError("%s has no %s %s" % (region_name, kind, topic_id))


def shot(name):
    if SHOTS:
        time.sleep(0.4)
        screenshot(os.path.join(SHOTS, name + ".png"))


def field(app, name):
    node = find(app, name, roles=("text", "entry"), exact=True)
    if node is None:
        raise AssertionError("no text field “%s”" % name)
    return node


def expect(app, *wanted, timeout=10):
    names, missing = wait_for(app, list(wanted), timeout)
    if missing:
        raise AssertionError("not shown: %s" % ", ".join(missing))
    return names


def english(app):
    press_named(app, "English")
    expect(app, "What would you like to do?")


def rows(database, sql, *args):
    db = sqlite3.connect(database)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def recommend(app, database):
    english(app)
    press_named(app, "Recommend", exact=True)
    expect(app, "What would you like to score?", "Our services")
    shot("kiosk-recommend-topics")
    press_named(app, topic_title("kymenlaakso", "goals", "personnel"), exact=True)
    expect(app, "How likely would you be to recommend our services")
    shot("kiosk-recommend-score")
    press_named(app, "9", exact=True)
    expect(app, "How well do these describe your experience?")
    press_named(app, "4 – Somewhat agree")
    shot("kiosk-recommend-statements")
    press_named(app, "Next", exact=True)
    type_into(field(app, "What would you like to tell us? In your own words (optional)."),
              "Ystävällinen vastaanotto.")
    press_named(app, "Send", exact=True)
    expect(app, "Thank you!", "The result is shown once there are at least 10 answers.")
    shot("kiosk-recommend-thanks")

    got = rows(database,
               "SELECT s.kind, s.language, s.unit, r.topic_kind, r.topic_id, r.score, r.why"
               "  FROM submissions s JOIN recommendations r ON r.submission_id = s.id")
    assert got == [("recommendation", "en", "Testi", "goal", "personnel", 9, "Ystävällinen vastaanotto.")], got
    answers = rows(database, "SELECT statement_id, answer FROM statement_answers")
    assert answers == [("easy-to-deal", 4)], answers
    press_named(app, "Back to the start", exact=True)
    expect(app, "What would you like to do?")


def feedback(app, database):
    english(app)
    press_named(app, "Give feedback", exact=True)
    expect(app, "Tell us what you think")
    press_named(app, "Send", exact=True)
    expect(app, "Please write your feedback first.")
    type_into(field(app, "Your feedback"), "Odotusaika oli pitkä.")
    press_named(app, topic_title("keski-suomi", "service_areas", "terveyspalvelut"), exact=True)
    press_named(app, "I would like a reply")
    expect(app, "Privacy notice")
    press_named(app, "Send", exact=True)
    expect(app, "Please write your name.")
    type_into(field(app, "Your name"), "Maija Meikäläinen")
    press_named(app, "Send", exact=True)
    expect(app, "Please give an e-mail address or a phone number for the reply.")
    type_into(field(app, "E-mail address"), "maija.example.fi")
    press_named(app, "Send", exact=True)
    expect(app, "The e-mail address does not look right.")
    type_into(field(app, "E-mail address"), "@")
    press_named(app, "Send", exact=True)
    expect(app, "Please read the privacy notice")
    shot("kiosk-feedback")
    press_named(app, "I have read the privacy notice")
    press_named(app, "Send", exact=True)
    expect(app, "Thank you!", "You will get a reply to the contact you gave.")

    got = rows(database,
               "SELECT f.topic_kind, f.topic_id, f.body, c.name, c.email, c.phone"
               "  FROM feedback f JOIN contacts c USING (submission_id)")
    assert got == [("service_area", "terveyspalvelut", "Odotusaika oli pitkä.",
                    "Maija Meikäläinen", "@maija.example.fi", None)], got


def anonymous_feedback(app, database):
    english(app)
    press_named(app, "Give feedback", exact=True)
    type_into(field(app, "Your feedback"), "Hyvä palvelu.")
    press_named(app, "Send", exact=True)
    expect(app, "It is anonymous, so we cannot reply to it.")
    assert rows(database, "SELECT body, topic_id FROM feedback") == [("Hyvä palvelu.", None)]
    assert rows(database, "SELECT count(*) FROM contacts") == [(0,)]


def initiative(app, database):
    english(app)
    press_named(app, "Make an initiative", exact=True)
    expect(app, "An initiative is a proposal")
    type_into(field(app, "Title of the initiative"), "Iltavastaanotto Kuhmoon")
    type_into(field(app, "What do you propose, and why?"), "Vastaanotto auki myös iltaisin.")
    type_into(field(app, "Your name"), "Matti Virtanen")
    type_into(field(app, "Phone number"), "+358 40 123 4567")
    press_named(app, "I have read the privacy notice")
    press_named(app, "Send", exact=True)
    expect(app, "Please choose your municipality")
    press_named(app, "Kuhmo", exact=True)
    shot("kiosk-initiative")
    press_named(app, "Send", exact=True)
    names = expect(app, "Thank you!", "Your reference:")

    got = rows(database,
               "SELECT s.uuid, i.title, i.body, i.municipality, i.channel, i.status, c.name, c.email, c.phone"
               "  FROM submissions s JOIN initiatives i ON i.submission_id = s.id"
               "  JOIN contacts c ON c.submission_id = s.id")
    assert len(got) == 1, got
    uuid, *rest = got[0]
    assert rest == ["Iltavastaanotto Kuhmoon", "Vastaanotto auki myös iltaisin.", "kuhmo", "kiosk",
                    "received", "Matti Virtanen", None, "+358 40 123 4567"], rest
    code = "%s-%s" % (uuid[:4].upper(), uuid[4:8].upper())
    assert any(code in name for name in names), "the receipt does not show %s" % code
    shot("kiosk-initiative-thanks")


def add_initiative(database, number, title, status, answer):
    """As sync will: an initiative with the status the region gave it."""
    db = sqlite3.connect(database)
    try:
        with db:
            cur = db.execute(
                "INSERT INTO submissions (uuid, kind, created_at, region, unit, language)"
                " VALUES (?, 'initiative', 1790000000, 'kainuu', 'Palvelupiste', 'fi')",
                ("00000000-0000-4000-8000-%012d" % number,))
            db.execute(
                "INSERT INTO initiatives (submission_id, title, body, municipality, channel,"
                "                         received_on, status, answer)"
                " VALUES (?, ?, 'Perustelut.', 'sotkamo', 'paper', ?, ?, ?)",
                (cur.lastrowid, title, "2026-10-%02d" % number, status, answer))
    finally:
        db.close()


def answers(app, database):
    """Published initiatives are listed with their status and answer; one
    only received at a kiosk is not: it is the last person's text."""
    add_initiative(database, 1, "Uimahallin vuorot", "answered", "Vuoroja lisätään keväällä.")
    add_initiative(database, 2, "Lisää penkkejä", "in_progress", None)
    add_initiative(database, 3, "Edellisen ihmisen aloite", "received", None)
    english(app)
    press_named(app, "Initiatives and answers", exact=True)
    names = expect(app, "Uimahallin vuorot", "Vuoroja lisätään keväällä.", "The region’s answer",
                   "Answered · Sotkamo · received 2026-10-01",
                   "Lisää penkkejä", "In progress · Sotkamo · received 2026-10-02")
    assert not any("Edellisen ihmisen aloite" in n for n in names), "an unpublished initiative is shown"
    headings = [name for role, name in texts(app) if role == "heading"]
    assert "Uimahallin vuorot" in headings, headings
    shot("kiosk-answers")


def answers_empty(app, database):
    english(app)
    press_named(app, "Initiatives and answers", exact=True)
    expect(app, "No initiatives have been published yet.")


def idle_reset(app, database):
    """After the idle time a countdown offers to continue; then nothing of
    the person is left: not the page, the text, the language or the display
    choices."""
    english(app)
    press_named(app, "High contrast", exact=True)
    press_named(app, "Give feedback", exact=True)
    secret = "Salainen viesti 4711"
    type_into(field(app, "Your feedback"), secret)

    expect(app, "Are you still there?", "the screen is cleared in", timeout=15)
    shot("kiosk-idle-countdown")
    press_named(app, "Continue", exact=True)
    time.sleep(0.5)
    names = expect(app, secret)
    assert not any("Are you still there?" in n for n in names), "the countdown stayed after Continue"

    expect(app, "Are you still there?", timeout=15)
    expect(app, _fi("What would you like to do?"), timeout=15)  # the welcome page, in Finnish again
    time.sleep(0.5)
    shot("kiosk-idle-wiped")
    everything = texts(app)
    left = [name for _, name in everything if secret in name or "Tell us what you think" in name]
    assert not left, "left on screen after the wipe: %s" % left
    contrast = find(app, _fi("High contrast"), exact=True)
    assert contrast is not None, "no high contrast button after the wipe"
    assert not contrast.getState().contains(pyatspi.STATE_CHECKED), "high contrast stayed on"
    assert rows(database, "SELECT count(*) FROM submissions") == [(0,)], "an unsent form was saved"


def on_screen_keyboard(app, database):
    """Typing by touch: the keyboard shows when a text field has the focus,
    and its keys, shift and backspace type into it."""
    english(app)
    press_named(app, "Recommend", exact=True)
    press_named(app, topic_title("kymenlaakso", "service_areas", "health"), exact=True)
    press_named(app, "7", exact=True)
    assert find(app, "On-screen keyboard", roles=("panel", "grouping"), timeout=1) is None, \
        "the keyboard shows with no text field focused"
    press_named(app, "Next", exact=True)
    expect(app, "On-screen keyboard", "Shift", "Backspace", "Space")
    shot("kiosk-keyboard")
    for key in ("Shift", "H", "y", "v", "ä", "x", "Backspace", "Space", "1", "0"):
        press_named(app, key, exact=True)
    press_named(app, "Shift", exact=True)
    press_named(app, "Å", exact=True)  # “å” while shifted
    expect(app, "Hyvä 10Å")
    press_named(app, "Send", exact=True)
    expect(app, "Thank you!")
    assert find(app, "Shift", exact=True, timeout=1) is None, "the keyboard stayed after the text field went"
    assert rows(database, "SELECT score, why FROM recommendations") == [(7, "Hyvä 10Å")]


def keyboard_names(app, database):
    """Every control a resident can reach has a name a screen reader reads."""
    english(app)
    for flow in ("Recommend", "Give feedback", "Make an initiative", "Initiatives and answers"):
        press_named(app, flow, exact=True)
        time.sleep(0.5)
        unnamed = []
        for node in walk(app):
            try:
                if node.getRoleName() in ("push button", "toggle button", "check box", "text", "entry") \
                        and not (node.name or "").strip():
                    unnamed.append(node.getRoleName())
            except Exception:
                pass
        assert not unnamed, "%s: controls without a name: %s" % (flow, unnamed)
        press_named(app, "Cancel", exact=True)
        expect(app, "What would you like to do?")


CASES = [
    ("recommend a goal, answer a statement and say why", "kymenlaakso", recommend, []),
    ("feedback with a reply: the form says what is missing", "keski-suomi", feedback, []),
    ("anonymous feedback stores no contact", "keski-uusimaa", anonymous_feedback, []),
    ("an initiative with its municipality, and its receipt", "kainuu", initiative, []),
    ("initiatives and answers: only published ones", "kainuu", answers, []),
    ("initiatives and answers: none yet", "keski-uusimaa", answers_empty, []),
    ("idle countdown, continue, then a full wipe", "kainuu", idle_reset,
     ["--idle-seconds", "3", "--countdown-seconds", "3"]),
    ("the on-screen keyboard types å, ä, ö, shift and backspace", "kymenlaakso", on_screen_keyboard, []),
    ("every control has an accessible name", "kymenlaakso", keyboard_names, []),
]


def main():
    global SHOTS, REGIONS
    binary, REGIONS, SHOTS = sys.argv[1:4]
    os.makedirs(SHOTS, exist_ok=True)
    print("1..%d" % len(CASES))
    ok = True
    for number, (name, region, case, extra) in enumerate(CASES, 1):
        with tempfile.TemporaryDirectory() as tmp:
            app = App(binary, tmp, "--region", region, "--kiosk", *extra)
            failure = None
            try:
                if app.node is None:
                    raise AssertionError("the app did not appear on the AT-SPI bus")
                case(app.node, app.database)
            except Exception:
                failure = traceback.format_exc()
            finally:
                output = app.stop()
        if failure:
            ok = False
            print("not ok %d - %s" % (number, name))
            for line in (failure + output).strip().splitlines():
                print("# " + line)
        else:
            print("ok %d - %s" % (number, name))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
