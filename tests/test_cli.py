#!/usr/bin/python3
"""The command line: bad options and bad region files end with a clear
message and exit status 2; --version and --check answer without a window.

Usage: test_cli.py KUULOLLA_BINARY
"""
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1]
results = []


def run(*args, stdin=None):
    env = dict(os.environ, DISPLAY="", WAYLAND_DISPLAY="")
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=60,
                          input=stdin if stdin is not None else "")


def pin_is(database, pin):
    """Whether pin is the staff PIN now (one must be set): --set-pin
    changes it only with the current one, so a change to itself says so."""
    p = run("--set-pin", "--database", database, stdin="%s\n%s\n%s\n" % (pin, pin, pin))
    return p.returncode == 0


def check(name, ok, detail=""):
    results.append((name, ok, detail))


p = run("--version")
check("--version prints the version", p.returncode == 0 and p.stdout.startswith("kuulolla "), p.stdout + p.stderr)

p = run("--no-such-option")
check("an unknown option exits 2", p.returncode == 2 and "no-such-option" in p.stderr, p.stderr)

p = run("stray-argument")
check("a stray argument exits 2", p.returncode == 2 and "stray-argument" in p.stderr, p.stderr)

p = run("--sign-in-code=ABCD-EFGH-JKLM")
check("--sign-in-code without --desk exits 2", p.returncode == 2 and "--desk" in p.stderr, p.stderr)

p = run("--desk", "--server=ftp://kuulolla.example.fi")
check("--desk with a server that is not http(s) exits 2", p.returncode == 2 and "ftp://" in p.stderr, p.stderr)

p = run("--region=lappi", "--check")
check("an unknown region exits 2 and lists the known ones",
      p.returncode == 2 and "lappi" in p.stderr and "kymenlaakso" in p.stderr, p.stderr)

for region in ["kainuu", "keski-suomi", "keski-uusimaa", "kymenlaakso"]:
    p = run("--region", region, "--check")
    check("--check accepts " + region, p.returncode == 0 and region in p.stdout, p.stdout + p.stderr)

with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "broken.json")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('{"format": 1, "id": "broken", "name": {"fi": "Rikki"}}')
    p = run("--region", bad, "--check")
    check("a broken region file exits 2 naming file and field",
          p.returncode == 2 and "broken.json" in p.stderr and "name" in p.stderr, p.stderr)

    missing = os.path.join(tmp, "missing.json")
    p = run("--region", missing)
    check("a missing region file exits 2", p.returncode == 2 and "missing.json" in p.stderr, p.stderr)

with tempfile.TemporaryDirectory() as tmp:
    database = os.path.join(tmp, "sub", "kiosk.db")
    p = run("--set-pin", "--database", database, stdin="1234\n4321\n")
    check("--set-pin refuses two different PINs with status 1",
          p.returncode == 1 and "differ" in p.stderr, p.stdout + p.stderr)

    p = run("--set-pin", "--database", database, stdin="12ab\n12ab\n")
    check("--set-pin refuses a PIN that is not 4 to 12 digits", p.returncode == 1 and "digits" in p.stderr,
          p.stdout + p.stderr)

    p = run("--set-pin", "--database", database, stdin="2468\n2468\n")
    # "is set", not "is changed": nothing before set one
    check("--set-pin sets the first PIN from stdin, in the database given",
          p.returncode == 0 and "is set" in p.stdout and "2468" not in p.stdout + p.stderr, p.stdout + p.stderr)

    p = run("--set-pin", "--database", database, stdin="1357\n1357\n1357\n")
    check("--set-pin with a PIN set needs the current one: a wrong one is refused with status 1",
          p.returncode == 1 and "wrong" in p.stderr.lower(), p.stdout + p.stderr)

    p = run("--set-pin", "--database", database, stdin="2468\n97531\n97531\n")
    check("--set-pin changes the PIN with the current one",
          p.returncode == 0 and "changed" in p.stdout and pin_is(database, "97531")
          and not pin_is(database, "2468"), p.stdout + p.stderr)

    p = run("--set-pin", "--database", database, stdin="")
    check("--set-pin with nothing on stdin exits 1", p.returncode == 1, p.stdout + p.stderr)

    p = run("--set-pin", "--no-such-option")
    check("--set-pin with a bad option still exits 2", p.returncode == 2, p.stderr)

print("1..%d" % len(results))
for number, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", number, name))
    if not ok:
        print("# " + detail.strip().replace("\n", "\n# "))
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
