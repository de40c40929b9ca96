# Issue 8.7: events of one device leave in seq order even when several
# tasks hit it at once, so watch never sees seq go backwards and never
# reports a loss that did not happen.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"
param event_rate 0
"$CTL" watch --json "$bdf" > "$TMPDIR/events" 2> "$TMPDIR/watch.err" &
watch_pid=$!
for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" && break; sleep 0.1; done

n=20000
step "two threads on two CPUs, $n blocked writes each"
vfio_cfg "$bdf" "par2x$n:w1:0x298=0x5a"
sleep 1
kill -INT "$watch_pid"
wait "$watch_pid" || fail "watch failed"

stats=$("$CTL" stats --json "$bdf")
echo "  $(jq -c '.[0] | {write_blocked, events, lost, suppressed}' <<< "$stats")"
expect_eq "write_blocked" $((2 * n)) "$(jq '.[0].write_blocked' <<< "$stats")"
lost=$(jq '.[0].lost' <<< "$stats")
lost_lines=$(grep -c '"event":"lost"' "$TMPDIR/events" || true)
back=$(jq -s '[.[] | select(.event == "access") | .seq] as $s |
	[range(1; $s | length) | select($s[.] <= $s[. - 1])] | length' "$TMPDIR/events")
echo "  events $(grep -c '"event":"access"' "$TMPDIR/events"), seq going backwards $back, loss lines $lost_lines, lost $lost"
expect_eq "events out of seq order" 0 "$back"
((lost > 0)) || expect_eq "loss lines when the kernel lost nothing" 0 "$lost_lines"
param event_rate 1000
