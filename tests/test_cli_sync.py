#!/usr/bin/python3
"""The sync options on the command line: a bad server address, --enrol
without a server and a missing CA file end with a clear message and exit
status 2, before any window; the token never shows in what the app says.

Usage: test_cli_sync.py KUULOLLA_BINARY
"""
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1]
results = []


def run(*args, home=None):
    env = dict(os.environ, DISPLAY="", WAYLAND_DISPLAY="")
    if home:
        env["XDG_DATA_HOME"] = home
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=60)


def check(name, ok, detail=""):
    results.append((name, ok, detail))


for bad in ["kuulolla.example.fi", "ftp://kuulolla.example.fi", "https://", "not a url"]:
    p = run("--server", bad, "--check")
    check("--server=%s exits 2 naming it" % bad,
          p.returncode == 2 and bad in p.stderr and "https://" in p.stderr, p.stderr)

p = run("--enrol", "K7QF-2M9X-PL4D", "--check")
check("--enrol without a server exits 2 and asks for --server",
      p.returncode == 2 and "--server" in p.stderr, p.stderr)

p = run("--server", "https://kuulolla.example.fi", "--enrol", "  ", "--check")
check("an empty enrolment code exits 2", p.returncode == 2 and "code" in p.stderr, p.stderr)

with tempfile.TemporaryDirectory() as tmp:
    missing = os.path.join(tmp, "region-ca.pem")
    p = run("--server", "https://kuulolla.example.fi", "--tls-ca", missing, "--check")
    check("a missing --tls-ca file exits 2 naming it",
          p.returncode == 2 and missing in p.stderr, p.stderr)

p = run("--server", "https://kuulolla.example.fi", "--region", "kainuu", "--check")
check("a good --server passes", p.returncode == 0 and "kainuu" in p.stdout, p.stdout + p.stderr)

p = run("--help")
check("--help lists --server, --enrol and --tls-ca",
      p.returncode == 0 and all(o in p.stdout for o in ("--server=URL", "--enrol=CODE", "--tls-ca=FILE")),
      p.stdout)

print("1..%d" % len(results))
for number, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", number, name))
    if not ok:
        print("# " + detail.strip().replace("\n", "\n# "))
        print("not ok %d - %s: %s" % (number, name, detail.strip()), file=sys.stderr)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
