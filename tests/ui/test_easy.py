#!/usr/bin/python3
"""Easy language (selkokieli, lättläst) at the kiosk: the toggle beside
Larger text turns it on; the start page and the Recommend flow then show
the kiosk's own easy strings (po/easy/) and the region's easy texts
(fi-easy, sv-easy), in Finnish and in Swedish, and the kiosk's own in
English; speech says the easy texts;
the idle reset turns it off for the next person.

Usage: test_easy.py KUULOLLA_BINARY REGIONS_DIR SCREENSHOT_DIR
"""
import gettext
import json
import os
import subprocess
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kuu_tap import run  # noqa: E402
from kuu_atspi import App, find, press_named, screenshot, tab_to, texts, wait_for  # noqa: E402

BINARY = None
REGIONS = None
SHOTS = None
LANGUAGE_BUTTONS = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def T(lang, easy=False):
    """The app's catalogue for lang; with easy, lang@easy first, as the app
    looks messages up."""
    if lang == "en" and not easy:
        return lambda text: text  # the source language
    chain = [lang + "@easy", lang] if easy else [lang]
    return gettext.translation("kuulolla", os.environ["KUULOLLA_LOCALEDIR"], chain, fallback=lang == "en").gettext


def region(name):
    with open(os.path.join(REGIONS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def expect(app, *wanted, timeout=15):
    names, missing = wait_for(app, list(wanted), timeout)
    if missing:
        raise AssertionError("not shown: %s" % ", ".join(missing))
    return names


def absent(app, *unwanted):
    names = [name for _, name in texts(app)]
    shown = [u for u in unwanted if any(u in name for name in names)]
    assert not shown, "still shown: %s" % ", ".join(shown)


def toggle(app, lang):
    return find(app, T(lang)("Easy language"), exact=True)


def is_on(node):
    """GTK 4.8 shows a toggle button's state as pressed; a check box's
    as checked."""
    states = node.getState()
    return states.contains(pyatspi.STATE_PRESSED) or states.contains(pyatspi.STATE_CHECKED)


def shot(name):
    if SHOTS:
        time.sleep(0.4)
        screenshot(os.path.join(SHOTS, name + ".png"))


def switch(app, lang):
    press_named(app, LANGUAGE_BUTTONS[lang])
    expect(app, T(lang)("What would you like to do?"))


def easy_on(app, lang):
    switch(app, lang)
    plain, easy = T(lang), T(lang, easy=True)
    assert plain("Make an initiative") != easy("Make an initiative"), "no easy catalogue for %s" % lang
    press_named(app, plain("Easy language"), exact=True)
    expect(app, easy("Make an initiative"), easy("Tell us in your own words what went well or what could be better"))
    absent(app, plain("Make an initiative"))
    assert is_on(toggle(app, lang)), "the toggle does not show it is on"


def recommend_easy(app, lang, region_name):
    easy = T(lang, easy=True)
    data = region(region_name)
    goal = data["goals"][0]["title"]
    survey = data["survey"]
    easy_on(app, lang)
    shot("%s-easy-welcome" % lang)
    press_named(app, easy("Recommend"), exact=True)
    expect(app, easy("What would you like to score?"), goal[lang + "-easy"],
           data["goals"][0]["summary"][lang + "-easy"])
    absent(app, goal[lang])
    shot("%s-easy-topics" % lang)
    press_named(app, goal[lang + "-easy"], exact=True)
    expect(app, survey["recommend_question"][lang + "-easy"], survey["scale_low"][lang + "-easy"])
    absent(app, survey["recommend_question"][lang])
    press_named(app, "7", exact=True)
    expect(app, easy("How well do these describe your experience?"),
           survey["statements"][0]["text"][lang + "-easy"])
    shot("%s-easy-statements" % lang)
    # Still on after a flow: it stays for the whole visit.
    press_named(app, easy("Cancel"), exact=True)
    expect(app, easy("Make an initiative"))


def speech_easy(app, lang, region_name):
    """Speech says what the screen shows: the easy texts."""
    easy = T(lang, easy=True)
    goal = region(region_name)["goals"][0]["title"][lang + "-easy"]
    easy_on(app, lang)
    press_named(app, easy("Recommend"), exact=True)
    expect(app, goal)
    subprocess.run(["xdotool", "keydown", "Escape"], check=True)
    try:
        wait_heard(app, lang, easy("What would you like to score?"))
    finally:
        subprocess.run(["xdotool", "keyup", "Escape"], check=True)
    wait_heard(app, lang, easy("Our strategic goals"))
    tab_to(app, goal)
    wait_heard(app, lang, goal)


def wait_heard(app, lang, text):
    deadline = time.monotonic() + 20
    while not any(line.startswith(lang + "\t") and text in line for line in heard(app)):
        assert time.monotonic() < deadline, "speech never said “%s”: %s" % (text, heard(app))
        time.sleep(0.2)


def heard(app):
    try:
        with open(os.environ["KUULOLLA_SPEECH_LOG"], encoding="utf-8") as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def idle_reset(app, lang, region_name):
    """After the idle reset the next person sees plain language again."""
    plain, easy = T(lang), T(lang, easy=True)
    easy_on(app, lang)
    expect(app, plain("Are you still there?"), timeout=30)
    fi = T("fi")  # the region's own language, after the wipe
    expect(app, fi("Make an initiative"), timeout=30)
    time.sleep(0.5)
    absent(app, T("fi", easy=True)("Make an initiative"))
    node = toggle(app, "fi")
    assert node is not None and not is_on(node), "easy language stayed on"


def english_easy(app, lang, region_name):
    """English has the kiosk's own easy strings; region texts without an
    en-easy version show as they are."""
    easy = T("en", easy=True)
    easy_on(app, "en")
    press_named(app, easy("Recommend"), exact=True)
    expect(app, easy("What would you like to score?"), region(region_name)["goals"][0]["title"]["en"])


CASES = [
    ("easy language in English: the kiosk's own strings", "en", "kainuu", english_easy, []),
    ("easy language in Finnish: start page and Recommend", "fi", "kainuu", recommend_easy, []),
    ("easy language in Swedish: start page and Recommend", "sv", "kymenlaakso", recommend_easy, []),
    ("speech says the easy texts", "sv", "kymenlaakso", speech_easy, []),
    ("the idle reset turns easy language off", "sv", "kymenlaakso", idle_reset,
     ["--idle-seconds", "4", "--countdown-seconds", "3"]),
]


def start_app(tmp, region_name, extra):
    os.environ["KUULOLLA_SPEECH_LOG"] = os.path.join(tmp, "speech.log")
    app = App(BINARY, tmp, "--region", region_name, "--kiosk", *extra)
    if app.node is None:
        app.stop()
        raise AssertionError("the app did not appear on the AT-SPI bus")
    return app


def main():
    global BINARY, REGIONS, SHOTS
    BINARY, REGIONS = sys.argv[1:3]
    SHOTS = sys.argv[3] if len(sys.argv) > 3 else None
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
    run([(name, lambda app, c=case, l=lang, r=region_name: c(app.node, l, r), region_name, extra)
         for name, lang, region_name, case, extra in CASES],
        start_app, lambda app: app.stop())


if __name__ == "__main__":
    main()
