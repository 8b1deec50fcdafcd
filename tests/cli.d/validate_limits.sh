# Command-line checks of issue 14's edge cases (sourced by tests/cli.sh):
# validate refuses what run would refuse, at file:line:col (whole counts,
# money products past int64 won); run's replication range cannot wrap;
# merge and --out give one exit code per kind of mistake; Ctrl-C on plot
# exits 130; too few file handles or too little memory is a message and
# exit 1, never SIGABRT.

VL=$TMP/validate_limits
mkdir -p "$VL"
VF=tests/fixtures/bad
VM=scenarios/minimal.yaml
# The release build: ASan reserves terabytes of address space, so ulimit -v
# can only be tried without it (make test builds it: `test` needs `all`).
REL=${OUTAGESIM_RELEASE:-build/outagesim}

# ------------------------------------------------------------ counts are whole

expect "limits: a fractional count is refused with its place" 2 \
    "^$VF/fractional_count.yaml:19:21: population.users: '0.5' is not a whole number" \
    "$BIN" validate $VF/fractional_count.yaml
expect "limits: count 2.5 is refused like shards 2.5" 2 \
    "^--set businesses.shops.count=2.5: .*'2.5' is not a whole number" \
    "$BIN" validate $VM --set businesses.shops.count=2.5
expect "limits: shards 2.5 (the same exit code)" 2 "shards.*whole" \
    "$BIN" validate $VM --set services.chat.shards=2.5
expect "limits: users 0.5 on the command line" 2 "population.users=0.5: .*not a whole number" \
    "$BIN" validate $VM --set population.users=0.5
expect "limits: a decimal with a suffix that is whole (1.5k) is a count" 0 ": ok \(" \
    "$BIN" validate $VM --set businesses.shops.count=1.5k

# ------------------------------------------------------------ money products

expect "limits: businesses x revenue past int64 won, at the count" 2 \
    "^$VF/limit_segment.yaml:18:26: businesses.shops: out of range: count x mean hourly_revenue" \
    "$BIN" validate $VF/limit_segment.yaml
expect "limits: subscribers x monthly fee past int64 won, at the fee" 2 \
    "^$VF/limit_fee.yaml:11:62: services.auth: out of range: subscribers x monthly_fee .*2\^63 won" \
    "$BIN" validate $VF/limit_fee.yaml
expect "limits: a policy's amount x the people it could be paid to" 2 \
    "^$VF/limit_policy.yaml:20:45: policies.credit.params.amount: out of range: .*population.users" \
    "$BIN" validate $VF/limit_policy.yaml
# A model's own multiples (fee multiples, months of fees, extensions, sums
# over services and segments) are bounded by the model (max_total_money):
# validate refuses a policy that could pay 2^63 won in one replication at
# its model:, though each product the loader checks is within the limit.
for m in goodwill_package loss_brackets flat_credit fee_multiple service_extension sla_credit \
    duration_tiers civil_damages; do
    line=$(grep -n "^    model: $m\$" $VF/limit_$m.yaml | cut -d: -f1)
    expect "limits: $m could pay past 2^63 won in one replication, at its model:" 2 \
        "^$VF/limit_$m.yaml:$line:12: policies.p: out of range: policy p \($m\) could pay up to .* won in one replication, past 2\^63 won" \
        "$BIN" validate $VF/limit_$m.yaml
done
expect "limits: the same credit at a tenth passes (control)" 0 ": ok \(" \
    "$BIN" validate $VF/limit_flat_credit.yaml --set policies.p.params.amount=6G
expect "limits: the refund alone passes, the multiple is what is refused (control)" 0 ": ok \(" \
    "$BIN" validate $VF/limit_fee_multiple.yaml --set policies.p.params.multiple=0
expect "limits: run refuses a model's bound at load" 2 \
    "^$VF/limit_sla_credit.yaml:[0-9]*:12: .*could pay up to" \
    "$BIN" run $VF/limit_sla_credit.yaml --replications 20 --out "$VL/sla"
if [ -e "$VL/sla" ]; then
    bad "limits: a run refused for a model's bound writes nothing" "$(ls -A "$VL/sla")"
else
    ok "limits: a run refused for a model's bound writes nothing"
