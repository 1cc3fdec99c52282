#!/usr/bin/python3
"""Staff mode at a kiosk, behind the PIN, as staff and a screen reader
reach it: the PIN set with kuulolla --set-pin, five quick taps on the
region's name, the PIN pressed on the keypad. A wrong PIN does not open
Device status, the right one does; with no PIN set the page offers only
Cancel; the idle reset closes staff mode and the next visit asks for the
PIN again. Saves screenshots of the PIN page in Finnish, Swedish and high
contrast.

Usage: test_staff.py KUULOLLA_BINARY REGIONS_DIR SCREENSHOT_DIR
"""
import gettext
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kuu_tap import run  # noqa: E402
from kuu_atspi import (App, enter_pin, find, five_taps, open_staff_tab, press_named, screenshot,  # noqa: E402
                       set_pin, texts, wait_for, walk)

BINARY = None
REGIONS = None
SHOTS = None

REGION = "kymenlaakso"
PIN = "5791"
LANGUAGE_BUTTONS = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def T(lang):
    if lang == "en":
        return lambda text: text
    return gettext.translation("kuulolla", os.environ["KUULOLLA_LOCALEDIR"], [lang]).gettext


def region_name(lang):
    with open(os.path.join(REGIONS, REGION + ".json"), encoding="utf-8") as f:
        return json.load(f)["name"][lang]


def shot(name):
    if SHOTS:
        time.sleep(0.4)
        screenshot(os.path.join(SHOTS, name + ".png"))


def expect(app, *wanted, timeout=15):
    names, missing = wait_for(app, list(wanted), timeout)
    if missing:
        raise AssertionError("not shown: %s (shows %s)" % (", ".join(missing), names))
    return names


def shown(app):
    return [name for _, name in texts(app)]


def open_pin_page(app, lang="en"):
    _ = T(lang)
    press_named(app, LANGUAGE_BUTTONS[lang])
    expect(app, _("What would you like to do?"))
    five_taps(app, region_name(lang), until=[_("Staff mode")])


class Kiosk:
    def __init__(self, tmp, pin=PIN, extra=()):
        self.database = os.path.join(tmp, "k.db")
        if pin is not None:
            set_pin(BINARY, self.database, pin)
        self.app = App(BINARY, tmp, "--region", REGION, "--kiosk", *extra)
        if self.app.node is None:
            raise AssertionError("the app did not appear on the AT-SPI bus:\n" + self.app.stop())
        self.node = self.app.node

    def stop(self):
        return self.app.stop()


def no_pin_set(kiosk):
    """A new kiosk: the page says IT sets the PIN, and offers only Cancel."""
    app = kiosk.node
    open_pin_page(app)
    names = expect(app, "No staff PIN has been set on this device yet")
    assert any("kuulolla --set-pin" in n for n in names), "no word of --set-pin: %s" % names
    shot("pin-not-set")
    for name in ("OK, open staff mode", "0", "1", "Delete the last digit"):
        assert find(app, name, exact=True, timeout=1) is None, "“%s” is offered with no PIN set" % name
    press_named(app, "Cancel", exact=True)
    expect(app, "What would you like to do?")
    assert "Staff mode" not in shown(app)


def wrong_then_right(kiosk):
    """A wrong PIN says so with the tries left and does not open Device
    status; the right one does. In Finnish and Swedish, and in high
    contrast, for the screenshots."""
    app = kiosk.node
    open_pin_page(app, "sv")
    expect(app, T("sv")("Enter the staff PIN"))
    shot("pin-sv")
    press_named(app, T("sv")("Cancel"), exact=True)
    open_pin_page(app, "fi")
    _ = T("fi")
    assert _("Enter the staff PIN") != "Enter the staff PIN", "no Finnish translation"
    expect(app, _("Enter the staff PIN"))
    for digit in "135":
        press_named(app, digit, exact=True)
        time.sleep(0.3)
    shot("pin-fi-typing")
    enter_pin(app, "7", _("OK, open staff mode"))
    names = expect(app, _("Staff mode"))
    deadline = time.monotonic() + 15
    while not any(n.startswith("Väärä PIN-koodi") for n in names):
        assert time.monotonic() < deadline, "no word of a wrong PIN: %s" % names
        time.sleep(0.3)
        names = shown(app)
    assert any("4" in n for n in names if n.startswith("Väärä PIN-koodi")), "no tries left: %s" % names
    assert _("Device status") not in names, "a wrong PIN opened Device status"
    press_named(app, _("High contrast"), exact=True)
    time.sleep(1)
    shot("pin-fi-wrong-high-contrast")
    press_named(app, _("High contrast"), exact=True)
    enter_pin(app, PIN, _("OK, open staff mode"))
    expect(app, _("Results"), _("Device status"))
    open_staff_tab(app, _("Device status"))
    expect(app, _("Sync now"))
    assert _("Enter the staff PIN") not in shown(app), "the PIN page stayed"


