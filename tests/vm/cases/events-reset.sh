# Issue 8.8: resetting the counters while a guest hammers the device loses
# and tears nothing: `stats --reset` prints what the reset took, and those
# readings plus the final one add up to every access, exactly.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"
n=200000

# Floods of n writes until at least three resets ran during them: how
# many fit in one flood depends on how the host schedules the guest.
step "floods of $n blocked writes while counters are reset over and over"
: > "$TMPDIR/resets"
floods=0
while (($(jq -s length "$TMPDIR/resets") < 3 && floods < 10)); do
	vfio_cfg "$bdf" "loop$n:w1:0x298=0x5a" > /dev/null &
	flood=$!
	floods=$((floods + 1))
	while kill -0 "$flood" 2> /dev/null; do
		"$CTL" stats --reset --json "$bdf" >> "$TMPDIR/resets"
	done
	wait "$flood" || fail "the flood failed"
done
"$CTL" stats --json "$bdf" > "$TMPDIR/final"
resets=$(jq -s length "$TMPDIR/resets")
total=$(jq -s 'map(.[0].write_blocked) | add' "$TMPDIR/resets" "$TMPDIR/final")
reported=$(jq -s 'map(.[0] | .events + .suppressed + .lost + .unwatched) | add' "$TMPDIR/resets" "$TMPDIR/final")
echo "  $floods floods, $resets resets; write_blocked over all readings: $total; events + suppressed + lost + unwatched: $reported"
((resets >= 3)) || fail "only $resets resets ran during $floods floods"
expect_eq "write_blocked over all readings" $((floods * n)) "$total"
expect_eq "their events" $((floods * n)) "$reported"
