# make bench: what the guard costs, against stock vfio-pci in the same
# boot. Two e1000e: one on cfgguard-vfio-pci (A), one on stock vfio-pci
# (B). Every timing is a ratio taken in interleaved rounds. The allowed
# accesses are measured twice, with the drivers swapped between the two
# devices, so that a difference between the devices themselves cancels in
# the geometric mean of the two ratios.
BENCH=$CFGGUARD_BUILD/tests/cfgbench
out=$CFGGUARD_OUT/bench.jsonl
: > "$out"
A=$E1000E B=$E1000E_2
ROUNDS=${CFGGUARD_BENCH_ROUNDS:-40} ITERS=${CFGGUARD_BENCH_ITERS:-2000}
# Under icount (run.sh CFGGUARD_CLOCK=icount) a "ns" is one instruction and
# rounds differ by a few instructions in a thousand: fewer rounds do.
[[ ${CFGGUARD_CLOCK:-} == icount ]] && ROUNDS=8
pair() { "$BENCH" pair "$@" "$ROUNDS" "$ITERS" | tee -a "$out"; }
record() { echo "$1" | tee -a "$out"; }
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

load_cfgguard

step "0. control: both devices on stock vfio-pci"
bind "$A" vfio-pci
bind "$B" vfio-pci
pair "control-read-4" "$A" r4:0x0c "$B" r4:0x0c
pair "control-write-4" "$A" w4:0x0c=0x10 "$B" w4:0x0c=0x10

step "1. allowed accesses, default table (0x0c: cache line size, raw in vfio-pci)"
for swap in 1 2; do
	bind "$A" "$DRIVER"
	bind "$B" vfio-pci
	for s in 1 2 4; do
		pair "allowed-read-$s-default@$swap" "$A" "r$s:0x0c" "$B" "r$s:0x0c"
		pair "allowed-write-$s-default@$swap" "$A" "w$s:0x0c=0x10" "$B" "w$s:0x0c=0x10"
	done
	pair "allowed-read-4-virtualised-default@$swap" "$A" r4:0x0 "$B" r4:0x0
	# a profile by subtraction: mode off skips the decision, not the rest
	"$CTL" mode "$A" off
	pair "allowed-read-4-mode-off@$swap" "$A" r4:0x0c "$B" r4:0x0c
	pair "allowed-write-4-mode-off@$swap" "$A" w4:0x0c=0x10 "$B" w4:0x0c=0x10
	unbind "$A"
	unbind "$B"
	t=$A A=$B B=$t
done
bind "$A" "$DRIVER"
bind "$B" vfio-pci

step "1b. allowed accesses, the gen-table table loaded"
"$CTL" gen-table "$A" > "$TMPDIR/gen"
"$CTL" load-table "$A" "$TMPDIR/gen"
for s in 1 2 4; do
	pair "allowed-read-$s-table" "$A" "r$s:0x0c" "$B" "r$s:0x0c"
	pair "allowed-write-$s-table" "$A" "w$s:0x0c=0x10" "$B" "w$s:0x0c=0x10"
done

step "2. blocked accesses (0x298, denied) against a stock allowed access"
for s in 1 2 4; do
	pair "blocked-read-$s" "$A" "r$s:0x298" "$B" "r$s:0x0c"
	pair "blocked-write-$s" "$A" "w$s:0x298=0x5a" "$B" "w$s:0x0c=0x10"
done

step "3. scaling with the number of ranges, and table load time"
for n in 1 64 1024; do
	{
		echo "default allow"
		for ((i = 0; i < n; i++)); do printf '0x%x+2 deny\n' $((0x150 + i * 3)); done
	} > "$TMPDIR/t$n"
	"$CTL" load-table "$A" "$TMPDIR/t$n"
	pair "allowed-read-4-ranges-$n" "$A" r4:0x0c "$B" r4:0x0c
	pair "blocked-read-2-ranges-$n" "$A" r2:0x150 "$B" r2:0x0c
done
"$BENCH" load "$A" 1024 20 | tee -a "$out"
"$BENCH" load "$A" 1 20 | tee -a "$out"