def keyboard_digits(kiosk):
    """A hardware keyboard's digits and Enter work on the PIN page too."""
    from kuu_atspi import key
    app = kiosk.node
    open_pin_page(app)
    expect(app, "Enter the staff PIN")
    for digit in PIN:
        key(digit)
    key("Return")
    expect(app, "Device status", timeout=20)
    open_staff_tab(app, "Device status")
    expect(app, "Sync now")


def closes_itself(kiosk):
    """Left open, staff mode goes away with the idle reset, and the next
    visit asks for the PIN again."""
    app = kiosk.node
    open_pin_page(app)
    enter_pin(app, PIN)
    expect(app, "Device status")
    # The idle reset brings the region's own language back.
    _ = T("fi")
    expect(app, _("What would you like to do?"), timeout=30)
    time.sleep(0.5)
    assert _("Device status") not in shown(app), "staff mode stayed open"
    open_pin_page(app)
    names = expect(app, "Enter the staff PIN")
    assert "Device status" not in names, "the second visit skipped the PIN"


def desktop_needs_no_pin(kiosk):
    """On a desktop the window is staff mode: it opens there, with no PIN,
    and comes back from the resident pages by a button or the five taps.
    (It speaks the desktop's language, English here.)"""
    app = kiosk.node
    names = expect(app, "Staff mode", "Device status", "Resident pages")
    assert "Enter the staff PIN" not in names
    assert_staff_chrome(app)
    find(app, "Resident pages").queryAction().doAction(0)
    expect(app, "What would you like to do?")
    five_taps(app, region_name("en"), until=["Device status"])
    names = expect(app, "Device status")
    assert "Enter the staff PIN" not in names
    find(app, "Resident pages").queryAction().doAction(0)
    expect(app, "What would you like to do?")
    find(app, "Staff mode").queryAction().doAction(0)
    expect(app, "Device status")


def nodes_named(app, name):
    """The showing nodes called name (texts() lists a label twice: by its
    name and by its text)."""
    return [node for node in walk(app) if node.name == name]


def assert_staff_chrome(app):
    """Staff pages say "Staff mode" once (the page's heading, not the
    header's button too) and carry no Larger text / High contrast: those
    are for residents."""
    named = nodes_named(app, "Staff mode")
    assert len(named) == 1, "“Staff mode” %d times: %s" % (len(named), [n.getRoleName() for n in named])
    names = shown(app)
    for resident_only in ("Larger text", "High contrast"):
        assert resident_only not in names, "“%s” on a staff page" % resident_only


def resident_pages_first(kiosk):
    """--resident-pages (dev.sh run): a window on the pages residents see,
    with Larger text and High contrast, and Staff mode one button away."""
    app = kiosk.node
    names = expect(app, "What would you like to do?", "Staff mode", "Larger text", "High contrast")
    assert "Device status" not in names, "it opened in staff mode"
    shot("desktop-resident-pages")
    find(app, "Staff mode").queryAction().doAction(0)
    expect(app, "Device status", "Resident pages")
    assert_staff_chrome(app)
    shot("desktop-staff-mode")


class Desktop(Kiosk):
    def __init__(self, tmp, extra=()):
        self.database = os.path.join(tmp, "k.db")
        set_pin(BINARY, self.database, PIN)
        self.app = App(BINARY, tmp, "--region", REGION, *extra)
        if self.app.node is None:
            raise AssertionError("the app did not appear on the AT-SPI bus:\n" + self.app.stop())
        self.node = self.app.node


CASES = [
    ("no PIN set: only Cancel, and a word of kuulolla --set-pin", no_pin_set, {"pin": None}),
    ("a wrong PIN does not open Device status, the right one does", wrong_then_right, {}),
    ("the PIN from a hardware keyboard", keyboard_digits, {}),
    ("staff mode closes itself; the next visit needs the PIN", closes_itself,
     {"extra": ["--idle-seconds", "5", "--countdown-seconds", "3"]}),
    ("on a desktop, staff mode needs no PIN", desktop_needs_no_pin, {"desktop": True}),
    ("--resident-pages opens the resident pages in a window", resident_pages_first,
     {"desktop": True, "extra": ["--resident-pages"]}),
]


def start(tmp, kwargs):
    kwargs = dict(kwargs)
    if kwargs.pop("desktop", False):
        return Desktop(tmp, **kwargs)
    return Kiosk(tmp, **kwargs)


def main():
    global BINARY, REGIONS, SHOTS
    BINARY, REGIONS, SHOTS = sys.argv[1:4]
    os.makedirs(SHOTS, exist_ok=True)
    run(CASES, start, lambda kiosk: kiosk.stop())


if __name__ == "__main__":
    main()