fi
expect "limits: business count 1e14 (issue 14)" 2 \
    "businesses.shops.count=1e14: businesses.shops: out of range" \
    "$BIN" validate $VM --set businesses.shops.count=1e14
expect "limits: revenue 1e15 won/h" 2 "businesses.shops: out of range" \
    "$BIN" validate $VM --set businesses.shops.hourly_revenue=1e15
# The limit is the reports' own (2^63 won), not less: 10^16 won still runs.
expect "limits: just below 2^63 won passes" 0 ": ok \(" \
    "$BIN" validate $VM --set services.pay.monthly_fee=92233720368547
expect "limits: just past 2^63 won is refused" 2 "services.pay: out of range" \
    "$BIN" validate $VM --set services.pay.monthly_fee=92233720368548
expect "limits: 10^16 won of credits is not refused" 0 ": ok \(" \
    "$BIN" validate tests/fixtures/extreme/money-scale.yaml
# run refuses at load, like validate: at once, with the place, nothing written.
expect "limits: run refuses the same at load" 2 "^$VF/limit_segment.yaml:18:26: .*out of range" \
    "$BIN" run $VF/limit_segment.yaml --replications 2000 --out "$VL/seg"
if [ -e "$VL/seg" ]; then
    bad "limits: a refused run writes nothing" "$(ls -A "$VL/seg")"
else
    ok "limits: a refused run writes nothing"
fi

# ------------------------------------------------------------ run --from

expect "limits: --from + --replications past 2^63-1 is refused" 2 \
    "--from 9223372036854775807 \+ --replications 10 passes 9223372036854775807" \
    "$BIN" run $VM --from 9223372036854775807 --replications 10
out=$("$BIN" run $VM --from 9223372036854775805 --replications 2 --format json --quiet 2>&1)
if grep -q '"to": 9223372036854775807,' <<<"$out" && ! grep -q '"to": -' <<<"$out"; then
    ok "limits: a range ending at 2^63-1 runs and says so"
else
    bad "limits: a range ending at 2^63-1 runs and says so" "$(grep -E '"(from|to)"' <<<"$out")"
fi

# ------------------------------------------------------------ merge, --out

"$BIN" run $VM --from 0 --to 4 --out "$VL/p1" --quiet >/dev/null 2>&1
"$BIN" run $VM --from 4 --to 8 --out "$VL/p2" --quiet >/dev/null 2>&1
cp -r "$VL/p2" "$VL/no-rows" && rm -f "$VL/no-rows/replications.csv"
cp -r "$VL/p2" "$VL/no-results" && rm -f "$VL/no-results/results.json"
expect "limits: merge: the parts fit (control)" 0 "" "$BIN" merge "$VL/p1" "$VL/p2" --quiet
expect "limits: merge: a part without replications.csv is unfit (2)" 2 "replications.csv" \
    "$BIN" merge "$VL/p1" "$VL/no-rows" --quiet
expect "limits: merge: a part without results.json is unfit (2)" 2 "results.json" \
    "$BIN" merge "$VL/p1" "$VL/no-results" --quiet
expect "limits: merge: overlapping parts (2, as before)" 2 "overlap" \
    "$BIN" merge "$VL/p1" "$VL/p1" --quiet
ln -s "$VL/nowhere" "$VL/dangling"
: >"$VL/file"
for c in run merge; do
    if [ $c = run ]; then args=($VM --replications 2); else args=("$VL/p1" "$VL/p2"); fi
    expect "limits: $c --out a regular file (2)" 2 "'$VL/file' exists and is not a directory" \
        "$BIN" $c "${args[@]}" --out "$VL/file" --quiet
    expect "limits: $c --out a dangling symbolic link (2, like a file)" 2 \
        "'$VL/dangling' is a symbolic link to something that does not exist" \
        "$BIN" $c "${args[@]}" --out "$VL/dangling" --quiet
done
if [ -L "$VL/dangling" ] && [ ! -e "$VL/nowhere" ]; then
    ok "limits: the dangling link is left as it was"
else
    bad "limits: the dangling link is left as it was" "$(ls -la "$VL")"
fi

# ------------------------------------------------------------ Ctrl-C on plot

