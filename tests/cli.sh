#!/usr/bin/env bash
# Command-line tests: run the real program as a user would and check exit
# codes, stdout and stderr. $OUTAGESIM is the binary under test (the
# sanitizer build in `make test`). Each check prints ok/FAIL; the last line
# is "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
BIN=${OUTAGESIM:-build/outagesim}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     | /' <<<"$2"; }

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

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
