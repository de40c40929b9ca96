# Issue 4: watch --learn over a run in audit mode produces a table that,
# loaded in enforce mode, lets the same run through with zero blocks. And
# an unprivileged subscriber is refused.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"
workload() {
	vfio_cfg "$bdf" dump r4:0x298 w1:0x298=0x5a r2:0x2a2 w4:0x300=0x12345678 \
		r1:0x27f caps > /dev/null
}

step "an unprivileged subscriber is refused"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$CTL" watch 2>&1) &&
	fail "an unprivileged watch started"
echo "  $out"
grep -q "Unable to subscribe to cfgguard events: Operation not permitted" <<< "$out" ||
	fail "unexpected message: $out"

step "learn from a run in audit mode"
ctl mode "$bdf" audit
"$CTL" watch --learn "$bdf" > "$TMPDIR/learned" 2> "$TMPDIR/watch.err" &
watch_pid=$!
for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" && break; sleep 0.1; done
"$CTL" stats --reset "$bdf"
workload
audited=$("$CTL" stats --json "$bdf" | jq '.[0].read_audited + .[0].write_audited')
echo "  $audited accesses audited"
((audited > 0)) || fail "the workload touched nothing the default table blocks"
sleep 0.5
kill -INT "$watch_pid"
wait "$watch_pid" || { cat "$TMPDIR/watch.err"; fail "watch --learn failed"; }
cat "$TMPDIR/learned"
grep -q learned "$TMPDIR/learned" || fail "no learned range"

step "the learned table in enforce mode: the same run, zero blocks"
ctl load-table "$bdf" "$TMPDIR/learned"
ctl mode "$bdf" enforce
param block_unassigned_read 1	# would block the run's reads without the table
"$CTL" stats --reset "$bdf"
workload
"$CTL" stats "$bdf"
stats=$("$CTL" stats --json "$bdf")
expect_eq "blocked" 0 "$(jq '.[0].read_blocked + .[0].write_blocked' <<< "$stats")"
(($(jq '.[0].read_allowed + .[0].write_allowed' <<< "$stats") > 0)) || fail "nothing counted"
