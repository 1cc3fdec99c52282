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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kuu_atspi import find, find_app, press, screenshot, texts, wait_for  # noqa: E402

REGIONS = ["kainuu", "keski-suomi", "keski-uusimaa", "kymenlaakso"]


def switch_language(app, data, button_name, lang, shots, region):
    """Press a language button as a screen reader would; everything on the
    page, strategy texts and interface strings alike, follows."""
    failures = []
    button = find(app, button_name)
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
            app = find_app("kuulolla", proc=proc)
            if app is None:
                failures.append("the app did not appear on the AT-SPI bus")
            else:
                names, missing = wait_for(app, wanted)
                failures += ["not shown: " + m for m in missing]
                if not any(role == "heading" for role, _ in texts(app)):
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
            # meson's log of a TAP test shows stderr only: say it there too
            print("welcome screen of %s: %s" % (region, failure), file=sys.stderr)
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
