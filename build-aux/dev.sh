#!/bin/sh
# The two things a newcomer does, on a fresh Debian 12 (as root):
#   build-aux/dev.sh run    install what is missing, build, start the
#                           reference server and the app enrolled with it,
#                           on the resident pages in a window
#   build-aux/dev.sh desk   the same server, a staff sign-in code made on it
#                           and the region desk (kuulolla --desk) signed in
#                           to it with that code
#   build-aux/dev.sh test   install what is missing, build, run every test,
#                           then every test again and the fuzz targets in a
#                           clang ASan+UBSan build (_build-san)
set -eu

case "${1:-}" in
  run|desk|test) ;;
  *) echo "usage: $0 run|desk|test [ARGS...]" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
# KUULOLLA_BUILD_DIR: another build dir than _build (a second checkout's).
build="${KUULOLLA_BUILD_DIR:-$top/_build}"
cd "$top"

sh "$top/build-aux/install-deps.sh"

if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" >/dev/null
else
  meson setup "$build"
fi
meson compile -C "$build"

# --- run: the reference server, then the app sending to it -----------------

data="${XDG_DATA_HOME:-$HOME/.local/share}/kuulolla"
server_dir="$data/dev-server"
server_db="$server_dir/server.db"
server_log="$server_dir/server.log"
server_pid=""

# The app's own options that matter here: its region (the server checks
# answers against it), its unit and its database (the device file, with
# the credentials, sits beside it).
app_option() {
  name=$1; shift
  while [ $# -gt 0 ]; do
    case "$1" in
      "--$name="*) echo "${1#*=}"; return ;;
      "--$name") [ $# -gt 1 ] && echo "$2"; return ;;
    esac
    shift
  done
}

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    echo "Stopped the server. Its database stays in $server_db"
  fi
  server_pid=""
}

# Starts kuulolla-server on 127.0.0.1:$1 (0: a free port); sets server_url.
start_server() {
  : >"$server_log"
  "$build/server/kuulolla-server" --database="$server_db" --listen="127.0.0.1:$1" >>"$server_log" 2>&1 &
  server_pid=$!
  i=0
  while [ $i -lt 100 ]; do
    line=$(head -n 1 "$server_log")
    case "$line" in
      "listening on "*)
        server_url=${line#listening on }
        server_url=${server_url%/}
        return 0 ;;
    esac
    if ! kill -0 "$server_pid" 2>/dev/null; then
      server_pid=""
      return 1
    fi
    i=$((i + 1))
    sleep 0.1
  done
  stop_server
  return 1
}

# The device is enrolled with this server for this region already?
enrolled() {
  [ -f "$1" ] &&
    grep -qxF "server-url=$server_url" "$1" &&
    grep -qxF "region=$2" "$1" &&
    grep -q '^token=.' "$1"
}

