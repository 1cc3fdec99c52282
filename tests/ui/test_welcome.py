#!/usr/bin/python3
"""The first screen as a screen reader sees it: for each bundled region,
start the real app, find it on the AT-SPI bus and check that its vision,
mission and every goal are there, in the region's default language.
Saves a screenshot of each into the screenshots folder.

Usage: test_welcome.py KUULOLLA_BINARY REGIONS_DIR SCREENSHOT_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import pyatspi

REGIONS = ["kainuu", "keski-suomi", "keski-uusimaa", "kymenlaakso"]


def find_app(name, timeout=30):
    desktop = pyatspi.Registry.getDesktop(0)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for app in desktop:
            if app is not None and app.name == name:
                return app
        time.sleep(0.2)
    return None


def texts(node, out, depth=0):
    if node is None or depth > 60:
        return out
    try:
        if node.name:
            out.append((node.getRoleName(), node.name))
        for child in node:
            texts(child, out, depth + 1)
    except Exception:  # a node gone while walking: the tree is re-read next time
        pass
    return out


def wait_for(app, wanted, timeout=20):
    """Returns (names, missing) once every wanted text shows, or at timeout."""
    deadline = time.monotonic() + timeout
    while True:
        names = [name for _, name in texts(app, [])]
        missing = [w for w in wanted if not any(w in name for name in names)]
        if not missing or time.monotonic() > deadline:
            return names, missing
        time.sleep(0.3)


def find_button(app, name):
    def walk(node, depth=0):
        if node is None or depth > 60:
            return None
        try:
            if node.getRoleName() in ("toggle button", "push button") and name in (node.name or ""):
                return node
            for child in node:
                found = walk(child, depth + 1)
                if found is not None:
                    return found
        except Exception:
            pass
        return None
    return walk(app)


def press(button):
    action = button.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate"):
            action.doAction(i)
            return True
    return False


def switch_language(app, data, button_name, lang, shots, region):
    """Press a language button as a screen reader would; everything on the
    page, strategy texts and interface strings alike, follows."""
    failures = []
    button = find_button(app, button_name)
    if button is None or not press(button):
        return ["no %s button to press" % button_name]
    wanted = [data["vision"][lang], data["mission"][lang]]
    wanted += [goal["title"][lang] for goal in data["goals"]]
    names, missing = wait_for(app, wanted)
    failures += ["after %s, not shown: %s" % (button_name, m) for m in missing]
    stale = [data["vision"][data["default_language"]]]
    if any(stale[0] == n for n in names) and stale[0] != data["vision"][lang]:
        failures.append("after %s, the %s vision is still shown" % (button_name, data["default_language"]))
    if shots:
        time.sleep(0.5)
        screenshot(os.path.join(shots, "welcome-%s-%s.png" % (region, lang)))
    return failures


def screenshot(path):
    xwd = subprocess.run(["xwd", "-root", "-silent"], capture_output=True, check=True)
    subprocess.run(["convert", "xwd:-", path], input=xwd.stdout, check=True)


def check_region(binary, regions_dir, shots, region, number):
    with open(os.path.join(regions_dir, region + ".json"), encoding="utf-8") as f:
        data = json.load(f)
    lang = data["default_language"]
    wanted = [data["vision"][lang], data["mission"][lang]]
    wanted += [goal["title"][lang] for goal in data["goals"]]
    wanted += [goal["summary"][lang] for goal in data["goals"]]

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_DATA_HOME=tmp)
        proc = subprocess.Popen(
            [binary, "--region", region, "--database", os.path.join(tmp, "k.db"),
             "--unit", "Testi", "--kiosk"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            app = find_app("kuulolla")
            if app is None:
                failures.append("the app did not appear on the AT-SPI bus")
            else:
                names, missing = wait_for(app, wanted)
                failures += ["not shown: " + m for m in missing]
                if not any(role == "heading" for role, _ in texts(app, [])):
                    failures.append("no heading for a screen reader to jump to")
                time.sleep(0.5)
                if shots:
                    screenshot(os.path.join(shots, "welcome-%s.png" % region))
                if region == "kymenlaakso":
                    failures += switch_language(app, data, "Svenska", "sv", shots, region)
                    failures += switch_language(app, data, "English", "en", shots, region)
        finally:
            proc.terminate()
            try:
                output = proc.communicate(timeout=10)[0].decode(errors="replace")
            except subprocess.TimeoutExpired:
                proc.kill()
                output = proc.communicate()[0].decode(errors="replace")
    if failures and output.strip():
        failures.append("app output:\n# " + output.strip().replace("\n", "\n# "))

    if failures:
        print("not ok %d - welcome screen of %s" % (number, region))
        for failure in failures:
            print("# " + failure)
        return False
    print("ok %d - welcome screen of %s" % (number, region))
    return True


def main():
    binary, regions_dir, shots = sys.argv[1:4]
    os.makedirs(shots, exist_ok=True)
    print("1..%d" % len(REGIONS))
    ok = True
    for number, region in enumerate(REGIONS, 1):
        ok &= check_region(binary, regions_dir, shots, region, number)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