step "4. events: rate limit off, watch --json listening"
param event_rate 0
"$CTL" load-table "$A" "$TMPDIR/gen"
"$CTL" stats --reset "$A"
pair "blocked-write-4-no-listener" "$A" w4:0x298=0x5a "$B" w4:0x0c=0x10
start_watch() {
	"$CTL" watch --json "$A" > "$TMPDIR/events" 2> "$TMPDIR/watch.err" &
	watch_pid=$!
	for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" && break; sleep 0.1; done
}
stop_watch() {
	sleep 2
	kill -INT "$watch_pid"
	wait "$watch_pid"
}
start_watch
pair "blocked-write-4-listener" "$A" w4:0x298=0x5a "$B" w4:0x0c=0x10
stop_watch
# Where an event's cost goes, by the scheduler's CPU time of each process
# (under icount: instructions): the flood's with a listener minus without
# one is the kernel's share, watch's own is the listener's.
cpu_ns() { awk '{ print $1 }' "/proc/$1/schedstat"; }
# user and system ticks (sampled), and the times it slept for events
watch_split() { echo "$(awk '{ print $14, $15 }' "/proc/$1/stat") $(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status")"; }
flood_cpu_ns() { # <writes>: the flood's user + system time, at bash's 1 ms
	local TIMEFORMAT='%3U %3S' t
	t=$({ time "$VFIO_CFG" "$A" "loop$1:w4:0x298=0x5a" > /dev/null 2>&1; } 2>&1)
	awk -v t="$t" 'BEGIN { split(t, f, " "); printf "%.0f", (f[1] + f[2]) * 1e9 }'
}
n=200000
unwatched_ns=$(flood_cpu_ns $n)
"$CTL" stats --reset "$A"
start_watch
w0=$(cpu_ns "$watch_pid")
read -r u0 k0 s0 <<< "$(watch_split "$watch_pid")"
t0=$(date +%s%N)
flood_ns=$(flood_cpu_ns $n)
t1=$(date +%s%N)
# one more once watch has caught up: its sequence number tells how many
# of the flood's last events were lost on the way
wait_drained "$TMPDIR/events"
vfio_cfg "$A" w4:0x298=0x5a > /dev/null
n=$((n + 1))
wait_drained "$TMPDIR/events"
w1=$(cpu_ns "$watch_pid")
read -r u1 k1 s1 <<< "$(watch_split "$watch_pid")"
stop_watch
received=$(grep -c '"event":"access"' "$TMPDIR/events" || true)
# how long watch took to receive the flood: from its first event's ts to
# the last but one's (the last came once the rest were printed)
first_last=$({ grep -m1 '"event":"access"' "$TMPDIR/events"
	grep '"event":"access"' "$TMPDIR/events" | tail -n 2 | head -n 1; } | jq -r .ts)
rx_seconds=$(awk -F'[T:Z]' '{ s = $2 * 3600 + $3 * 60 + $4 } NR == 1 { a = s }
	NR == 2 { d = s - a; if (d < 0) d += 86400; printf "%.6f", d }' <<< "$first_last")
lost=$(jq -s 'map(select(.event == "lost") | .count) | add // 0' "$TMPDIR/events")
stats=$("$CTL" stats --json "$A")
record "{\"name\":\"events\",\"accesses\":$n,\"seconds\":$(awk "BEGIN { print ($t1 - $t0) / 1e9 }"),\"received\":$received,\"received_seconds\":$rx_seconds,\"lost_in_transit\":$lost,\"kernel_lost\":$(jq '.[0].lost' <<< "$stats"),\"suppressed\":$(jq '.[0].suppressed' <<< "$stats"),\"write_blocked\":$(jq '.[0].write_blocked' <<< "$stats"),\"flood_cpu_ns\":$flood_ns,\"unwatched_cpu_ns\":$unwatched_ns,\"watch_cpu_ns\":$((w1 - w0)),\"watch_user_ticks\":$((u1 - u0)),\"watch_system_ticks\":$((k1 - k0)),\"watch_sleeps\":$((s1 - s0))}"
param event_rate 1000

step "5. kernel memory (Slab in /proc/meminfo)"
# per table: 200 tables of 1024 ranges for addresses no device has
before=$(slab_kb)
for i in $(seq 200); do "$CTL" load-table "$(printf '0001:%02x:00.0' "$i")" "$TMPDIR/t1024"; done
after=$(slab_kb)
record "{\"name\":\"memory-table\",\"ranges\":1024,\"tables\":200,\"bytes_per_table\":$(((after - before) * 1024 / 200))}"
for i in $(seq 200); do "$CTL" clear "$(printf '0001:%02x:00.0' "$i")"; done
# per device: binding the same device to cfgguard-vfio-pci and to vfio-pci
for r in 1 2 3 4 5; do
	unbind "$A" > /dev/null; s0=$(slab_kb); bind "$A" vfio-pci > /dev/null; s1=$(slab_kb)
	unbind "$A" > /dev/null; s2=$(slab_kb); bind "$A" "$DRIVER" > /dev/null; s3=$(slab_kb)
	echo "$(((s3 - s2) - (s1 - s0)))"
done > "$TMPDIR/mem"
record "{\"name\":\"memory-device\",\"extra_bytes_vs_vfio_pci\":$(($(sort -n "$TMPDIR/mem" | sed -n 3p) * 1024)),\"rounds\":5}"

step "6. the lookup code in userspace"
"$CFGGUARD_BUILD/tests/lookup-bench" | tee -a "$out"
