# Issue 4: watch --learn over a run in audit mode produces a table that,
# loaded in enforce mode, lets the same run through with zero blocks. And
# an unprivileged subscriber is refused.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"
# what a guest's driver does: registers in and out of capabilities
workload() {
	vfio_cfg "$bdf" r4:0x298 w1:0x298=0x5a r2:0x2a2 w4:0x300=0x12345678 \
		r1:0x27f r4:0 r2:0xe2 caps > /dev/null
}

step "an unprivileged subscriber is refused"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$CTL" watch 2>&1) &&
	fail "an unprivileged watch started"
echo "  $out"
grep -q "Unable to subscribe to cfgguard events: Operation not permitted" <<< "$out" ||
	fail "unexpected message: $out"

step "learn from a run under the gen-table table in audit mode"
"$CTL" gen-table "$bdf" > "$TMPDIR/base"
ctl load-table "$bdf" "$TMPDIR/base"
ctl mode "$bdf" audit
"$CTL" watch --learn "$bdf" > "$TMPDIR/learned" 2> "$TMPDIR/watch.err" &
watch_pid=$!
for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" && break; sleep 0.1; done
"$CTL" stats --reset "$bdf"
workload
audited=$("$CTL" stats --json "$bdf" | jq '.[0].read_audited + .[0].write_audited')
echo "  $audited accesses audited"
((audited == 5)) || fail "expected the 5 accesses outside capabilities audited"
sleep 0.5
kill -INT "$watch_pid"
wait "$watch_pid" || { cat "$TMPDIR/watch.err"; fail "watch --learn failed"; }
cat "$TMPDIR/learned"
grep -q '^0x298-0x298 allow' "$TMPDIR/learned" || fail "0x298 (read and written) not learned as allow"
grep -q '^0x2a2-0x2a3 read-only' "$TMPDIR/learned" || fail "0x2a2 (read) not learned as read-only"
grep -q '^0x27f-0x27f read-only' "$TMPDIR/learned" || fail "0x27f (read) not learned as read-only"

step "without the table, the gen-table table alone blocks the run"
ctl load-table "$bdf" "$TMPDIR/base"
ctl mode "$bdf" enforce
"$CTL" stats --reset "$bdf"
workload
expect_eq "blocked" 5 "$("$CTL" stats --json "$bdf" | jq '.[0].read_blocked + .[0].write_blocked')"

step "the learned table in enforce mode: the same run, zero blocks"
ctl load-table "$bdf" "$TMPDIR/learned"
ctl mode "$bdf" enforce
"$CTL" stats --reset "$bdf"
workload
"$CTL" stats "$bdf"
stats=$("$CTL" stats --json "$bdf")
expect_eq "blocked" 0 "$(jq '.[0].read_blocked + .[0].write_blocked' <<< "$stats")"
(($(jq '.[0].read_allowed + .[0].write_allowed' <<< "$stats") > 0)) || fail "nothing counted"

step "learning never writes an incomplete table (issue 8.3)"
ctl load-table "$bdf" "$TMPDIR/base"
ctl mode "$bdf" audit
# 50 distinct bytes outside every capability, each read once
ops=()
for ((o = 0x300; o < 0x300 + 50; o++)); do ops+=("r1:$(printf '0x%x' "$o")"); done
learn() { # <event_rate>: runs watch --learn over the 50 reads
	param event_rate "$1"
	param event_burst 1
	"$CTL" watch --learn "$bdf" > "$TMPDIR/learned" 2> "$TMPDIR/watch.err" &
	watch_pid=$!
	for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" && break; sleep 0.1; done
	vfio_cfg "$bdf" "${ops[@]}" > /dev/null
	sleep 0.5
	kill -INT "$watch_pid"
	learn_rc=0
	wait "$watch_pid" || learn_rc=$?
	cat "$TMPDIR/watch.err"
}
learn 1
((learn_rc != 0)) || fail "watch --learn exited 0 although the rate limit held events back"
[[ ! -s $TMPDIR/learned ]] || { cat "$TMPDIR/learned"; fail "an incomplete table was written"; }
grep -q "of 50 reported accesses" "$TMPDIR/watch.err" || fail "the message does not say what was missed"
grep -q "event_rate" "$TMPDIR/watch.err" || fail "the message does not say what to do"
learn 0
((learn_rc == 0)) || fail "watch --learn failed with no rate limit"
grep -q '^0x300-0x331 read-only' "$TMPDIR/learned" || { cat "$TMPDIR/learned"; fail "not all 50 bytes learned"; }
param event_rate 1000
param event_burst 1000
