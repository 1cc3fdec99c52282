#!/usr/bin/python3
"""Initiatives that came on paper or by e-mail, entered by staff at a
desktop (no --kiosk: the window opens in staff mode) over AT-SPI, as a
screen reader user enters them, and read back from the real
kuulolla-server's database: the channel, the date received and the
signatories arrive as typed. With the server stopped, one is edited before
it is sent and arrives in its edited version under the same uuid; another
is deleted and never arrives. A sent one can only be viewed.

Usage: test_paper.py KUULOLLA_BINARY KUULOLLA_SERVER REGIONS_DIR SCREENSHOT_DIR
"""
import datetime
import os
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import test_sync  # noqa: E402  (its server and app, and waiting helpers)
from kuu_tap import run  # noqa: E402
from kuu_atspi import SLOW_WALK, find, press, press_named, screenshot, set_text, texts, walk  # noqa: E402
from test_sync import REGION, region, rows, until  # noqa: E402

BINARY = None
SHOTS = None

WAIT = 60
BUTTONS = ("push button", "toggle button")


def shot(name):
    if SHOTS:
        time.sleep(0.5)
        screenshot(os.path.join(SHOTS, name + ".png"))


def shown(app):
    return [name for _, name in texts(app)]


def expect(app, *wanted, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        started = time.monotonic()
        names = shown(app)
        missing = [w for w in wanted if not any(w in name for name in names)]
        if not missing:
            return names
        # A walk stalled on a page being taken down does not count (kuu_atspi).
        deadline += max(0.0, time.monotonic() - started - SLOW_WALK)
        if time.monotonic() > deadline:
            raise AssertionError("not shown: %s (shows %s)" % (", ".join(missing), names))
        time.sleep(0.3)


class Desktop(test_sync.ServerAndApp):
    """The server, and the app enrolled with it as a staff desktop."""

    def app_args(self):
        return ["--region", REGION, "--server", self.server.url, "--enrol", self.server.enrolment_code("Testi")]


def field(app, name):
    node = find(app, name, roles=("text", "entry", "spin button"), exact=True)
    assert node is not None, "no field “%s”" % name
    return node


def municipality_button(app, municipality):
    for lang in ("fi", "sv", "en"):
        node = find(app, municipality["name"][lang], roles=BUTTONS, exact=True, timeout=1)
        if node is not None:
            return node
    raise AssertionError("no button for the municipality %s" % municipality["id"])


def choose(app, name):
    """One of a group of toggle buttons."""
    node = press_named(app, name, exact=True)
    until("“%s” chosen" % name, lambda: node.getState().contains(pyatspi.STATE_PRESSED)
          or node.getState().contains(pyatspi.STATE_CHECKED), timeout=10)


def set_signatories(app, count):
    spin = field(app, "Signatories")
    try:
        spin.queryValue().currentValue = float(count)
    except NotImplementedError:
        set_text(spin, str(count))
    time.sleep(0.2)


def open_tab(app):
    press_named(app, "Initiatives", roles=BUTTONS + ("page tab",), exact=True)
    expect(app, "Initiatives from paper and e-mail", "New initiative")


def fill(app, initiative):
    """Types one initiative into the editor, field by field."""
    set_text(field(app, "Title"), initiative["title"])
    set_text(field(app, "Text of the initiative"), initiative["text"])
    press(municipality_button(app, initiative["municipality"]))
    choose(app, "E-mail" if initiative["channel"] == "email" else "Paper")
    set_text(field(app, "Date received"), initiative["received_on"])
    set_signatories(app, initiative["signatories"])
    set_text(field(app, "Name"), initiative["name"])
    set_text(field(app, "E-mail address"), initiative["email"])


def save(app, title):
    """Save; while the sync has it in hand the page says so, and a moment
    later it saves."""
    for _ in range(20):
        press_named(app, "Save", exact=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            names = shown(app)
            if any(name.startswith("Saved.") for name in names):
                expect(app, title)
                return
            if any("being sent to the server right now" in name for name in names):
                break
            time.sleep(0.3)
        else:
            raise AssertionError("not saved: the page shows %s" % shown(app))
        time.sleep(1)
    raise AssertionError("the initiative stayed in flight")


def enter(app, initiative):
    press_named(app, "New initiative", exact=True)
    expect(app, "Date received", "Signatories")
    fill(app, initiative)
    save(app, initiative["title"])


def local(desktop, title):
    got = rows(desktop.database,
               "SELECT s.uuid, i.channel, i.received_on, i.signatories, s.synced_at FROM submissions s"
               " JOIN initiatives i ON i.submission_id = s.id WHERE i.title = ?", title)
    assert len(got) == 1, (title, got)
    return got[0]


def on_server(desktop, uuid):
    return [record for u, record in desktop.server.records() if u == uuid]


def days_ago(days):
    return (datetime.date.today() - datetime.timedelta(days=days)).isoformat()


def initiative(title, channel, days, signatories, municipality):
    return {"title": title, "text": "Ehdotamme, että %s." % title.lower(), "channel": channel,
            "received_on": days_ago(days), "signatories": signatories, "municipality": municipality,
            "name": "Maija Meikäläinen", "email": "maija@example.fi"}


def paper_travels(desktop):
    app = desktop.node
    test_sync.wait_enrolled(desktop)
    municipalities = region()["municipalities"]
    open_tab(app)
    shot("paper-list-empty")

    # A paper one, received four days ago, signed by twelve.
    first = initiative("Penkit terveysaseman pihalle", "paper", 4, 12, municipalities[0])
    press_named(app, "New initiative", exact=True)
    expect(app, "Date received", "Signatories")
    fill(app, first)
    shot("paper-editor")
    save(app, first["title"])
    uuid, channel, received_on, signatories, _ = local(desktop, first["title"])
    assert (channel, received_on, signatories) == ("paper", first["received_on"], 12), local(desktop, first["title"])

    record = until("the paper initiative on the server", lambda: on_server(desktop, uuid), timeout=WAIT)[0]
    assert record["kind"] == "initiative", record
    assert record["initiative"]["channel"] == "paper", record
    assert record["initiative"]["received_on"] == first["received_on"], record
    assert record["initiative"]["signatories"] == 12, record
    assert record["initiative"]["title"] == first["title"], record
    assert record["initiative"]["municipality"] == municipalities[0]["id"], record
    expect(app, "Sent to the region’s server on")
    shot("paper-list-sent")

    # Sent: only viewed, never edited or deleted here.
    assert find(app, "Edit “%s”" % first["title"], exact=True, timeout=1) is None, "a sent one has Edit"
    assert find(app, "Delete “%s”" % first["title"], exact=True, timeout=1) is None, "a sent one has Delete"
    press_named(app, "View “%s”" % first["title"], exact=True)
    expect(app, "Changes are made on the server", first["title"])
    assert find(app, "Save", exact=True, timeout=1) is None, "a sent one can be saved"
    shot("paper-view-sent")
    press_named(app, "Back to the list", exact=True)
    expect(app, "New initiative")


def edit_and_delete(desktop):
    app = desktop.node
    test_sync.wait_enrolled(desktop)
    municipalities = region()["municipalities"]
    open_tab(app)

    # The server away: what is entered waits on this device.
    desktop.server.stop()
    second = initiative("Iltavastaanotto Sotkamoon", "email", 2, 3, municipalities[1])
    third = initiative("Tämä poistetaan", "paper", 1, 1, municipalities[0])
    enter(desktop.node, second)
    enter(desktop.node, third)
    second_uuid = local(desktop, second["title"])[0]
    third_uuid = local(desktop, third["title"])[0]
    expect(app, "Waiting to be sent")
    shot("paper-list-waiting")

    # Edited before it is sent: the same record, now with 30 signatories.
    press_named(app, "Edit “%s”" % second["title"], exact=True)
    expect(app, "Edit initiative")
    edited_title = "Iltavastaanotto Sotkamoon ja Kuhmoon"
    set_text(field(app, "Title"), edited_title)
    set_signatories(app, 30)
    save(app, edited_title)
    uuid, channel, received_on, signatories, synced = local(desktop, edited_title)
    assert uuid == second_uuid, "the edit made a new record"
    assert (channel, received_on, signatories, synced) == ("email", second["received_on"], 30, None)

    # Deleted before it is sent, after a confirmation.
    press_named(app, "Delete “%s”" % third["title"], exact=True)
    expect(app, "Delete this initiative?")
    shot("paper-delete-dialog")
    # The dialog's own buttons: libadwaita 1.2 names them twice ("Delete Delete").
    dialog = [w for w in app if w.getRoleName() == "dialog"]
    assert len(dialog) == 1, [w.name for w in app]
    buttons = [n for n in walk(dialog[0]) if n.getRoleName() == "push button" and n.name.split()[0] == "Delete"]
    assert buttons, "no Delete in the dialog"
    press(buttons[0])
    until("the deleted one gone from this device",
          lambda: rows(desktop.database, "SELECT count(*) FROM submissions WHERE uuid = ?", third_uuid) == [(0,)],
          timeout=20)
    expect(app, "The initiative was deleted.")
    assert not any(third["title"] in name for name in shown(app)), "the deleted one is still listed"

    # The server back: the edited version arrives, the deleted one never.
    desktop.server.start()
    # Sync now, on Device status: the failed tries have lengthened the wait.
    press_named(app, "Device status", roles=BUTTONS + ("page tab",), exact=True)
    press_named(app, "Sync now", exact=True)
    open_tab(app)
    record = until("the edited initiative on the server", lambda: on_server(desktop, second_uuid),
                   timeout=WAIT)[0]
    assert record["initiative"]["title"] == edited_title, record
    assert record["initiative"]["signatories"] == 30, record
    assert record["initiative"]["channel"] == "email", record
    assert record["initiative"]["received_on"] == second["received_on"], record
    until("nothing waiting", lambda: rows(desktop.database,
                                          "SELECT count(*) FROM submissions WHERE synced_at IS NULL") == [(0,)])
    assert on_server(desktop, third_uuid) == [], "the deleted initiative reached the server"
    assert len(desktop.server.records()) == 1, desktop.server.records()


def wrong_date(desktop):
    """A date in the future, or not a date: said next to the field, and
    nothing is saved."""
    app = desktop.node
    open_tab(app)
    press_named(app, "New initiative", exact=True)
    bad = initiative("Tulevaisuudesta", "paper", -3, 2, region()["municipalities"][0])
    fill(app, bad)
    press_named(app, "Save", exact=True)
    expect(app, "The date received cannot be later than today.")
    set_text(field(app, "Date received"), "1999-12-31")
    press_named(app, "Save", exact=True)
    expect(app, "The date received cannot be before the year 2000.")
    set_text(field(app, "Date received"), "eilen")
    press_named(app, "Save", exact=True)
    expect(app, "Write the date received with a four-digit year, in the form ")
    shot("paper-editor-wrong-date")
    assert rows(desktop.database, "SELECT count(*) FROM submissions") == [(0,)]
    focused = [n for n in walk(app) if n.getState().contains(pyatspi.STATE_FOCUSED)]
    assert focused and focused[0].name == "Date received", [n.name for n in focused]
    press_named(app, "Cancel", exact=True)
    expect(app, "New initiative")


CASES = [
    ("a paper initiative arrives with its channel, date and signatories", paper_travels, {}),
    ("edited before sync it arrives edited; deleted it never arrives", edit_and_delete, {}),
    ("a date received in the future or before 2000 is refused", wrong_date, {}),
]


def main():
    global BINARY, SHOTS
    BINARY, server, regions, SHOTS = sys.argv[1:5]
    test_sync.BINARY, test_sync.SERVER, test_sync.REGIONS, test_sync.SHOTS = BINARY, server, regions, SHOTS
    os.makedirs(SHOTS, exist_ok=True)
    run([(name, case, kwargs) for name, case, kwargs in CASES],
        lambda tmp, kwargs: Desktop(tmp), lambda desktop: desktop.stop())


if __name__ == "__main__":
    main()