case "${1:-}" in
  run)
    shift
    # The schema compiled in the build dir; the database under the user's
    # data dir; the bundled Kymenlaakso strategy unless told otherwise.
    export GSETTINGS_SCHEMA_DIR="$build/data"
    export KUULOLLA_LOCALEDIR="$build/po"

    region=$(app_option region "$@"); region=${region:-kymenlaakso}
    unit=$(app_option unit "$@"); unit=${unit:-$(hostname)}
    database=$(app_option database "$@"); database=${database:-$data/kuulolla.db}
    device_file="$(dirname "$database")/device.ini"

    case "$region" in
      */*|*.json)
        echo "A region file ($region): the reference server knows only the bundled regions,"
        echo "so this run starts no server and the app keeps its answers."
        server_url="" ;;
      *)
        mkdir -p "$server_dir"
        # The same port as last time, so the app's credentials still fit;
        # a free one if it is taken.
        port=$(cat "$server_dir/port" 2>/dev/null || echo 0)
        if ! start_server "$port" && ! start_server 0; then
          echo "The reference server did not start:" >&2
          cat "$server_log" >&2
          exit 1
        fi
        echo "${server_url##*:}" >"$server_dir/port"
        trap stop_server EXIT
        trap 'exit 130' INT TERM

        if enrolled "$device_file" "$region"; then
          echo "Kuulolla is enrolled with $server_url already ($device_file)."
          set -- --server="$server_url" "$@"
        else
          code=$("$build/server/kuulolla-server" --database="$server_db" admin enrol \
                   --region="$region" --unit="$unit")
          echo "Enrolment code $code made for $region / $unit; the app enrols with it at start."
          set -- --server="$server_url" --enrol="$code" "$@"
        fi
        cat <<EOF

The reference server listens on $server_url
  its database: $server_db   (its log: $server_log)
  see answers arrive:
    sqlite3 '$server_db' "SELECT uuid, kind, json_extract(record, '\$.score') AS score, json_extract(record, '\$.text') AS text FROM records ORDER BY received_at"
  and what the kiosk still holds:
    sqlite3 '$database' "SELECT uuid, kind, synced_at, rejected_reason FROM submissions"
The app opens on the pages residents see, in a window; Staff mode (top left)
shows this device's results, sync state and settings.
The region desk, signed in to this server as a staff member:
    sh build-aux/dev.sh desk

EOF
        ;;
    esac

    # A first run shows the main job: the pages residents use, in a window
    # (not full screen; staff mode is the header's button). --kiosk, if
    # given, wins and runs full screen.
    set -- --resident-pages "$@"

    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      "$build/app/kuulolla" "$@" || status=$?
      exit "${status:-0}"
    fi
    mkdir -p "$build/screenshots"
    echo "No display here: starting Kuulolla on a virtual display (Xvfb)."
    echo "A screenshot of its first screen goes to ${build#"$top"/}/screenshots/run.png; Ctrl+C stops it."
    # A D-Bus session of its own: without one, GLib would autolaunch a bus
    # that outlives the run. No screen reader here: no AT-SPI bus either.
    GTK_A11Y=none dbus-run-session -- xvfb-run --auto-servernum --server-args="-screen 0 1280x860x24" \
      sh -c 'shots=$1; shift
             "$@" & app=$!
             sleep 6
             xwd -root -silent | convert xwd:- "$shots/run.png" && echo "Saved $shots/run.png"
             wait $app' sh "$build/screenshots" "$build/app/kuulolla" "$@" || status=$?
    exit "${status:-0}"
    ;;
  desk)
    shift
    # The region desk signed in to the reference server: an admin staff
    # account made on it (the code is printed once and used at once), the
    # region kymenlaakso unless --region=ID says otherwise.
    export GSETTINGS_SCHEMA_DIR="$build/data"
    export KUULOLLA_LOCALEDIR="$build/po"
    region=$(app_option region "$@"); region=${region:-kymenlaakso}
    mkdir -p "$server_dir"
    port=$(cat "$server_dir/port" 2>/dev/null || echo 0)
    if ! start_server "$port" && ! start_server 0; then
      echo "The reference server did not start:" >&2
      cat "$server_log" >&2
      exit 1
    fi
    echo "${server_url##*:}" >"$server_dir/port"
    trap stop_server EXIT
    trap 'exit 130' INT TERM
    code=$("$build/server/kuulolla-server" --database="$server_db" admin staff add \
             --region="$region" --name="${USER:-Developer}" --role=admin 2>/dev/null)
    cat <<EOF

The reference server listens on $server_url (its database: $server_db).
A staff sign-in code was made for $region (admin); the desk signs in with it.
Answers from kiosks (sh build-aux/dev.sh run) show on its Results page.
Staff accounts: $build/server/kuulolla-server --database='$server_db' admin staff list

EOF
    set -- --desk --server="$server_url" --sign-in-code="$code"
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      "$build/app/kuulolla" "$@" || status=$?
      exit "${status:-0}"
    fi
    mkdir -p "$build/screenshots"
    echo "No display here: starting the desk on a virtual display (Xvfb), where no keyring can be"
    echo "unlocked, so the sign-in lasts for this run. A screenshot goes to ${build#"$top"/}/screenshots/desk.png."
    GTK_A11Y=none dbus-run-session -- xvfb-run --auto-servernum --server-args="-screen 0 1280x860x24" \
      sh -c 'shots=$1; shift
             "$@" & app=$!
             sleep 10
             xwd -root -silent | convert xwd:- "$shots/desk.png" && echo "Saved $shots/desk.png"
             wait $app' sh "$build/screenshots" "$build/app/kuulolla" "$@" || status=$?
    exit "${status:-0}"
    ;;
  test)
    shift
    meson test -C "$build" --print-errorlogs "$@" || status=$?
    # Then the whole suite again in a sanitized build beside the main one
    # (_build-san, or $KUULOLLA_BUILD_DIR-san): clang with AddressSanitizer
    # and UndefinedBehaviorSanitizer, every test under
    # build-aux/sanitize-run.sh (any report fails it), then the fuzz
    # targets (docs/fuzzing.md) in the same build, each for a bounded
    # time. One extra build, not two: the fuzz targets need clang and
    # both sanitizers anyway. Only for a whole run (not when single tests
    # are named). KUULOLLA_SANITIZE=0 skips the sanitized suite,
    # KUULOLLA_FUZZ=0 the fuzz targets. What the sanitized run repeats, and
    # why, is in the README ("What the test command runs, and why"): the
    # whole run is to stay under 45 minutes on a 2-core machine.
    if [ $# -eq 0 ] && { [ "${KUULOLLA_SANITIZE:-1}" != 0 ] || [ "${KUULOLLA_FUZZ:-1}" != 0 ]; }; then
      san_build="${build%/}-san"
      if [ -f "$san_build/build.ninja" ]; then
        meson setup --reconfigure "$san_build" >/dev/null
      else
        CC=clang meson setup "$san_build" -Dfuzzing=true \
          -Db_sanitize=address,undefined -Db_lundef=false
      fi
      # Everything, as the main build: the tests need more than their
      # programs (the compiled GSettings schema, the catalogues), which
      # meson-test-prereq alone leaves out.
      ninja -C "$san_build"
      if [ "${KUULOLLA_SANITIZE:-1}" != 0 ]; then
        # Every test but the fuzz targets (run next), the suite "data":
        # the checks of files, not of code (desktop-file, metainfo,
        # gschema, systemd-units, translations, and install, which builds
        # and installs a tree of its own), which the main suite has run,
        # and the suite "main-only": the long AT-SPI walks of pages, whose
        # minutes go to waiting on the accessibility bus, not to code ASan
        # checks (tests/meson.build says which stay). The sanitizers make
        # the code several times slower.
        meson test -C "$san_build" --no-rebuild --no-suite fuzz --no-suite data --no-suite main-only \
          --timeout-multiplier 3 --print-errorlogs || status=$?
      fi
      if [ "${KUULOLLA_FUZZ:-1}" != 0 ]; then
        # 20 s of new inputs a target after its seeds, not run-fuzz.sh's
        # 45: a check that nothing known breaks and a short search, not
        # the long runs of docs/fuzzing.md. KUULOLLA_FUZZ_SECONDS sets it.
        KUULOLLA_FUZZ_SECONDS="${KUULOLLA_FUZZ_SECONDS:-20}" \
          meson test -C "$san_build" --no-rebuild --suite fuzz --print-errorlogs || status=$?
      fi
    fi
    exit "${status:-0}"
    ;;
esac
