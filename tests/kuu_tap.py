"""Runs test cases and reports them in TAP, for meson.

Each case gets a fresh temporary folder and whatever start() makes in it;
stop() returns the program's output, shown under a failure.
"""
import os
import sys
import tempfile
import traceback


def run(cases, start, stop):
    """cases: (name, case, *args) tuples; start(tmp, *args) makes what a
    case is handed; stop(thing) ends it and returns its output."""
    only = os.environ.get("KUULOLLA_TEST_ONLY")
    print("1..%d" % len(cases))
    ok = True
    for number, (name, case, *args) in enumerate(cases, 1):
        if only and only not in name:
            print("ok %d - %s # SKIP not selected" % (number, name))
            continue
        with tempfile.TemporaryDirectory() as tmp:
            failure = None
            thing = None
            try:
                thing = start(tmp, *args)
                case(thing)
            except Exception:
                failure = traceback.format_exc()
            finally:
                output = stop(thing) if thing is not None else ""
        if failure:
            ok = False
            print("not ok %d - %s" % (number, name))
            for line in (failure + output).strip().splitlines():
                print("# " + line)
            # meson shows a TAP test's stderr, not its stdout, in the log
            # it prints: say the failure there too, so CI shows the cause.
            print("not ok %d - %s\n%s" % (number, name, (failure + output).strip()),
                  file=sys.stderr)
        else:
            print("ok %d - %s" % (number, name))
    sys.exit(0 if ok else 1)
