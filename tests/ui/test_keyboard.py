#!/usr/bin/python3
"""The on-screen keyboard never covers what the resident types into: every
text field of every resident flow is focused with a tap, as a resident
does, and its extents (and those of its counter or error message) are read
over AT-SPI: they must lie wholly above the keyboard's top and below the
top of the page's scrolled area. In Finnish and Swedish, at normal and
larger text; run at two screen sizes (KUU_XVFB_SCREEN, tests/meson.build).

Usage: test_keyboard.py KUULOLLA_BINARY REGIONS_DIR SCREENSHOT_DIR
"""
import os
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kuu_tap import run  # noqa: E402
from kuu_atspi import (App, find, focused, press_named, screenshot, set_text, wait_for,  # noqa: E402
                       walk)
from test_kiosk import LANGUAGE_BUTTONS, T, region  # noqa: E402

BINARY = None
SHOTS = None
SCREEN = os.environ.get("KUU_XVFB_SCREEN", "1280x860")


def box(node):
    """Window coordinates: the kiosk's window fills the screen from 0,0.
    (GTK on X warns on stderr for every desktop-coordinate query, and
    enough of those fill the app's output pipe and stall it.)"""
    e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return e.x, e.y, e.width, e.height


def keyboard_top(app):
    node = find(app, "On-screen keyboard", roles=("panel", "grouping", "filler"), exact=True, timeout=10)
    if node is None:
        for candidate in walk(app):
            if candidate.name in (T("fi")("On-screen keyboard"), T("sv")("On-screen keyboard")):
                node = candidate
    assert node is not None, "no on-screen keyboard shown"
    return box(node)[1]


def page_pane(node):
    """The outermost scrolled area holding node: what the page scrolls in."""
    pane = None
    parent = node.parent
    while parent is not None:
        try:
            if parent.getRoleName() == "scroll pane":
                pane = parent
        except Exception:
            break
        parent = parent.parent
    return pane


def messages_of(app, field_node):
    """The counter or error labels just under the field (within 64 px),
    wherever the page has scrolled them."""
    fx, fy, fw, fh = box(field_node)
    found = []
    for node in walk(app):
        try:
            # Its own messages: an error (an alert) or a text area's counter.
            role = node.getRoleName()
            if not node.name or not (role == "alert" or (role == "label" and " / " in node.name)):
                continue
            x, y, w, h = box(node)
        except Exception:
            continue
        if fy + fh <= y <= fy + fh + 64 and x < fx + fw and x + w > fx:
            found.append(node)
    return found