# A terminal's Ctrl-C signals the whole foreground process group: outagesim
# and the gnuplots it started. A stand-in gnuplot says it has started, then
# waits; SIGINT goes to the group once it has.
cat >"$VL/slow-gnuplot" <<EOF
#!/bin/sh
: >"$VL/gnuplot-started"
exec sleep 60
EOF
chmod +x "$VL/slow-gnuplot"
if ! command -v script >/dev/null 2>&1; then
    skip "limits: Ctrl-C on plot exits 130" "no script(1) to give plot a process group of its own"
elif OUTAGESIM_GNUPLOT="$VL/slow-gnuplot" on_tty /dev/null "$VL/plot.tty" "$BIN" plot "$VL/p1" &&
    wait_for 60 test -e "$VL/gnuplot-started"; then
    kill -INT -- -"$cmd_pid"
    wait_for 60 gone "$tty_pid" || kill -KILL -- -"$cmd_pid" 2>/dev/null
    wait "$tty_pid"
    rc=$?
    if [ "$rc" = 130 ]; then
        ok "limits: Ctrl-C on plot exits 130"
    else
        bad "limits: Ctrl-C on plot exits 130 (exit $rc)" "$(tr '\r' '\n' <"$VL/plot.tty" | tail -3)"
    fi
else
    [ -n "$cmd_pid" ] && kill -KILL -- -"$cmd_pid" 2>/dev/null
    wait "$tty_pid"
    bad "limits: Ctrl-C on plot exits 130 (the stand-in gnuplot never started)"
fi

# ------------------------------------------------------------ resources

# expect_limited NAME ULIMIT_ARGS PATTERN CMD...: under `ulimit ULIMIT_ARGS`,
# exit 1 with PATTERN on stderr: never 134 (SIGABRT) nor a silent failure.
expect_limited() {
    local name=$1 lim=$2 pat=$3 rc
    shift 3
    (
        exec >/dev/null 2>"$VL/limited.err"
        # Handles inherited from make or a pipeline would take the few
        # numbers the limit leaves: only 0, 1 and 2 stay open.
        for fd in /proc/self/fd/*; do
            fd=${fd##*/}
            if [ "$fd" -gt 2 ] && [ "$fd" -lt 255 ]; then eval "exec $fd>&-"; fi
        done
        ulimit $lim
        exec "$@"
    )
    rc=$?
    if [ "$rc" != 1 ]; then
        bad "$name (exit $rc, wanted 1)" "$(cat "$VL/limited.err")"
    elif ! grep -Eq -- "$pat" "$VL/limited.err"; then
        bad "$name (stderr does not match /$pat/)" "$(cat "$VL/limited.err")"
    else
        ok "$name"
    fi
}
expect_limited "limits: run with 5 file handles" "-n 5" "too few file handles \(ulimit -n is 5\)" \
    "$BIN" run $VM --replications 20 --quiet
expect_limited "limits: plot with 5 file handles" "-n 5" "too few file handles" \
    "$BIN" plot "$VL/p1" --quiet
if [ -x "$REL" ]; then
    expect_limited "limits: run --threads 16 in 60 MB" "-v 60000" "cannot start 16 threads" \
        "$REL" run $VM --replications 50 --threads 16 --quiet
    expect_limited "limits: run --threads 16 in 25 MB" "-v 25000" \
        "^(outagesim: )?(out of memory preparing the run with 16 threads|cannot start 16 threads)" \
        "$REL" run $VM --replications 50 --threads 16 --quiet --out "$VL/v25"
    if grep -q "without a diagnostic" "$VL/limited.err"; then
        bad "limits: no failure without a diagnostic in 25 MB" "$(cat "$VL/limited.err")"
    else
        ok "limits: no failure without a diagnostic in 25 MB"
    fi
else
    skip "limits: run under ulimit -v" "no release build at $REL (make all)"
fi

# Scaling keeps counts whole (sensitivity swings them so): min_days, a count
# of days, x1.5 of 1 is 2, not a refused 1.5.
expect "limits: --set a count of days =x1.5 rounds to a whole day" 0 \
    "policies.kt-ahyeon-2018-merchants.params.tiers.0.min_days += 2 +days" \
    "$BIN" params scenarios/kakao-pangyo-2022.yaml \
    --set policies.kt-ahyeon-2018-merchants.params.tiers.0.min_days=x1.5
