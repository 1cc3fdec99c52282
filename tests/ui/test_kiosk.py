#!/usr/bin/python3
"""The resident kiosk driven as a screen reader drives it: every flow is
walked through over AT-SPI on the real app, in Finnish, Swedish and English,
and what it wrote is read back from the SQLite file. Screenshots of each
page go to the screenshots folder.

Usage: test_kiosk.py KUULOLLA_BINARY REGIONS_DIR SCREENSHOT_DIR
"""
import gettext
import json
import os
import sqlite3
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kuu_tap import run  # noqa: E402
from kuu_atspi import (SLOW_WALK, App, find, key, press_named, screenshot, set_text, tab_to,  # noqa: E402
                       texts, type_into, wait_for, walk)

BINARY = None
SHOTS = None
REGIONS = None

LANGUAGE_BUTTONS = {"fi": "Suomi", "sv": "Svenska", "en": "English"}

# What residents type, as typed: letters of all three languages, an emoji,
# and characters that would be markup if anything interpreted them.
TYPED = "Hyvä <b>palvelu</b> & kiitos 👍 åäö ÅÄÖ"


SAVED_RECOMMENDATION = ("Your answer is saved. It is anonymous: it is counted together with "
                        "other residents’ answers, and the region uses them to follow how "
                        "its strategy is working in everyday services.")
PRIVACY_NOTICE = ("Privacy notice: your name and contact details are used only to reply to you. "
                  "They are stored apart from your message, go to the region’s register, and are "
                  "removed from this kiosk once the region’s server has them. The region’s privacy "
                  "notice tells you your rights; the staff can show it to you.")


def T(lang):
    """The app's own catalogue for lang, to find its strings on screen."""
    if lang == "en":
        return lambda text: text
    return gettext.translation("kuulolla", os.environ["KUULOLLA_LOCALEDIR"], [lang]).gettext


def N(lang, singular, plural, n):
    """A plural string from the app's catalogue for lang."""
    if lang == "en":
        return singular if n == 1 else plural
    return gettext.translation("kuulolla", os.environ["KUULOLLA_LOCALEDIR"], [lang]).ngettext(singular, plural, n)


def foreign_texts(lang):
    """Every interface and strategy text that another language writes
    differently from lang: none of them may show to a resident in lang."""
    catalogue = gettext.translation("kuulolla", os.environ["KUULOLLA_LOCALEDIR"], ["sv"])._catalog
    msgids = [k for k in catalogue if isinstance(k, str) and k]
    foreign = set()
    for other in ("fi", "sv", "en"):
        if other != lang:
            foreign |= {T(other)(m) for m in msgids if T(other)(m) != T(lang)(m)}

    def walk_texts(node):
        if isinstance(node, dict):
            if {"fi", "sv", "en"} <= set(node):
                # Another language's easy version is foreign too.
                others = [o + suffix for o in ("fi", "sv", "en") if o != lang for suffix in ("", "-easy")]
                foreign.update(node[o] for o in others if o in node and node[o] != node[lang]
                               and node[o] != node.get(lang + "-easy"))
            else:
                for value in node.values():
                    walk_texts(value)
        elif isinstance(node, list):
            for value in node:
                walk_texts(value)
    for name in ("kainuu", "keski-suomi", "keski-uusimaa", "kymenlaakso"):
        walk_texts(region(name))
    # The language buttons name each language in itself, on purpose.
    return foreign - set(LANGUAGE_BUTTONS.values())


def only_in(app, lang):
    """A resident who chose lang meets no string of another language
    (what they typed themselves aside)."""
    if lang == "en":
        return
    foreign = foreign_texts(lang)
    shown = [name for _, name in texts(app) if TYPED not in name]
    wrong = sorted({name for name in shown if name in foreign})
    assert not wrong, "in %s, shown in another language: %s" % (lang, wrong)


