# timeout: 1800
# Issue 4: a flood of 1,000,000 blocked writes completes, the host stays
# responsive, watch gets events up to the rate limit and the suppressed
# count, and the counters account for every access. Then the same flood
# while the device is unbound, and rmmod while watch runs: no splat.
load_cfgguard
bdf=$E1000E
n=${CFGGUARD_FLOOD:-1000000}
bind "$bdf" "$DRIVER"
param event_rate 1000
param event_burst 1000

"$CTL" watch --json "$bdf" > "$TMPDIR/events" 2> "$TMPDIR/watch.err" &
watch_pid=$!
for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" && break; sleep 0.1; done

step "$n blocked writes"
start=$(date +%s%N)
vfio_cfg "$bdf" "loop$n:w1:0x298=0x5a" &
flood_pid=$!
# the host answers while the flood runs
sleep 1
t0=$(date +%s%N)
"$CTL" list "$bdf" > /dev/null
t1=$(date +%s%N)
echo "  cfgguard-ctl list during the flood took $(((t1 - t0) / 1000000)) ms"
(((t1 - t0) < 5000000000)) || fail "the host did not answer within 5 s"
wait "$flood_pid" || fail "the flood failed"
secs=$((($(date +%s%N) - start) / 1000000))
echo "  flood done in $secs ms"
expect_host "$bdf" 0x298 1 0x00
sleep 1
kill -INT "$watch_pid"
wait "$watch_pid"

events=$(grep -c '"event":"access"' "$TMPDIR/events" || true)
lost_lines=$(grep -c '"event":"lost"' "$TMPDIR/events" || true)
carried=$(jq -s 'map(select(.event == "access") | .suppressed) | add // 0' "$TMPDIR/events")
stats=$("$CTL" stats --json "$bdf")
blocked=$(jq '.[0].write_blocked' <<< "$stats")
suppressed=$(jq '.[0].suppressed' <<< "$stats")
lost=$(jq '.[0].lost' <<< "$stats")
last_seq=$(jq -s 'map(select(.event == "access") | .seq) | max' "$TMPDIR/events")
echo "  events $events (lost records $lost_lines), carried suppressed $carried"
echo "  counters: write_blocked $blocked, suppressed $suppressed, lost $lost; last seq $last_seq"
expect_eq "write_blocked" "$n" "$blocked"
expect_eq "every access is an event or suppressed" "$n" "$((events + suppressed + lost))"
expect_eq "counted events = received events" "$events" "$(jq '.[0].events' <<< "$stats")"
expect_eq "no event lost on the way" 0 "$lost_lines"
# Rate limit: the burst plus event_rate per second of flood, with a second
# of slack for the timing.
max=$((1000 + 1000 * (secs / 1000 + 2)))
((events >= 1000 && events <= max)) || fail "$events events, expected 1000..$max"
((carried <= suppressed)) || fail "events carry more suppressed ($carried) than were counted ($suppressed)"

# Issue 8.4: a listener that stops reading loses events; the counters
# alone must still account for every access, whether or not the listener
# asked for delivery errors (watch does, nl-raw listen does not).
stalled_flood() { # <what>
	local n=200000 stats reported
	param event_rate 0
	"$CTL" stats --reset "$bdf" > /dev/null
	kill -STOP "$listener"
	vfio_cfg "$bdf" "loop$n:w1:0x298=0x5a" > /dev/null
	stats=$("$CTL" stats --json "$bdf")
	kill -CONT "$listener"
	echo "  $1: $(jq -c '.[0] | {write_blocked, events, suppressed, lost, unwatched}' <<< "$stats")"
	reported=$(jq '.[0].write_blocked' <<< "$stats")
	expect_eq "write_blocked" "$n" "$reported"
	expect_eq "events + suppressed + lost + unwatched" "$n" \
		"$(jq '.[0] | .events + .suppressed + .lost + .unwatched' <<< "$stats")"
	(($(jq '.[0].lost' <<< "$stats") > 0)) || fail "a stalled listener lost nothing?"
	param event_rate 1000
}

step "a stalled watch (NETLINK_BROADCAST_ERROR)"
"$CTL" watch --json "$bdf" > "$TMPDIR/stalled" 2> "$TMPDIR/watch.err" &
listener=$!
for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" && break; sleep 0.1; done
stalled_flood watch
kill -INT "$listener"
wait "$listener" || true

step "a stalled plain subscriber"
"$NL_RAW" listen 65536 > "$TMPDIR/listen" &
listener=$!
for _ in $(seq 50); do grep -q listening "$TMPDIR/listen" && break; sleep 0.1; done
stalled_flood "nl-raw listen"
kill "$listener"
wait "$listener" || true

step "nobody listening: every access is unwatched"
"$CTL" stats --reset "$bdf" > /dev/null
vfio_cfg "$bdf" "loop1000:w1:0x298=0x5a" > /dev/null
expect_eq "unwatched" 1000 "$("$CTL" stats --json "$bdf" | jq '.[0].unwatched')"

step "unbind during a flood"
vfio_cfg "$bdf" "loop200000:w1:0x298=0x5a" &
flood_pid=$!
sleep 1
unbind "$bdf"	# waits until the flood closes the device
wait "$flood_pid" || fail "the flood failed"
expect_eq "driver after unbind" none "$(driver_of "$bdf")"

step "rmmod while watch runs"
"$CTL" watch > /dev/null 2>&1 &
watch_pid=$!
sleep 1
rmmod cfgguard_vfio_pci
[[ ! -e /sys/module/cfgguard_vfio_pci ]] || fail "module still loaded"
kill -INT "$watch_pid" 2>/dev/null || true
wait "$watch_pid" || true
