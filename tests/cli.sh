#!/usr/bin/env bash
# Command-line tests: run the real program as a user would and check exit
# codes, stdout and stderr. $OUTAGESIM is the binary under test (the
# sanitizer build in `make test`). Each check prints ok/FAIL/skip; the last
# line is "N passed, N failed, N skipped". A skip says why; with CI=true in
# the environment (the project's machine, where every tool is installed) a
# skip is a failure: CI skips none.
set -u
cd "$(dirname "$0")/.."
BIN=${OUTAGESIM:-build/outagesim}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
skipped=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     | /' <<<"$2"; }

# skip NAME WHY: check NAME was not run here, because WHY (a missing tool).
skip() {
    if [ "${CI:-}" = true ]; then
        bad "$1 (skipped: $2; CI=true skips none)"
    else
        skipped=$((skipped + 1))
        echo "skip $1: $2"
    fi
}

# wait_for SECONDS CMD...: run CMD every 50 ms until it succeeds; 1 if it
# has not within SECONDS (a bound against hangs, not a timing assertion).
wait_for() {
    local tries
    tries=$(awk -v s="$1" 'BEGIN { print int(s * 20) + 1 }')
    shift
    until "$@"; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || return 1
        sleep 0.05
    done
}

# gone PID: process PID has exited (a background child is reaped by bash).
gone() { ! kill -0 "$1" 2>/dev/null; }

# on_tty OUT LOG CMD...: start CMD in the background with stdout to OUT and
# stderr on a pseudo-terminal (script(1)) copied to LOG, so that it draws its
# progress line as it does for a user. Sets tty_pid (the script process,
# whose exit code is CMD's) and cmd_pid (CMD itself, to signal). 1 if CMD
# did not start.
on_tty() {
    local out=$1 log=$2 cmd
    shift 2
    cmd=$(printf '%q ' "$@")
    rm -f "$log" "$log.pid"
    SHELL=/bin/bash script -qfec "echo \$\$ >$(printf '%q' "$log.pid"); exec $cmd>$(printf '%q' "$out")" \
        "$log" </dev/null >/dev/null 2>&1 &
    tty_pid=$!
    cmd_pid=
    wait_for 30 test -s "$log.pid" || return 1
    cmd_pid=$(cat "$log.pid")
}

# expect NAME CODE PATTERN CMD...: exit code CODE and combined output matching PATTERN (ERE).
expect() {
    local name=$1 code=$2 pat=$3 out rc
    shift 3
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" != "$code" ]; then
        bad "$name (exit $rc, wanted $code)" "$out"
    elif ! grep -Eq -- "$pat" <<<"$out"; then
        bad "$name (output does not match /$pat/)" "$out"
    else
        ok "$name"
    fi
}

expect "help lists commands" 0 "usage: outagesim COMMAND" "$BIN" --help
expect "version" 0 "^outagesim [0-9]+\.[0-9]+\.[0-9]+" "$BIN" --version
expect "no arguments is a usage error" 2 "usage:" "$BIN"
expect "unknown command" 2 "unknown command 'frobnicate'" "$BIN" frobnicate

for f in tests/cli.d/*.sh; do
    [ -e "$f" ] || continue
    # shellcheck source=/dev/null
    . "$f"
done

echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