def region(name):
    with open(os.path.join(REGIONS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def topic_title(region_name, kind, topic_id, lang):
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


def expect_next_to_field(app, message, field_name, timeout=10):
    """The message is an alert just under the field it is about (or under
    its label's field, for a group of buttons), and nowhere else."""
    deadline = time.monotonic() + timeout
    while True:
        started = time.monotonic()
        alerts = [node for node in walk(app) if node.getRoleName() == "alert" and node.name == message]
        if len(alerts) == 1:
            break
        # A walk stalled on a page being taken down does not count (kuu_atspi).
        deadline += max(0.0, time.monotonic() - started - SLOW_WALK)
        if time.monotonic() > deadline:
            raise AssertionError("“%s” is shown %d times as an alert, not once" % (message, len(alerts)))
        time.sleep(0.3)
    target = next((node for node in walk(app) if node.name == field_name
                   and node.getRoleName() in ("text", "entry", "push button", "toggle button", "panel",
                                              "grouping")), None)
    assert target is not None, "no field “%s”" % field_name
    field_box = target.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    alert_box = alerts[0].queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    gap = alert_box.y - (field_box.y + field_box.height)
    assert 0 <= gap <= 64, "“%s” is %d px from “%s”, not next to it" % (message, gap, field_name)


def switch(app, lang):
    press_named(app, LANGUAGE_BUTTONS[lang])
    expect(app, T(lang)("What would you like to do?"))


def rows(database, sql, *args):
    db = sqlite3.connect(database)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


# --- flows ----------------------------------------------------------------

def recommend(app, database, lang, region_name, kind, topic_id):
    _ = T(lang)
    data = region(region_name)
    switch(app, lang)
    shot("%s-welcome-%s" % (lang, region_name))
    only_in(app, lang)
    press_named(app, _("Recommend"), exact=True)
    expect(app, _("What would you like to score?"))
    shot("%s-recommend-topics" % lang)
    only_in(app, lang)
    press_named(app, topic_title(region_name, kind, topic_id, lang), exact=True)
    expect(app, data["survey"]["recommend_question"][lang], data["survey"]["scale_low"][lang])
    shot("%s-recommend-score" % lang)
    only_in(app, lang)
    press_named(app, "9", exact=True)
    expect(app, _("How well do these describe your experience?"))
    press_named(app, "4 – " + data["survey"]["agreement_scale"][3][lang])
    shot("%s-recommend-statements" % lang)
    only_in(app, lang)
    press_named(app, _("Next"), exact=True)
    type_into(field(app, data["survey"]["why_prompt"][lang]), TYPED)
    shot("%s-recommend-why" % lang)
    only_in(app, lang)
    press_named(app, _("Send"), exact=True)
    # The first answer: too few for a result, said in the resident's
    # language (a plural form, which GLib's g_dngettext once left in English).
    expect(app, _("Thank you!"), _(SAVED_RECOMMENDATION),
           N(lang, "The result is shown once there is at least %d answer.",
             "The result is shown once there are at least %d answers.", 10) % 10)
    shot("%s-recommend-thanks" % lang)
    only_in(app, lang)

    got = rows(database,
               "SELECT s.kind, s.language, s.unit, r.topic_kind, r.topic_id, r.score, r.why"
               "  FROM submissions s JOIN recommendations r ON r.submission_id = s.id")
    expected_kind = "goal" if kind == "goals" else "service_area"
    assert got == [("recommendation", lang, "Testi", expected_kind, topic_id, 9, TYPED)], got
    statement = data["survey"]["statements"][0]["id"]
    answers = rows(database, "SELECT statement_id, answer FROM statement_answers")
    assert answers == [(statement, 4)], answers
    press_named(app, _("Back to the start"), exact=True)
    expect(app, _("What would you like to do?"))


def feedback_with_reply(app, database, lang, region_name, area_id):
    _ = T(lang)
    switch(app, lang)
    press_named(app, _("Give feedback"), exact=True)
    expect(app, _("Tell us what you think"))
    press_named(app, _("Send"), exact=True)
    expect_next_to_field(app, _("Please write your feedback first."), _("Your feedback"))
    type_into(field(app, _("Your feedback")), TYPED)
    press_named(app, topic_title(region_name, "service_areas", area_id, lang), exact=True)
    press_named(app, _("I would like a reply"))
    expect(app, _(PRIVACY_NOTICE))
    press_named(app, _("Send"), exact=True)
    expect_next_to_field(app, _("Please write your name."), _("Your name"))
    type_into(field(app, _("Your name")), "Åsa Öhman-Äijälä")
    press_named(app, _("Send"), exact=True)
    expect_next_to_field(app, _("Please give an e-mail address or a phone number for the reply."),
                         _("E-mail address"))
    type_into(field(app, _("E-mail address")), "asa.example.fi")
    press_named(app, _("Send"), exact=True)
    expect(app, _("The e-mail address does not look right. It has an “@” in it, like name@example.fi."))
    set_text(field(app, _("E-mail address")), "asa@example")
    press_named(app, _("Send"), exact=True)
    expect(app, _("The e-mail address does not look right. It has an “@” in it, like name@example.fi."))
    set_text(field(app, _("E-mail address")), "asa@example.fi")
    press_named(app, _("Send"), exact=True)
    expect(app, _("Please read the privacy notice and press “I have read the privacy notice”."))
    shot("%s-feedback" % lang)
    only_in(app, lang)
    press_named(app, _("I have read the privacy notice"))
    press_named(app, _("Send"), exact=True)
    expect(app, _("Thank you!"))
    shot("%s-feedback-thanks" % lang)
    only_in(app, lang)

    got = rows(database,
               "SELECT s.kind, s.language, f.topic_kind, f.topic_id, f.body, c.name, c.email, c.phone"
               "  FROM submissions s JOIN feedback f ON f.submission_id = s.id"
               "  JOIN contacts c ON c.submission_id = s.id")
    assert got == [("feedback", lang, "service_area", area_id, TYPED,
                    "Åsa Öhman-Äijälä", "asa@example.fi", None)], got


def anonymous_feedback(app, database, lang):
    _ = T(lang)
    switch(app, lang)
    press_named(app, _("Give feedback"), exact=True)
    type_into(field(app, _("Your feedback")), TYPED)
    press_named(app, _("Send"), exact=True)
    expect(app, _("Thank you!"))
    assert rows(database, "SELECT s.language, f.body, f.topic_id FROM feedback f"
                          " JOIN submissions s ON s.id = f.submission_id") == [(lang, TYPED, None)]
    assert rows(database, "SELECT count(*) FROM contacts") == [(0,)], "an anonymous answer got a contact"


def initiative(app, database, lang, region_name, municipality_id):
    _ = T(lang)
    data = region(region_name)
    municipality = next(m["name"][lang] for m in data["municipalities"] if m["id"] == municipality_id)
    switch(app, lang)
    press_named(app, _("Make an initiative"), exact=True)
    expect(app, _("Propose a change to the region"))
    shot("%s-initiative" % lang)
    only_in(app, lang)
    press_named(app, _("Send"), exact=True)
    expect_next_to_field(app, _("Please give your initiative a title."), _("Title of the initiative"))
    type_into(field(app, _("Title of the initiative")), "Iltavastaanotto <i>nyt</i> & 🌙")
    type_into(field(app, _("What do you propose, and why?")), TYPED)
    type_into(field(app, _("Your name")), "Matti Virtanen")
    type_into(field(app, _("Phone number")), "+358 40 123 4567")
    press_named(app, _("I have read the privacy notice"))
    press_named(app, _("Send"), exact=True)
    expect_next_to_field(app, _("Please choose your municipality: the right to make an initiative rests on it."),
                         _("Your municipality"))
    press_named(app, municipality, exact=True)
    press_named(app, _("Send"), exact=True)
    names = expect(app, _("Thank you!"))
    shot("%s-initiative-thanks" % lang)
    only_in(app, lang)

    got = rows(database,
               "SELECT s.uuid, s.language, i.title, i.body, i.municipality, i.channel, i.status,"
               "       c.name, c.email, c.phone"
               "  FROM submissions s JOIN initiatives i ON i.submission_id = s.id"
               "  JOIN contacts c ON c.submission_id = s.id")
    assert len(got) == 1, got
    uuid, *rest = got[0]
    assert rest == [lang, "Iltavastaanotto <i>nyt</i> & 🌙", TYPED, municipality_id, "kiosk",
                    "received", "Matti Virtanen", None, "+358 40 123 4567"], rest
    code = "%s-%s" % (uuid[:4].upper(), uuid[4:8].upper())
    assert any(code in name for name in names), "the receipt does not show %s" % code


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


def answers(app, database, lang):
    """Published initiatives are listed with their status and answer; one
    only received at a kiosk is not: it is the last person's text."""
    _ = T(lang)
    add_initiative(database, 1, "Uimahallin <b>vuorot</b> & saunat", "answered", "Vuoroja lisätään keväällä.")
    add_initiative(database, 2, "Lisää penkkejä", "in_progress", None)
    add_initiative(database, 3, "Edellisen ihmisen aloite", "received", None)
    switch(app, lang)
    press_named(app, _("Initiatives and answers"), exact=True)
    # Dates as the resident's language writes them.
    day = {"fi": "%d.10.2026", "sv": "%d.10.2026", "en": "2026-10-0%d"}[lang]  # Finland writes d.m.yyyy in both
    names = expect(app, "Uimahallin <b>vuorot</b> & saunat", "Vuoroja lisätään keväällä.",
                   _("The region’s answer"), _("%s · %s · received %s") % (_("Answered"), "Sotkamo", day % 1),
                   "Lisää penkkejä", _("%s · %s · received %s") % (_("In progress"), "Sotkamo", day % 2))
    assert not any("Edellisen ihmisen aloite" in n for n in names), "an unpublished initiative is shown"
    headings = [name for role, name in texts(app) if role == "heading"]
    assert "Uimahallin <b>vuorot</b> & saunat" in headings, headings
    shot("%s-answers" % lang)
    only_in(app, lang)


def answers_empty(app, database):
    switch(app, "en")
    press_named(app, "Initiatives and answers", exact=True)
    expect(app, "No initiatives have been published yet.")


# --- the kiosk itself -----------------------------------------------------

def idle_reset(app, database):
    """After the idle time a countdown offers to continue; then nothing of
    the person is left: not the page, the text, the language or the display
    choices."""
    _fi = T("fi")
    switch(app, "en")
    press_named(app, "High contrast", exact=True)
    press_named(app, "Larger text", exact=True)
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
    left = [name for _, name in texts(app) if secret in name or "Tell us what you think" in name]
    assert not left, "left on screen after the wipe: %s" % left
    for toggle in ("High contrast", "Larger text"):
        node = find(app, _fi(toggle), exact=True)
        assert node is not None, "no “%s” after the wipe" % toggle
        assert not node.getState().contains(pyatspi.STATE_CHECKED), "“%s” stayed on" % toggle
    assert rows(database, "SELECT count(*) FROM submissions") == [(0,)], "an unsent form was saved"


def on_screen_keyboard(app, database):
    """Typing by touch: the keyboard shows when a text field has the focus,
    and its keys, shift and backspace type into it."""
    switch(app, "en")
    press_named(app, "Recommend", exact=True)
    press_named(app, topic_title("kymenlaakso", "service_areas", "health", "en"), exact=True)
    press_named(app, "7", exact=True)
    assert find(app, "Shift", exact=True, timeout=1) is None, "the keyboard shows with no text field focused"
    press_named(app, "Next", exact=True)
    expect(app, "On-screen keyboard", "Shift", "Backspace", "Space")
    shot("kiosk-keyboard")
    for name in ("Shift", "H", "y", "v", "ä", "x", "Backspace", "Space", "1", "0"):
        press_named(app, name, exact=True)
    press_named(app, "Shift", exact=True)
    press_named(app, "Å", exact=True)  # “å” while shifted
    expect(app, "Hyvä 10Å")
    press_named(app, "Send", exact=True)
    expect(app, "Thank you!")
    assert find(app, "Shift", exact=True, timeout=1) is None, "the keyboard stayed after the text field went"
    assert rows(database, "SELECT score, why FROM recommendations") == [(7, "Hyvä 10Å")]


def keyboard_only(app, database):
    """The recommend flow with Tab, Return and Space alone; Escape does
    not leave the kiosk."""
    switch(app, "en")
    key("Escape")
    time.sleep(0.5)
    expect(app, "What would you like to do?")  # still there, still answering
    tab_to(app, "Recommend")
    key("Return")
    expect(app, "What would you like to score?")
    tab_to(app, topic_title("keski-uusimaa", "goals", region("keski-uusimaa")["goals"][0]["id"], "en"))
    key("Return")
    tab_to(app, "6")
    key("space")
    expect(app, "How well do these describe your experience?")
    tab_to(app, "Next")
    key("Return")
    for char in "Kiitos":
        key(char)
    tab_to(app, "Send")
    key("Return")
    expect(app, "Thank you!")
    assert rows(database, "SELECT score, why FROM recommendations") == [(6, "Kiitos")]


def save_fails(app, database):
    """While another writer holds the database, the write fails after the
    busy timeout: the person is told, and what they typed stays."""
    switch(app, "en")
    press_named(app, "Give feedback", exact=True)
    type_into(field(app, "Your feedback"), TYPED)
    blocker = sqlite3.connect(database, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        press_named(app, "Send", exact=True)
        expect(app, "Your answer could not be saved.", timeout=20)
        expect(app, TYPED)
        shot("kiosk-save-failed")
    finally:
        blocker.rollback()
        blocker.close()
    press_named(app, "Send", exact=True)
    expect(app, "Thank you!")
    assert rows(database, "SELECT body FROM feedback") == [(TYPED,)]


def accessible_controls(app, database):
    """Every control a resident can reach has a name a screen reader reads,
    and is at least 48×48 pixels."""
    switch(app, "en")
    for flow in ("Recommend", "Give feedback", "Make an initiative", "Initiatives and answers"):
        press_named(app, flow, exact=True)
        time.sleep(0.5)
        problems = []
        for node in walk(app):
            try:
                role = node.getRoleName()
                if role not in ("push button", "toggle button", "check box", "text", "entry"):
                    continue
                if not (node.name or "").strip():
                    problems.append("a %s without a name" % role)
                extents = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
                if role != "text" and (extents.width < 48 or extents.height < 48):
                    problems.append("“%s” is %d×%d" % (node.name, extents.width, extents.height))
            except Exception:
                pass
        assert not problems, "%s: %s" % (flow, "; ".join(problems))
        press_named(app, "Cancel", exact=True)
        expect(app, "What would you like to do?")


CASES = [
    ("recommend a goal in Finnish", "kainuu", lambda a, d: recommend(a, d, "fi", "kainuu", "goals", "together"), []),
    ("recommend a service area in Swedish", "kymenlaakso",
     lambda a, d: recommend(a, d, "sv", "kymenlaakso", "service_areas", "social"), []),
    ("recommend a goal in English", "keski-suomi",
     lambda a, d: recommend(a, d, "en", "keski-suomi", "goals", "uudistuminen"), []),
    ("feedback with a reply in Finnish", "keski-suomi",
     lambda a, d: feedback_with_reply(a, d, "fi", "keski-suomi", "terveyspalvelut"), []),
    ("feedback with a reply in Swedish", "kymenlaakso",
     lambda a, d: feedback_with_reply(a, d, "sv", "kymenlaakso", "elderly"), []),
    ("anonymous feedback in English", "keski-uusimaa", lambda a, d: anonymous_feedback(a, d, "en"), []),
    ("an initiative in Finnish", "kainuu", lambda a, d: initiative(a, d, "fi", "kainuu", "kuhmo"), []),
    ("an initiative in Swedish", "kymenlaakso", lambda a, d: initiative(a, d, "sv", "kymenlaakso", "hamina"), []),
    ("an initiative in English", "keski-uusimaa",
     lambda a, d: initiative(a, d, "en", "keski-uusimaa", "jarvenpaa"), []),
    ("initiatives and answers in Finnish", "kainuu", lambda a, d: answers(a, d, "fi"), []),
    ("initiatives and answers in Swedish", "kainuu", lambda a, d: answers(a, d, "sv"), []),
    ("initiatives and answers: none yet", "keski-uusimaa", answers_empty, []),
    ("idle countdown, continue, then a full wipe", "kainuu", idle_reset,
     ["--idle-seconds", "3", "--countdown-seconds", "3"]),
    ("the on-screen keyboard types å, ä, ö, shift and backspace", "kymenlaakso", on_screen_keyboard, []),
    ("the recommend flow by keyboard alone", "keski-uusimaa", keyboard_only, []),
    ("a failed write keeps the input and says so", "kainuu", save_fails, []),
    ("every control has a name and a 48 px target", "kymenlaakso", accessible_controls, []),
]


def start_app(tmp, region_name, extra):
    app = App(BINARY, tmp, "--region", region_name, "--kiosk", *extra)
    if app.node is None:
        app.stop()
        raise AssertionError("the app did not appear on the AT-SPI bus")
    return app


def main():
    global BINARY, SHOTS, REGIONS
    BINARY, REGIONS, SHOTS = sys.argv[1:4]
    os.makedirs(SHOTS, exist_ok=True)
    run([(name, lambda app, case=case: case(app.node, app.database), region_name, extra)
         for name, region_name, case, extra in CASES],
        start_app, lambda app: app.stop())


if __name__ == "__main__":
    main()
