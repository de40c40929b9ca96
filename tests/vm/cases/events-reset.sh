# Issue 8.8: resetting the counters while a guest hammers the device loses
# and tears nothing: `stats --reset` prints what the reset took, and those
# readings plus the final one add up to every access, exactly.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"
n=200000

step "$n blocked writes while counters are reset over and over"
vfio_cfg "$bdf" "loop$n:w1:0x298=0x5a" > /dev/null &
flood=$!
: > "$TMPDIR/resets"
while kill -0 "$flood" 2> /dev/null; do
	"$CTL" stats --reset --json "$bdf" >> "$TMPDIR/resets"
done
wait "$flood" || fail "the flood failed"
"$CTL" stats --json "$bdf" > "$TMPDIR/final"
resets=$(jq -s length "$TMPDIR/resets")
total=$(jq -s 'map(.[0].write_blocked) | add' "$TMPDIR/resets" "$TMPDIR/final")
reported=$(jq -s 'map(.[0] | .events + .suppressed + .lost + .unwatched) | add' "$TMPDIR/resets" "$TMPDIR/final")
echo "  $resets resets; write_blocked over all readings: $total; events + suppressed + lost + unwatched: $reported"
((resets >= 3)) || fail "only $resets resets ran during the flood"
expect_eq "write_blocked over all readings" "$n" "$total"
expect_eq "their events" "$n" "$reported"
