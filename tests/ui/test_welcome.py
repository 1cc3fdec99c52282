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
