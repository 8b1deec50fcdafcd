# The worked example of docs/model.md: `outagesim replay` on a fire whose
# every time is fixed must give the timeline computed there by hand, event by
# event, and the summary computed by hand (downtime integrates 1 - a(t) to
# the horizon; data lost from lags and destroyed shards without a copy).
me_sc=tests/fixtures/model/example.yaml
me_want="1.0000,chat,manual failover requested
1.0000,chat,manual failover to south starts (3.00 h)
1.0000,maps,manual failover requested
1.0000,maps,failover waits for free staff
1.0000,mail,manual failover requested
1.0000,mail,failover waits for free staff
1.0000,auth,degraded: 75% available
1.0000,maps,down
1.0000,mail,down
1.0000,store,down
1.0000,pay,down
1.0000,chat,down
1.1000,pay,outage detected: automatic failover requested
1.1000,pay,automatic failover to south starts (0.50 h)
1.6000,pay,failover complete: served from the standby site
1.6000,pay,degraded: 75% available
4.0000,chat,failover complete: served from the standby site
4.0000,maps,manual failover to south starts (1.00 h)
4.0000,chat,degraded: 75% available
5.0000,maps,failover complete: served from the standby site
5.0000,mail,manual failover to south starts (12.00 h)
5.0000,maps,serving fully
8.0000,mail,primary site back before failover finished: failover called off
8.0000,auth,serving fully
8.0000,mail,serving fully
8.0000,pay,serving fully
8.0000,chat,serving fully
11.5000,store,serving fully"
me_csv=$("$BIN" replay "$me_sc" --topology example --format csv 2>&1)
# The services' rows only (sites' notes are narration of the incident's own times).
me_got=$(grep -E '^[^,]*,[^,]*,(auth|pay|chat|maps|mail|store),' <<<"$me_csv" | cut -d, -f2-)
if [ "$me_got" = "$me_want" ]; then ok "model example: replay timeline equals the hand-computed one"
else bad "model example: replay timeline equals the hand-computed one" \
    "$(diff <(echo "$me_want") <(echo "$me_got"))"; fi

me_sum="  auth                           8.00         1.75          0.0
  pay                            8.00         2.20          0.0
  chat                           8.00         4.00         10.0
  maps                           5.00         4.00          2.0
  mail                           8.00         7.00          0.0
  store                         11.50        10.50        100.0
  whole system                  11.50"
# Rack positions are the only draws left and must decide nothing: any seed agrees.
for me_seed in "1 0" "99 5" "20221015 123"; do
    read -r me_s me_r <<<"$me_seed"
    me_txt=$("$BIN" replay "$me_sc" --topology example --seed "$me_s" --replication "$me_r" 2>&1)
    me_got=$(grep -E '^  (auth|pay|chat|maps|mail|store|whole system) ' <<<"$me_txt")
    if [ "$me_got" = "$me_sum" ]; then ok "model example: summary by hand (seed $me_s, replication $me_r)"
    else bad "model example: summary by hand (seed $me_s, replication $me_r)" \
        "$(diff <(echo "$me_sum") <(echo "$me_got"))"; fi
done

# Today's tie-break (docs/model.md, "Staff"): requests raised at the same
# instant are served in the order of `services:`. With mail listed before
# maps, mail takes the staff freed at 4 h, and maps waits for it.
sed -e '/^  - {name: maps,/{h;d}' -e '/^  - {name: store,/{x;G}' "$me_sc" >"$TMP/me-swapped.yaml"
me_csv=$("$BIN" replay "$TMP/me-swapped.yaml" --topology example --format csv 2>&1)
if grep -q '^[^,]*,4.0000,mail,manual failover to south starts (12.00 h)$' <<<"$me_csv" &&
    ! grep -q ',4.0000,maps,manual failover to south starts' <<<"$me_csv"; then
    ok "model example: simultaneous staff requests are served in services: order"
else bad "model example: simultaneous staff requests are served in services: order" "$me_csv"; fi
