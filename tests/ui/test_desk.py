#!/usr/bin/python3
"""The region desk against the real server, as a screen reader sees it.

The real kuulolla-server on 127.0.0.1; two kiosks enrolled with it and
their answers posted over HTTP, as tests/test_server.py posts them; a staff
sign-in code made with `kuulolla-server admin staff add`; the real app
started with --desk, signed in through its sign-in page. Its figures must
equal what this test counts from the records it posted; a third kiosk's
answers appear after Refresh. The token is in the keyring (a
gnome-keyring-daemon this test starts on the private D-Bus, unlocked with a
test password) and in no file under the app's data, config or cache
folders. Sign out, a revoked sign-in and a wrong code each say so.

Usage: test_desk.py KUULOLLA_BINARY KUULOLLA_SERVER REGIONS_DIR SCREENSHOT_DIR
"""
import math
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from kuu_tap import run  # noqa: E402
import pyatspi  # noqa: E402
from kuu_atspi import find, find_app, key, press_named, screenshot, stop, tab_to, texts, wait_for  # noqa: E402
import test_server  # noqa: E402
from test_server import call, record  # noqa: E402

BINARY = None
SHOTS = None
KEYRING_HOME = None

# Two kiosks' answers to the goal "together" (Kainuu): 12 in Kajaani, 8 in
# Kuhmo; then 5 more from a third kiosk in Sotkamo.
KAJAANI = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0, 10, 9]
KUHMO = [9, 9, 9, 8, 5, 10, 10, 2]
SOTKAMO = [10, 10, 10, 10, 10]


