#!/usr/bin/python3
"""Staff set the device up in staff mode's Settings tab, without a command
line: on a desktop (staff mode at start) they type the region server's
address and the enrolment code its administrator made, press Enrol, and
are told it worked; an answer given next reaches the real server. A wrong
code is refused with the server's reason, and the app runs on.

Usage: test_settings.py KUULOLLA_BINARY KUULOLLA_SERVER REGIONS_DIR SCREENSHOT_DIR
"""
import os
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kuu_tap import run  # noqa: E402
from kuu_atspi import find, press, press_named, screenshot, set_text  # noqa: E402
import test_sync  # noqa: E402
from test_sync import assert_arrives, expect, give_recommendation, until  # noqa: E402

SHOTS = None


def shot(name):
    if SHOTS:
        time.sleep(0.4)
        screenshot(os.path.join(SHOTS, name + ".png"))


class Desktop(test_sync.ServerAndApp):
    """The server, and the app on a desktop, not enrolled: its settings
    are the build's schema, in memory."""

    def __init__(self, tmp):
        build = os.path.dirname(os.path.dirname(os.path.abspath(test_sync.BINARY)))
        os.environ["GSETTINGS_SCHEMA_DIR"] = os.path.join(build, "data")
        super().__init__(tmp)


def field(app, name):
    node = find(app, name, roles=("text", "entry"))
    assert node is not None, "no field “%s”" % name
    return node


def open_tab(app, name):
    """A tab of the view switcher: pressed if it offers an action, else
    clicked as a person clicks it."""
    tab = find(app, name, roles=("page tab",), exact=True)
    assert tab is not None, "no tab “%s”" % name
    try:
        if press(tab):
            return
    except NotImplementedError:
        pass
    box = tab.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    pyatspi.Registry.generateMouseEvent(box.x + box.width // 2, box.y + box.height // 2, "b1c")


def enrol(desktop, code):
    app = desktop.node
    open_tab(app, "Settings")
    expect(app, "Region server", "Languages offered", "Goals shown")
    set_text(field(app, "Server address"), desktop.server.url)
    set_text(field(app, "Enrolment code"), code)
    press_named(app, "Enrol", exact=True)


def enrols_from_settings(desktop):
    app = desktop.node
    enrol(desktop, desktop.server.enrolment_code("Testi"))
    names = expect(app, "Enrolled with " + desktop.server.url + " as device", timeout=60)
    device_ids = desktop.server.device_ids()
    assert len(device_ids) == 1, device_ids
    assert any(device_ids[0] in name for name in names), "the device id is not shown: %s" % names
    until("the device file after enrolment", lambda: os.path.exists(desktop.device_file), timeout=30)
    assert "token=" in open(desktop.device_file).read()
    shot("settings-enrolled")

    # The code is used up: its field is emptied.
    assert field(app, "Enrolment code").queryText().characterCount == 0

    # Answers go to the server from now on.
    press_named(app, "Resident pages", exact=True)
    local = give_recommendation(desktop, 8, "Ilmoittauduttiin asetuksista.")
    assert_arrives(desktop, local)


def wrong_code(desktop):
    app = desktop.node
    enrol(desktop, "WRON-GCOD-E000")
    expect(app, "The device was not enrolled:", timeout=60)
    shot("settings-enrol-refused")
    assert not os.path.exists(desktop.device_file), "a device file without enrolment"
    assert desktop.server.device_ids() == []
    # The app runs on: the page still answers.
    expect(app, "Enrol this device")


CASES = [
    ("enrolled from the Settings tab: answers reach the server", enrols_from_settings),
    ("a refused code: the server's reason shows, nothing is enrolled", wrong_code),
]


def main():
    global SHOTS
    test_sync.BINARY, test_sync.SERVER, test_sync.REGIONS, SHOTS = sys.argv[1:5]
    test_sync.SHOTS = SHOTS
    os.makedirs(SHOTS, exist_ok=True)
    run(CASES, Desktop, lambda desktop: desktop.stop())


if __name__ == "__main__":
    main()
