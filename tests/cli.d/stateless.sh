# Stateless failover and settings that cannot take effect (sourced by
# tests/cli.sh): a service without data fails over with replication none,
# and replay narrates it; a service holding data is refused such a
# failover, and dead settings are refused at file:line:col (exit 2).

SF=tests/fixtures/stateless/failover.yaml
expect "stateless: a failover without replication of a stateless service is valid" 0 ": ok" \
    "$BIN" validate $SF
expect "stateless: replay narrates the automatic failover" 0 \
    "web: automatic failover to south starts" "$BIN" replay $SF --topology standby
expect "stateless: the standby serves once the failover completes (1h + 5m + 15m)" 0 \
    "\+1\.33h +web: failover complete" "$BIN" replay $SF --topology standby
expect "stateless: a service holding data is refused a failover without replication" 2 \
    "^$SF:18:66: topology 'standby', service 'web': failover: automatic without replication" \
    "$BIN" validate $SF --set services.web.data=100
expect "stateless: lag without async replication is refused" 2 \
    "lag=1h: topology 'standby', service 'web': lag has no effect without replication: async" \
    "$BIN" validate $SF --set topologies.standby.services.web.lag=1h
expect "stateless: detect without automatic failover is refused at its place" 2 \
    "^$SF:18:85: topology 'standby', service 'web': detect has no effect without failover: automatic" \
    "$BIN" validate $SF --set topologies.standby.services.web.failover=manual
expect "stateless: params hides what cannot take effect" 1 "^$" \
    bash -c "\"$BIN\" params $SF | grep -E 'services\.web\.(lag|staff|needs_min) '"
expect "stateless: params still lists what takes effect" 0 "services\.web\.detect" \
    "$BIN" params $SF