def shot(name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        time.sleep(0.4)
        screenshot(os.path.join(SHOTS, name + ".png"))


def index_text(scores):
    """The desk's “+35 from 20 answers”: counted here from the raw scores."""
    n = len(scores)
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    index = (promoters - detractors) * 100.0 / n
    rounded = int(index + 0.5) if index >= 0 else -int(-index + 0.5)
    return "%s%d from %d answers" % ("+" if rounded >= 0 else "−", abs(rounded), n)


def margin_text(scores, mark="."):
    """The 95 % margin of the index (docs/architecture.md), as the desk writes it."""
    n = len(scores)
    p = sum(1 for s in scores if s >= 9) / n
    d = sum(1 for s in scores if s <= 6) / n
    variance = (p + d - (p - d) ** 2) * n / (n - 1)
    return "±" + ("%.1f" % (1.96 * math.sqrt(variance / n) * 100)).replace(".", mark)


def expect(app, *wanted, timeout=30):
    names, missing = wait_for(app, list(wanted), timeout)
    if missing:
        raise AssertionError("not shown: %s\nshown: %s" % (", ".join(missing), names[-60:]))
    return names


def gone(app, text, timeout=30):
    """Waits until no node shows text any more."""
    deadline = time.monotonic() + timeout
    while any(text in name for _, name in texts(app)):
        assert time.monotonic() < deadline, "still shown: " + text
        time.sleep(0.3)


def entry(app, name):
    node = find(app, name, roles=("text", "entry"), timeout=20)
    assert node is not None, "no field “%s”" % name
    return node


def field_text(node):
    text = node.queryText()
    return text.getText(0, text.characterCount)


def keyring_token(base):
    out = subprocess.run(["secret-tool", "lookup", "server", base], capture_output=True, text=True)
    return out.stdout.strip()


def files_holding(folders, secret):
    found = []
    for folder in folders:
        for root, _, names in os.walk(folder):
            for name in names:
                with open(os.path.join(root, name), "rb") as f:
                    if secret.encode() in f.read():
                        found.append(os.path.join(root, name))
    return found


def post(server, unit, scores):
    device = server.enrol("kainuu", unit)
    server.deliver(device["token"], [record(unit=unit, score=s) for s in scores])


class Desk:
    """The server with two kiosks' answers, and the desk in a home of its own."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.server = test_server.Server(tmp)
        self.proc = None
        self.dirs = {name: os.path.join(tmp, name) for name in ("data", "config", "cache")}

    def start(self, *args, language=""):
        env = dict(os.environ, XDG_DATA_HOME=self.dirs["data"], XDG_CONFIG_HOME=self.dirs["config"],
                   XDG_CACHE_HOME=self.dirs["cache"], LC_ALL="C.UTF-8", LANGUAGE=language)
        self.proc = subprocess.Popen([BINARY, "--desk", *args], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.app = find_app("kuulolla", proc=self.proc)
        assert self.app is not None, "the desk did not show: " + stop(self.proc)
        return self.app

    def code(self, role="viewer", name="Anna Virtanen", region="kainuu"):
        out = self.server.run_admin("staff", "add", "--region", region, "--name", name, "--role", role)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip(), out.stderr

    def sign_in(self, code):
        entry(self.app, "Sign-in code").queryEditableText().setTextContents(code)
        press_named(self.app, "Sign in", exact=True)

    def stop(self):
        output = stop(self.proc) if self.proc else ""
        return output + self.server.stop()


def sign_in_and_results(desk):
    post(desk.server, "Kajaani", KAJAANI)
    post(desk.server, "Kuhmo", KUHMO)
    code, _ = desk.code()
    app = desk.start("--server=" + desk.server.base)
    assert field_text(entry(app, "Server address")) == desk.server.base
    desk.sign_in(code)
    expect(app, "Anna Virtanen (viewer)", "Sign out")
    shot("desk-results")
    # The goal's figure over both kiosks, and each unit as the server ranks them.
    # Every record said 5 to "felt-safe": all of them agree.
    expect(app, "100.0 %% agree (4 or 5), mean 5.00, from %d answers" % len(KAJAANI + KUHMO))
    expect(app, index_text(KAJAANI + KUHMO) + ", " + margin_text(KAJAANI + KUHMO),
           "Kajaani: " + index_text(KAJAANI),
           "Kuhmo: 8 answers: too few for an index (at least 10 needed)")

    token = keyring_token(desk.server.base)
    assert len(token) >= 40, "the keyring holds no token for %s" % desk.server.base
    found = files_holding(desk.dirs.values(), token)
    assert not found, "the token is in a file: %s" % found
    status, _, me = call(desk.server.base, "GET", "/api/v1/staff/me", token=token)
    assert status == 200 and me["name"] == "Anna Virtanen", (status, me)

    post(desk.server, "Sotkamo", SOTKAMO)
    press_named(app, "Refresh", exact=True)
    expect(app, index_text(KAJAANI + KUHMO + SOTKAMO))

    press_named(app, "Sign out", exact=True)
    expect(app, "You are signed out.", "Sign in to the region desk")
    deadline = time.monotonic() + 20
    while keyring_token(desk.server.base) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert keyring_token(desk.server.base) == "", "the keyring still holds the token after sign-out"
    status, _, body = call(desk.server.base, "GET", "/api/v1/staff/me", token=token)
    assert status == 401 and body["error"] == "revoked", (status, body)


def started_signed_in(desk):
    """A second start finds the sign-in in the keyring: no code asked."""
    code, _ = desk.code()
    app = desk.start("--server=" + desk.server.base, "--sign-in-code=" + code)
    expect(app, "Anna Virtanen (viewer)")
    stop(desk.proc)
    app = desk.start()
    expect(app, "Anna Virtanen (viewer)", "Refresh")


def revoked(desk):
    code, err = desk.code()
    staff_id = err.split("staff id ")[1].split()[0]
    app = desk.start("--server=" + desk.server.base, "--sign-in-code=" + code)
    expect(app, "Anna Virtanen (viewer)")
    desk.server.admin("staff", "revoke", staff_id)
    press_named(app, "Refresh", exact=True)
    expect(app, "Your sign-in is no longer valid", "Sign in to the region desk")
    shot("desk-revoked")
    assert field_text(entry(app, "Server address")) == desk.server.base


def bad_code_and_unreachable(desk):
    app = desk.start("--server=" + desk.server.base)
    desk.sign_in("AAAA-BBBB-CCCC")
    expect(app, "The server did not accept the code")
    # Nothing typed is lost.
    assert field_text(entry(app, "Sign-in code")) == "AAAA-BBBB-CCCC"
    desk.server.stop()
    press_named(app, "Sign in", exact=True)
    expect(app, "could not be reached")
    assert field_text(entry(app, "Server address")) == desk.server.base
    assert field_text(entry(app, "Sign-in code")) == "AAAA-BBBB-CCCC"


def offline_and_finnish(desk):
    """The desk in Finnish writes a decimal comma; with the server gone it
    shows the figures it had, with their time and a banner."""
    post(desk.server, "Kajaani", KAJAANI)
    code, _ = desk.code()
    app = desk.start("--server=" + desk.server.base, "--sign-in-code=" + code, language="fi")
    expect(app, margin_text(KAJAANI, ","))
    desk.server.stop()
    stop(desk.proc)
    app = desk.start(language="fi")
    expect(app, margin_text(KAJAANI, ","))
    # “as of 8.12.2026 14.05”: the day and time it was fetched, written the Finnish way
    # (the banner's words are English until po/pending is taken into fi.po).
    when = time.localtime()
    day = "%d.%d.%d" % (when.tm_mday, when.tm_mon, when.tm_year)
    names, missing = wait_for(app, [day], 20)
    shot("desk-offline")
    assert not missing and any(("as of " + day) in name or ("ajalta " + day) in name for name in names), names


def save_through_chooser(app, path):
    """The save dialog (GTK's own here: no portal on the test's bus)."""
    name = entry(app, "Name")
    name.queryEditableText().setTextContents(path)
    # GTK 4.8 names a mnemonic button “_Save Save”.
    press_named(app, "Save", exact=False)
    deadline = time.monotonic() + 30
    while not (os.path.exists(path) and os.path.getsize(path) > 0) and time.monotonic() < deadline:
        time.sleep(0.2)
    expect(app, "The answers were saved in")
    with open(path, "rb") as f:
        return f.read()


def export(desk):
    """An admin saves the region's answers as CSV: semicolons and the BOM
    by default; contact columns only after the confirmation."""
    post(desk.server, "Kajaani", KAJAANI)
    post(desk.server, "Kuhmo", KUHMO)
    code, _ = desk.code(role="admin")
    app = desk.start("--server=" + desk.server.base, "--sign-in-code=" + code)
    expect(app, "Anna Virtanen (administrator)")
    press_named(app, "Export answers as CSV", exact=False)
    body = save_through_chooser(app, os.path.join(desk.tmp, "answers.csv"))
    assert body.startswith(b"\xef\xbb\xbf"), body[:20]
    lines = body.decode("utf-8-sig").splitlines()
    assert ";" in lines[0] and len(lines) == 1 + len(KAJAANI) + len(KUHMO), lines[:3]
    plain_columns = lines[0].split(";")
    assert not any("email" in c or "phone" in c for c in plain_columns), plain_columns

    # By keyboard: GTK 4.8 gives a check button no AT-SPI action.
    check = find(app, "Include contact details", roles=("check box",), exact=True)
    assert check is not None, "no contact details check box for an admin"
    tab_to(app, "Include contact details")
    key("space")
    assert check.getState().contains(pyatspi.STATE_CHECKED), "the check box did not turn on"
    press_named(app, "Export answers as CSV", exact=False)
    expect(app, "Export contact details?")
    press_named(app, "Export with contact details", exact=False)
    body = save_through_chooser(app, os.path.join(desk.tmp, "contacts.csv"))
    columns = body.decode("utf-8-sig").splitlines()[0].split(";")
    assert len(columns) > len(plain_columns) and any("email" in c for c in columns), columns
    audit = desk.server.admin("audit")
    assert "export" in audit, audit


def other_dates(desk):
    """Other dates, typed the Finnish way: a period without answers has no
    figures; one around them has."""
    post(desk.server, "Kajaani", KAJAANI)
    code, _ = desk.code()
    app = desk.start("--server=" + desk.server.base, "--sign-in-code=" + code)
    expect(app, index_text(KAJAANI))
    # The focus is on the drop-down's button, named by what it shows.
    # The drop-down's button is named by its label and what it shows.
    tab_to(app, "Dates: The last 12 months")
    key("space")
    for _ in range(4):
        key("Down")
    key("Return")
    since, until = entry(app, "From"), entry(app, "To")
    since.queryEditableText().setTextContents("1.1.2025")
    until.queryEditableText().setTextContents("31.1.2025")
    tab_to(app, "To")
    key("Return")
    gone(app, index_text(KAJAANI))
    today = time.localtime()
    until.queryEditableText().setTextContents("%d.%d.%d" % (today.tm_mday, today.tm_mon, today.tm_year))
    key("Return")
    expect(app, index_text(KAJAANI))
    # The server's own limit on a period, said with what to do.
    until.queryEditableText().setTextContents("31.12.2099")
    key("Return")
    expect(app, "The server did not take these filters")
    until.queryEditableText().setTextContents("31.13.2025")
    key("Return")
    expect(app, "Give the dates as 1.12.2026 or 2026-12-01")


def targets(desk):
    """Keski-Uusimaa's two targets, the index above 60 and 80 % who got the
    service they needed (a statement), each with the server's verdict."""
    device = desk.server.enrol("keski-uusimaa", "Hyvinkää")
    goal = {"kind": "goal", "id": "tyytyvaiset-asukkaat"}
    desk.server.deliver(device["token"], [
        record(region="keski-uusimaa", unit="Hyvinkää", topic=goal, score=10,
               answers=[{"statement": "got-needed-service", "answer": 5}]) for _ in range(20)])
    code, _ = desk.code(region="keski-uusimaa")
    app = desk.start("--server=" + desk.server.base, "--sign-in-code=" + code)
    expect(app, "The strategy’s targets",
           "Target: Recommendation index above 60 — met",
           "Target: At least 80% feel they got the service they needed — met")
    shot("desk-targets")


def personnel(desk):
    """Personnel: the eNPS and workplace functioning from Kotka's 12; the
    3 in Hamina are a group under 5 and appear nowhere."""
    for unit, n in (("Kotka", 12), ("Hamina", 3)):
        device = desk.server.enrol("kymenlaakso", unit)
        desk.server.deliver(device["token"], [
            record(region="kymenlaakso", unit=unit, audience="personnel", text=None,
                   topic={"kind": "goal", "id": "personnel"}, score=9,
                   answers=[{"statement": "functioning", "answer": 4}]) for _ in range(n)])
    code, _ = desk.code(region="kymenlaakso")
    app = desk.start("--server=" + desk.server.base, "--sign-in-code=" + code)
    expect(app, "Anna Virtanen (viewer)", "Refresh")
    tab_to(app, "Who answered: Residents")
    key("space")
    key("Down")
    key("Return")
    expect(app, "Workplace functioning (1–5)", "+100 from 12 answers",
           "100.0 %% agree (4 or 5), mean 4.00, from 12 answers" % ())
    shot("desk-personnel")
    shown = [name for _, name in texts(app)]
    assert not any("Hamina" in name for name in shown), [n for n in shown if "Hamina" in n]


def change(desk):
    """The change since the previous period of the same length, called real
    because it is beyond the margin: 20 tens last month, 20 zeros in the
    three months before."""
    device = desk.server.enrol("kainuu", "Kajaani")
    desk.server.deliver(device["token"],
                        [record(unit="Kajaani", score=10) for _ in range(20)] +
                        [record(unit="Kajaani", score=0, created_at=test_server.month(9) + "-15T10:00:00Z")
                         for _ in range(20)])
    code, _ = desk.code()
    app = desk.start("--server=" + desk.server.base, "--sign-in-code=" + code)
    expect(app, "Anna Virtanen (viewer)", "Refresh")
    tab_to(app, "Dates: The last 12 months")
    key("space")
    key("Down")
    key("Down")
    key("Return")
    expect(app, "+100 from 20 answers", "Change since the previous period: +200.0 (±0.0) — a real change")


def start_keyring():
    """gnome-keyring-daemon on this test's private session bus, its login
    keyring made and unlocked with a test password."""
    env = dict(os.environ, XDG_DATA_HOME=KEYRING_HOME)
    os.makedirs(KEYRING_HOME, exist_ok=True)
    out = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize"],
                         input="test-password", capture_output=True, text=True, env=env, timeout=30)
    assert out.returncode == 0, out.stderr
    for line in out.stdout.splitlines():
        if line.startswith("GNOME_KEYRING_CONTROL="):
            os.environ["GNOME_KEYRING_CONTROL"] = line.split("=", 1)[1]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        probe = subprocess.run(["secret-tool", "store", "--label=probe", "kuulolla-probe", "1"],
                               input="x", capture_output=True, text=True)
        if probe.returncode == 0:
            subprocess.run(["secret-tool", "clear", "kuulolla-probe", "1"])
            return
        time.sleep(0.3)
    raise AssertionError("the test keyring never answered: " + probe.stderr)


def main():
    global BINARY, SHOTS, KEYRING_HOME
    BINARY = sys.argv[1]
    test_server.SERVER = sys.argv[2]
    SHOTS = sys.argv[4] if len(sys.argv) > 4 else None
    import tempfile
    keyring_tmp = tempfile.TemporaryDirectory()
    KEYRING_HOME = keyring_tmp.name
    start_keyring()
    cases = [
        ("sign in, the region's figures, a third kiosk after Refresh, sign out", sign_in_and_results),
        ("a second start is signed in from the keyring", started_signed_in),
        ("a revoked sign-in says so and returns to sign-in", revoked),
        ("a wrong code and an unreachable server say what to do, keep what was typed",
         bad_code_and_unreachable),
        ("in Finnish a decimal comma; offline, the last figures with their time", offline_and_finnish),
        ("an admin exports the answers as CSV, contacts after the confirmation", export),
        ("other dates typed as 1.1.2025", other_dates),
        ("Keski-Uusimaa's targets, the statement-based one too, with verdicts", targets),
        ("personnel: eNPS and workplace functioning, a group under 5 nowhere", personnel),
        ("the change since the previous period, real beyond the margin", change),
    ]
    run(cases, Desk, Desk.stop)


if __name__ == "__main__":
    main()
