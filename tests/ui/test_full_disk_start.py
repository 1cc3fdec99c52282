#!/usr/bin/python3
"""A kiosk started on a full disk: the window tells staff why it cannot
open its database and that it keeps trying; once space is freed it starts
by itself (nobody restarts it), nothing saved before is lost, and a
resident's feedback is saved.

The database is on a real 4 MiB tmpfs, closed cleanly and then filled to
the last block, in a mount namespace of this test's own. Mounting needs
root (CI is root); otherwise the test skips, saying why.

Usage: test_full_disk_start.py KUULOLLA_BINARY REGIONS_DIR SCREENSHOT_DIR
"""
import ctypes
import errno
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kuu_atspi import find, find_app, press_named, screenshot, set_pin, stop, type_into, wait_for  # noqa: E402

BINARY, REGIONS, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]
CLONE_NEWNS = 0x00020000
TYPED = "Levyn täytyttyä kioski heräsi itsestään. åäö"


def isolate():
    """A mount namespace of our own, inherited by the app; None or why not."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        return "cannot make a mount namespace (%s): needs root or CAP_SYS_ADMIN" % \
            os.strerror(ctypes.get_errno())
    subprocess.run(["mount", "--make-rprivate", "/"], check=True)
    return None


def fill(path):
    """Writes until the filesystem refuses, down to the last byte."""
    with open(path, "wb", buffering=0) as f:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            while True:
                try:
                    f.write(b"\0" * size)
                except OSError as e:
                    if e.errno != errno.ENOSPC:
                        raise
                    break


def rows(database, sql):
    db = sqlite3.connect(database)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def main():
    print("1..1")
    why_not = isolate()
    if why_not:
        print("ok 1 # SKIP " + why_not)
        return 0
    failure = None
    output = ""
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "small")
        os.mkdir(small)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", small], check=True)
        database = os.path.join(small, "k.db")
        filler = os.path.join(small, "filler")
        proc = None
        try:
            # Made and closed cleanly, as after a normal stop: a staff PIN in it.
            set_pin(BINARY, database, "2468")
            fill(filler)
            env = dict(os.environ, XDG_DATA_HOME=tmp, KUULOLLA_REGIONS_DIR=REGIONS, LANGUAGE="en",
                       LC_ALL="C.UTF-8")
            proc = subprocess.Popen([BINARY, "--region", "kainuu", "--database", database,
                                     "--unit", "Testi", "--kiosk"],
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            app = find_app("kuulolla", proc=proc)
            assert app is not None, "the app did not appear on the AT-SPI bus"
            _, missing = wait_for(app, ["Kuulolla cannot open its database"])
            assert not missing, "no error page on a full disk"
            names, _ = wait_for(app, [])
            description = " ".join(names)
            assert "disk is full" in description, "the page does not say the disk is full: %s" % names
            assert "tries again" in description, "the page does not say it keeps trying: %s" % names
            if SHOTS:
                os.makedirs(SHOTS, exist_ok=True)
                time.sleep(0.5)
                screenshot(os.path.join(SHOTS, "full-disk-start.png"))
            time.sleep(6)  # a try or more while still full: still the error, no crash
            assert proc.poll() is None, "the app ended while the disk was full"
            _, missing = wait_for(app, ["Kuulolla cannot open its database"], timeout=2)
            assert not missing, "the error page went away while the disk was still full"

            # Staff free space; nobody touches the kiosk.
            os.unlink(filler)
            _, missing = wait_for(app, ["English"], timeout=30)
            assert not missing, "the kiosk did not start by itself once space was freed"
            press_named(app, "English")
            _, missing = wait_for(app, ["What would you like to do?"])
            assert not missing, "no start page in English"
            press_named(app, "Give feedback", exact=True)
            type_into(find(app, "Your feedback", roles=("text", "entry"), exact=True), TYPED)
            press_named(app, "Send", exact=True)
            _, missing = wait_for(app, ["Thank you!"])
            assert not missing, "no thanks after sending"
        except Exception:
            import traceback
            failure = traceback.format_exc()
        finally:
            if proc is not None:
                output = stop(proc)
        if failure is None:
            try:
                assert rows(database, "SELECT body FROM feedback") == [(TYPED,)], "the feedback was not saved"
                assert rows(database, "SELECT count(*) FROM staff_pin") == [(1,)], "the PIN saved before is gone"
                assert rows(database, "PRAGMA integrity_check") == [("ok",)]
            except Exception:
                import traceback
                failure = traceback.format_exc()
        subprocess.run(["umount", "-l", small])
    if failure:
        text = (failure + output).strip()
        print("not ok 1 - full disk at start, then space freed")
        print("# " + text.replace("\n", "\n# "))
        print(text, file=sys.stderr)
        return 1
    print("ok 1 - full disk at start: said so, kept trying, started by itself once space was freed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
