#!/usr/bin/python3
"""The kiosk's speech output, heard through its recording backend
(KUULOLLA_SPEECH_LOG: one line "lang<TAB>text" an utterance): a resident
turns speech on without seeing the screen (Escape held down, or a
screen corner held), then walks Recommend, Feedback and Initiative by
keyboard alone in Finnish and Swedish, each to its thanks; each page
title, question and focused control with its role and state must be
heard in the page's language. The idle reset turns speech off: nothing
more is heard after it, whatever the next person presses.

Usage: test_speech.py KUULOLLA_BINARY REGIONS_DIR SCREENSHOT_DIR
"""
import gettext
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kuu_tap import run  # noqa: E402
from kuu_atspi import App, focused, key, tab_to, wait_for  # noqa: E402

BINARY = None
REGIONS = None
LANGUAGE_BUTTONS = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
SPEECH_ON = ("Speech on. Move with the Tab key, choose with the space bar. "
             "To turn speech off, hold down the Escape key.")


def T(lang):
    if lang == "en":
        return lambda text: text
    return gettext.translation("kuulolla", os.environ["KUULOLLA_LOCALEDIR"], [lang]).gettext


def region(name):
    with open(os.path.join(REGIONS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


class Ears:
    """The speech log, read from a mark on: what was heard since."""

    def __init__(self, path):
        self.path = path
        self.mark = 0

    def lines(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                return [line.rstrip("\n").split("\t", 1) for line in f]
        except FileNotFoundError:
            return []

    def since(self):
        return self.lines()[self.mark:]

    def hear(self, lang, text, start=False, timeout=15):
        """Waits until a line in lang holds text (or starts with it) after
        the mark; moves the mark past it."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.lines()
            for i in range(self.mark, len(lines)):
                code, said = lines[i] if len(lines[i]) == 2 else (lines[i][0], "")
                if code == lang and (said.startswith(text) if start else text in said):
                    self.mark = i + 1
                    return said
            if time.monotonic() > deadline:
                raise AssertionError("never heard [%s] “%s”; heard since: %s; before: %s"
                                     % (lang, text, lines[self.mark:], lines[max(0, self.mark - 8):self.mark]))
            time.sleep(0.1)

    def skip(self):
        self.mark = len(self.lines())


def hold_escape(ears, until_lang, until_text):
    """Escape held down, as a person holds it, until speech answers."""
    subprocess.run(["xdotool", "keydown", "Escape"], check=True)
    try:
        ears.hear(until_lang, until_text, timeout=20)
    finally:
        subprocess.run(["xdotool", "keyup", "Escape"], check=True)


def start_speech(app, ears, lang):
    _ = T(lang)
    tab_to(app, LANGUAGE_BUTTONS[lang])
    key("space")
    assert not wait_for(app, [_("What would you like to do?")])[1]
    hold_escape(ears, lang, _(SPEECH_ON))
    ears.hear(lang, _("What would you like to do?"))


def control(ears, app, lang, name, role, state=None, spoken=None):
    """Tab to the control; hear its name (as spoken, when the screen
    shows it in two lines), role and state."""
    _ = T(lang)
    tab_to(app, name)
    said = ears.hear(lang, spoken or name, start=True)
    roles = role if isinstance(role, tuple) else (role,)
    states = state if isinstance(state, tuple) else (state,)
    assert any(", %s" % _(r) in said for r in roles), \
        "“%s” was heard without its role (%s)" % (said, " or ".join(_(r) for r in roles))
    if state is not None:
        assert any(said.endswith(", " + _(st)) or (", %s," % _(st)) in said for st in states), \
            "“%s” was heard without its state (%s)" % (said, " or ".join(_(st) for st in states))
    return said


def hear_on(ears, lang):
    """A tick turned on says so: "selected", or "checked" for a check box."""
    _ = T(lang)
    deadline = time.monotonic() + 15
    while True:
        try:
            return ears.hear(lang, _("selected"), start=True, timeout=0.5)
        except AssertionError:
            try:
                return ears.hear(lang, _("checked"), start=True, timeout=0.5)
            except AssertionError:
                if time.monotonic() > deadline:
                    raise


# A choice that stays on: GTK 4.8's toggle button, or a check box.
TICK = ("toggle button", "check box")
OFF = ("not selected", "not checked")


def recommend(app, ears, lang, region_name):
    _ = T(lang)
    data = region(region_name)
    goal = data["goals"][0]["title"][lang]
    statement = data["survey"]["statements"][0]["text"][lang]
    start_speech(app, ears, lang)
    control(ears, app, lang, _("Recommend"), "button")
    key("Return")
    ears.hear(lang, _("Recommend"))
    ears.hear(lang, _("What would you like to score?"))
    control(ears, app, lang, goal, "button")
    key("Return")
    ears.hear(lang, goal)
    ears.hear(lang, data["survey"]["recommend_question"][lang])
    control(ears, app, lang, "8", "button")
    key("space")
    ears.hear(lang, _("How well do these describe your experience?"))
    tab_to(app, _("No answer"))
    ears.hear(lang, statement)  # the statement, as the group's name
    said = ears.hear(lang, _("No answer"), start=True)
    assert said.endswith(_("selected")), said
    agree = data["survey"]["agreement_scale"][3][lang]
    control(ears, app, lang, "4 – " + agree, "toggle button", "not selected", spoken="4, " + agree)
    key("space")
    ears.hear(lang, _("selected"), start=True)
    control(ears, app, lang, _("Next"), "button")
    key("Return")
    ears.hear(lang, data["survey"]["why_prompt"][lang] + ", " + _("text field"), start=True)
    for char in "ok":
        key(char)
    control(ears, app, lang, _("Send"), "button")
    key("Return")
    ears.hear(lang, _("Thank you!"))


def feedback(app, ears, lang, region_name):
    _ = T(lang)
    start_speech(app, ears, lang)
    control(ears, app, lang, _("Give feedback"), "button")
    key("Return")
    ears.hear(lang, _("Give feedback"))
    ears.hear(lang, _("Tell us what you think"))
    control(ears, app, lang, _("Your feedback"), "text field")
    for char in "Hyvin":
        key(char)
    control(ears, app, lang, _("I would like a reply"), TICK, OFF)
    key("space")
    hear_on(ears, lang)
    contact_and_send(app, ears, lang)


def typed(text):
    for char in text:
        key(char)


def contact_and_send(app, ears, lang):
    """Name, e-mail, the privacy notice ticked, Send: the thanks heard."""
    _ = T(lang)
    control(ears, app, lang, _("Your name"), "text field")
    typed("Anna")
    control(ears, app, lang, _("E-mail address"), "text field")
    typed("anna@example.fi")
    control(ears, app, lang, _("I have read the privacy notice"), TICK, OFF)
    key("space")
    hear_on(ears, lang)
    control(ears, app, lang, _("Send"), "button")
    key("Return")
    ears.hear(lang, _("Thank you!"))


def initiative(app, ears, lang, region_name):
    _ = T(lang)
    start_speech(app, ears, lang)
    control(ears, app, lang, _("Make an initiative"), "button")
    key("Return")
    ears.hear(lang, _("Make an initiative"))
    ears.hear(lang, _("Propose a change to the region"))
    control(ears, app, lang, _("Title of the initiative"), "text field")
    for char in "Bussi":
        key(char)
    control(ears, app, lang, _("What do you propose, and why?"), "text field")
    typed("Bussi")
    municipality = region(region_name)["municipalities"][0]["name"][lang]
    control(ears, app, lang, municipality, "toggle button", "not selected")
    key("space")
    ears.hear(lang, _("selected"), start=True)
    contact_and_send(app, ears, lang)


def idle_reset(app, ears, lang):
    """The countdown is heard; after the wipe speech is off: the log says
    stop, and Tabs and a page change bring no more words."""
    _ = T(lang)
    start_speech(app, ears, lang)
    ears.hear(lang, _("Are you still there?"), timeout=30)
    deadline = time.monotonic() + 30
    while ["-", "stop"] not in ears.since():
        assert time.monotonic() < deadline, "speech never stopped at the idle reset"
        time.sleep(0.2)
    ears.skip()
    for _i in range(4):
        key("Tab")
    key("Return")
    time.sleep(1)  # nothing to wait for: silence is the expected outcome
    assert focused(app) is not None
    assert ears.since() == [], "heard after the idle reset: %s" % ears.since()


def corner_hold(app, ears, lang, region_name):
    """A finger held on a screen corner (here the pointer, which GTK's long
    press takes alike) turns speech on; held again, off."""
    _ = T(lang)
    import pyatspi
    window = next(iter(app))
    box = window.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    x, y = box.x + box.width - 10, box.y + box.height - 10
    for wanted in (_(SPEECH_ON), _("Speech off.")):
        pyatspi.Registry.generateMouseEvent(x, y, "b1p")
        try:
            ears.hear(lang, wanted, timeout=20)
        finally:
            pyatspi.Registry.generateMouseEvent(x, y, "b1r")


CASES = [
    ("a finger held on a screen corner turns speech on and off", "fi", "kainuu", corner_hold, []),
    ("speech through Recommend in Finnish", "fi", "kainuu", recommend, []),
    ("speech through Recommend in Swedish", "sv", "kymenlaakso", recommend, []),
    ("speech through Feedback in Finnish", "fi", "keski-suomi", feedback, []),
    ("speech through Feedback in Swedish", "sv", "kymenlaakso", feedback, []),
    ("speech through Initiative in Finnish", "fi", "kainuu", initiative, []),
    ("speech through Initiative in Swedish", "sv", "kymenlaakso", initiative, []),
    ("the idle reset turns speech off", "sv", "kymenlaakso", lambda a, e, lang, r: idle_reset(a, e, lang),
     ["--idle-seconds", "4", "--countdown-seconds", "3"]),
]


def start_app(tmp, region_name, extra):
    log = os.path.join(tmp, "speech.log")
    os.environ["KUULOLLA_SPEECH_LOG"] = log
    app = App(BINARY, tmp, "--region", region_name, "--kiosk", *extra)
    app.ears = Ears(log)
    if app.node is None:
        app.stop()
        raise AssertionError("the app did not appear on the AT-SPI bus")
    return app


def main():
    global BINARY, REGIONS
    BINARY, REGIONS = sys.argv[1:3]
    run([(name, lambda app, c=case, l=lang, r=region_name: c(app.node, app.ears, l, r), region_name, extra)
         for name, lang, region_name, case, extra in CASES],
        start_app, lambda app: app.stop())


if __name__ == "__main__":
    main()
