"""Helpers for driving Kuulolla over AT-SPI, the way a screen reader does."""
import os
import subprocess
import time

import pyatspi


def find_app(name, timeout=90, proc=None):
    """The app called name on the AT-SPI bus, or None. Generous: on a loaded
    two-core machine a cold start under Xvfb has taken over 30 s. Gives up
    at once if proc, the app's process, has ended."""
    desktop = pyatspi.Registry.getDesktop(0)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for app in desktop:
            if app is not None and app.name == name:
                return app
        if proc is not None and proc.poll() is not None:
            return None
        time.sleep(0.2)
    return None


def walk(node, depth=0):
    """Yields every node under node that is visible. GTK 4.8 does not set
    SHOWING below the window; the app keeps only the page on screen."""
    if node is None or depth > 80:
        return
    try:
        states = node.getState()
        if depth > 1 and not states.contains(pyatspi.STATE_VISIBLE):
            return
        yield node
        for child in node:
            yield from walk(child, depth + 1)
    except Exception:  # a node gone while walking: the tree is re-read next time
        return


def texts(app):
    """(role, name) of every showing node, plus the text of text nodes."""
    out = []
    for node in walk(app):
        try:
            if node.name:
                out.append((node.getRoleName(), node.name))
            if node.getRoleName() in ("text", "entry", "label"):
                text = node.queryText()
                content = text.getText(0, text.characterCount)
                if content:
                    out.append((node.getRoleName(), content))
        except Exception:
            pass
    return out


# A walk that meets a page being taken down (a crossfade) can wait about
# 10 s for AT-SPI to give up on its gone nodes: seen at the recommend
# flow's last step, with the app of this session and of the one before.
# The time a walk took beyond this is not counted against a wait: the
# page was there all along, the walk could not see it yet.
SLOW_WALK = 2.0


def wait_for(app, wanted, timeout=20):
    """Returns (names, missing) once every wanted text shows, or at timeout."""
    deadline = time.monotonic() + timeout
    while True:
        started = time.monotonic()
        names = [name for _, name in texts(app)]
        missing = [w for w in wanted if not any(w in name for name in names)]
        deadline += max(0.0, time.monotonic() - started - SLOW_WALK)
        if not missing or time.monotonic() > deadline:
            return names, missing
        time.sleep(0.3)


def find(app, name, roles=("push button", "toggle button"), exact=False, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        started = time.monotonic()
        for node in walk(app):
            try:
                if node.getRoleName() in roles:
                    label = node.name or ""
                    if (label == name) if exact else (name in label):
                        return node
            except Exception:
                pass
        deadline += max(0.0, time.monotonic() - started - SLOW_WALK)
        if time.monotonic() > deadline:
            return None
        time.sleep(0.3)


def press(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate", "toggle"):
            action.doAction(i)
            return True
    return False


def press_named(app, name, **kwargs):
    node = find(app, name, **kwargs)
    if node is None:
        raise AssertionError("no “%s” to press" % name)
    if not press(node):
        raise AssertionError("“%s” cannot be pressed" % name)
    return node


def type_into(node, text):
    """Adds text at the end of what the field holds."""
    editable = node.queryEditableText()
    end = node.queryText().characterCount
    editable.insertText(end, text, len(text.encode("utf-8")))


def set_text(node, text):
    node.queryEditableText().setTextContents(text)


def screenshot(path):
    xwd = subprocess.run(["xwd", "-root", "-silent"], capture_output=True, check=True)
    subprocess.run(["convert", "xwd:-", path], input=xwd.stdout, check=True)


class App:
    """The real app in a temporary home, stopped on exit."""

    def __init__(self, binary, tmp, *args):
        env = dict(os.environ, XDG_DATA_HOME=tmp)
        self.database = os.path.join(tmp, "k.db")
        self.proc = subprocess.Popen(
            [binary, "--database", self.database, "--unit", "Testi", *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.node = find_app("kuulolla", proc=self.proc)
        self.output = ""

    def stop(self):
        self.output = stop(self.proc)
        return self.output


def stop(proc):
    """Ends the app (SIGTERM, then SIGKILL after 10 s); returns its output."""
    proc.terminate()
    try:
        return proc.communicate(timeout=10)[0].decode(errors="replace")
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[0].decode(errors="replace")


KEYSYMS = {"Tab": 0xff09, "Return": 0xff0d, "Escape": 0xff1b, "Down": 0xff54,
           "BackSpace": 0xff08, "space": 0x20}


def key(name):
    """Presses and releases a key, as a keyboard user would. A name from
    KEYSYMS, or one Latin-1 character."""
    keysym = KEYSYMS[name] if name in KEYSYMS else ord(name)
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    time.sleep(0.15)


def focused(app):
    for node in walk(app):
        try:
            if node.getState().contains(pyatspi.STATE_FOCUSED):
                return node
        except Exception:
            pass
    return None


def tab_to(app, name, limit=80):
    """Moves the focus with Tab alone until it is on the control called name."""
    for _ in range(limit):
        node = focused(app)
        if node is not None and (node.name or "").startswith(name):
            return node
        key("Tab")
    raise AssertionError("Tab never reached “%s”" % name)


def set_pin(binary, database, pin):
    """The staff PIN, set as the region's IT sets it: kuulolla --set-pin,
    here with the PIN on stdin instead of a terminal."""
    p = subprocess.run([binary, "--set-pin", "--database", database], input="%s\n%s\n" % (pin, pin),
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError("kuulolla --set-pin failed: " + p.stdout + p.stderr)


def five_taps(app, name, until=None, tries=3):
    """The staff gesture: five quick taps on the label showing name; on a
    desktop the header bar's title shows it too, the page's comes last.
    With until (texts), taps again until they show, as staff would: the
    taps count as one gesture only within GTK's double-click time (400 ms
    between presses), which a test process descheduled on a loaded
    machine can miss (atspi-sync failed so once at load 5)."""
    for attempt in range(tries if until else 1):
        find(app, name, roles=("label",), exact=True)  # waits for one to show
        labels = [n for n in walk(app) if n.getRoleName() == "label" and n.name == name]
        assert labels, "no label “%s” to tap" % name
        label = labels[-1]
        box = label.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        x, y = box.x + box.width // 2, box.y + box.height // 2
        for _ in range(5):
            pyatspi.Registry.generateMouseEvent(x, y, "b1c")
            time.sleep(0.08)
        if until and not wait_for(app, list(until), 10)[1]:
            return
    if until:
        raise AssertionError("five taps on “%s” did not show %s (%d tries)" % (name, ", ".join(until), tries))


def enter_pin(app, pin, ok_name="OK, open staff mode"):
    """Presses the PIN page's keys, digit by digit, then OK. A button
    pressed by its accessible action shows pressed for 250 ms and ignores
    a second press meanwhile: a person's pace, not a script's."""
    for digit in pin:
        press_named(app, digit, exact=True)
        time.sleep(0.3)
    press_named(app, ok_name, exact=True)


def open_staff_tab(app, title):
    """Shows one of staff mode's tabs (AdwViewSwitcher's buttons), as a
    person pressing it does."""
    press_named(app, title, roles=("push button", "toggle button", "page tab", "radio button"), exact=True)