def tap_field(app, field_node):
    """A tap on the part of the field that shows, the page first scrolled
    (a mouse wheel, as a swipe) until some of it does."""
    pane = page_pane(field_node)
    px, py, pw, ph = box(pane) if pane is not None else (0, 0, 10000, 10000)
    for _ in range(40):
        x, y, w, h = box(field_node)
        top, bottom = max(y, py), min(y + h, py + ph)
        if bottom - top >= 16:
            break
        # Buttons 4 and 5 are the wheel's up and down; at the page's edge, not
        # over a text area, which would scroll its own text.
        pyatspi.Registry.generateMouseEvent(max(px, 0) + 10, py + ph // 2, "b5c" if y > py else "b4c")
        time.sleep(0.15)
    else:
        raise AssertionError("“%s” never scrolled into view to tap (%s in %s)"
                             % (field_node.name, box(field_node), (px, py, pw, ph)))
    pyatspi.Registry.generateMouseEvent(x + w // 2, (top + bottom) // 2, "b1c")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        node = focused(app)
        if node is not None and node.name == field_node.name:
            return
        time.sleep(0.2)
    raise AssertionError("a tap on “%s” did not focus it" % field_node.name)


def settled_boxes(app, field_node):
    """The field's box and its messages' boxes once they stop moving (the
    page scrolls after the keyboard shows)."""
    last = None
    error = None
    for _ in range(50):
        try:
            now = (box(field_node), [box(m) for m in messages_of(app, field_node)], keyboard_top(app))
        except Exception as e:  # a node gone, or the app busy laying out: read again
            error = e
            time.sleep(0.5)
            continue
        if now == last:
            return now
        last = now
        time.sleep(0.2)
    if last is None:
        raise AssertionError("could not read the boxes: %s" % error)
    return last


def check_field(app, name, label):
    node = find(app, name, roles=("text", "entry"), exact=True)
    assert node is not None, "no text field “%s”" % name
    tap_field(app, node)
    (x, y, w, h), messages, kb_top = settled_boxes(app, node)
    pane = page_pane(node)
    pane_top = box(pane)[1] if pane is not None else 0
    problems = []
    if y + h > kb_top:
        problems.append("%s: “%s” ends at %d, under the keyboard (top %d)" % (label, name, y + h, kb_top))
    if y < pane_top:
        problems.append("%s: “%s” starts at %d, above the page's top %d" % (label, name, y, pane_top))
    for mx, my, mw, mh in messages:
        if my + mh > kb_top:
            problems.append("%s: the message under “%s” ends at %d, under the keyboard (top %d)"
                            % (label, name, my + mh, kb_top))
    if not messages and h > 100:  # a text area, which always has a counter
        problems.append("%s: no counter found under “%s”" % (label, name))
    return problems


def switch(app, lang, large):
    press_named(app, LANGUAGE_BUTTONS[lang])
    _ = T(lang)
    names, missing = wait_for(app, [_("What would you like to do?")])
    assert not missing, missing
    if large:
        press_named(app, _("Larger text"))
        time.sleep(0.5)


def shot(name):
    if SHOTS:
        time.sleep(0.3)
        screenshot(os.path.join(SHOTS, "keyboard-%s-%s.png" % (SCREEN, name)))


def feedback(app, lang, large):
    _ = T(lang)
    label = "%s%s feedback" % (lang, " larger" if large else "")
    switch(app, lang, large)
    press_named(app, _("Give feedback"), exact=True)
    wait_for(app, [_("Tell us what you think")])
    press_named(app, _("I would like a reply"))
    # Every field's error shows: each must stay above the keyboard too.
    press_named(app, _("Send"), exact=True)
    wait_for(app, [_("Please write your feedback first.")])
    problems = check_field(app, _("Your feedback"), label)
    shot("%s-feedback-text" % label.replace(" ", "-"))
    # Longer text: the area grows, its counter must still show.
    set_text(find(app, _("Your feedback"), roles=("text",), exact=True), "Hyvä palvelu. " * 40)
    problems += check_field(app, _("Your feedback"), label + " (longer text)")
    for name in (_("Your name"), _("E-mail address"), _("Phone number")):
        problems += check_field(app, name, label)
        shot("%s-%s" % (label.replace(" ", "-"), name.replace(" ", "-")))
    assert not problems, "\n".join(problems)


def initiative(app, lang, large):
    _ = T(lang)
    label = "%s%s initiative" % (lang, " larger" if large else "")
    switch(app, lang, large)
    press_named(app, _("Make an initiative"), exact=True)
    wait_for(app, [_("Propose a change to the region")])
    press_named(app, _("Send"), exact=True)
    wait_for(app, [_("Please give your initiative a title.")])
    problems = []
    for name in (_("Title of the initiative"), _("What do you propose, and why?"), _("Your name"),
                 _("E-mail address"), _("Phone number")):
        problems += check_field(app, name, label)
        shot("%s-%s" % (label.replace(" ", "-"), name.replace(" ", "-")[:20]))
    assert not problems, "\n".join(problems)


def recommend(app, lang, large):
    _ = T(lang)
    data = region("kymenlaakso")
    label = "%s%s recommend" % (lang, " larger" if large else "")
    switch(app, lang, large)
    press_named(app, _("Recommend"), exact=True)
    press_named(app, data["service_areas"][0]["name"][lang], exact=True)
    press_named(app, "8", exact=True)
    press_named(app, _("Next"), exact=True)
    problems = check_field(app, data["survey"]["why_prompt"][lang], label)
    shot(label.replace(" ", "-"))
    assert not problems, "\n".join(problems)


CASES = [
    ("feedback in Finnish", lambda a: feedback(a, "fi", False)),
    ("feedback in Swedish, larger text", lambda a: feedback(a, "sv", True)),
    ("feedback in Finnish, larger text", lambda a: feedback(a, "fi", True)),
    ("initiative in Swedish", lambda a: initiative(a, "sv", False)),
    ("initiative in Finnish, larger text", lambda a: initiative(a, "fi", True)),
    ("initiative in Swedish, larger text", lambda a: initiative(a, "sv", True)),
    ("recommend's why in Finnish", lambda a: recommend(a, "fi", False)),
    ("recommend's why in Swedish, larger text", lambda a: recommend(a, "sv", True)),
]


# Each case takes one to two minutes (every field is tapped and filled to
# its limit through AT-SPI), so the suite runs a part of the matrix at each
# screen size, the hardest first: KUU_KEYBOARD_CASES names the cases by
# their number in CASES (from 1, comma-separated); unset, all of them run.
def chosen(cases):
    wanted = os.environ.get("KUU_KEYBOARD_CASES")
    if not wanted:
        return cases
    return [cases[int(n) - 1] for n in wanted.split(",")]


def start_app(tmp):
    app = App(BINARY, tmp, "--region", "kymenlaakso", "--kiosk")
    if app.node is None:
        app.stop()
        raise AssertionError("the app did not appear on the AT-SPI bus")
    return app


def main():
    global BINARY, SHOTS
    BINARY, _regions, SHOTS = sys.argv[1:4]
    import test_kiosk
    test_kiosk.REGIONS = _regions
    os.makedirs(SHOTS, exist_ok=True)
    run([(SCREEN + ": " + name, lambda app, case=case: case(app.node)) for name, case in chosen(CASES)],
        start_app, lambda app: app.stop())


if __name__ == "__main__":
    main()
