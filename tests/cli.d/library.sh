# The scenario library (scenarios/alibaba-singapore-2024.yaml,
# scenarios/gcp-paris-2023.yaml): each validates, runs, replays and lands on
# what its sources report (tests/calibration/library.py; docs/sources.md S9,
# S10). The checker is first shown a result of the wrong scenario and must
# fail, so that a checker that passes everything cannot pass here.
lib_reps=400
for lib in alibaba-singapore-2024 gcp-paris-2023; do
    lib_f=scenarios/$lib.yaml
    expect "library $lib: validates" 0 "^$lib_f: ok \(" "$BIN" validate "$lib_f"
    # Every value params lists, fed back through --set, leaves the values
    # unchanged (provenance lines aside: a --set value is marked as set on the
    # command line).
    "$BIN" params "$lib_f" 2>&1 | grep -v '^ ' >"$TMP/lib-p1"
    lib_args=()
    while IFS= read -r l; do
        p=${l%% = *}; p=${p%% *}; v=${l#* = }; v=${v%% *}
        case "$v" in *" "* | "["* | "") continue ;; esac
        lib_args+=(--set "$p=$v")
    done < <(grep -v -e '\[' -e 'description' -e 'region' -e 'scenario.start' -e 'legal_basis' \
        -e '\.note ' "$TMP/lib-p1")
    "$BIN" params "$lib_f" "${lib_args[@]}" 2>&1 | grep -v '^ ' >"$TMP/lib-p2"
    if cmp -s "$TMP/lib-p1" "$TMP/lib-p2" && [ ${#lib_args[@]} -gt 100 ]; then
        ok "library $lib: params values round-trip through --set (${#lib_args[@]} args)"
    else
        bad "library $lib: params values round-trip through --set" \
            "$(diff "$TMP/lib-p1" "$TMP/lib-p2" | head)"
    fi
    expect "library $lib: replays the as-was design" 0 "whole system +[0-9]+" \
        "$BIN" replay "$lib_f" --topology as-was
    if "$BIN" run "$lib_f" --replications $lib_reps --quiet --format json >"$TMP/lib-$lib.json"; then
        lib_out=$(/usr/bin/python3 tests/calibration/library.py "$lib" "$TMP/lib-$lib.json")
        lib_rc=$?
        sed 's/^/     /' <<<"$lib_out"
        if [ $lib_rc -eq 0 ]; then ok "library $lib: calibration against the reports"
        else bad "library $lib: calibration against the reports"; fi
    else
        bad "library $lib: runs $lib_reps replications"
    fi
done
if [ -s "$TMP/lib-gcp-paris-2023.json" ] &&
    ! /usr/bin/python3 tests/calibration/library.py alibaba-singapore-2024 \
        "$TMP/lib-gcp-paris-2023.json" >/dev/null 2>&1; then
    ok "library: the checker refuses a result of another scenario"
else
    bad "library: the checker refuses a result of another scenario"
fi
