# timeout: 1800
# cmdline: watchdog_thresh=60
# Issue 9.7: everything that changes state, at once, for minutes, against
# accesses from several threads and a nested QEMU: table swaps, mode
# flips, counter resets, watch joining and leaving, bind and unbind of a
# second device, rmmod attempts. No splat (run.sh; on the debug kernel
# also KASAN, lockdep and kmemleak), and every access accounted: the
# counters taken by each reset plus the last reading add up to the
# accesses made, and every reported access to events, suppressed, lost or
# unwatched.
# The guest's soft-lockup threshold is raised to 120 s: under TCG on a
# loaded host a vCPU thread can go unscheduled for 20 s (seen: a page
# clear in a page fault "stuck for 22s"); a real lockup still shows.
load_cfgguard
bdf=$E1000E
spare=$E1000E_2
nested=$NVME
seconds=${STRESS_SECONDS:-120}
bind "$bdf" "$DRIVER"
bind "$spare" "$DRIVER"
bind "$nested" "$DRIVER"
printf 'default allow\n0x298+4 deny\n0x2a0+4 allow wmask=0xff\n' > "$TMPDIR/a"
printf 'default deny\n0x0+0x100 allow\n0x298+4 read-only\n' > "$TMPDIR/b"
printf 'default allow\n' > "$TMPDIR/c"
: > "$TMPDIR/resets"
end=$((SECONDS + seconds))
pids=()
: > "$TMPDIR/nested-runs"

step "$seconds s of everything at once"
# The accesses: bursts of four threads, each a known number of 1-byte
# writes to a register whose action the tables swap, a second apart, all
# the time the loops run. Then the process keeps the device open, which
# holds the module: every rmmod attempt must fail. (A group opens once at
# a time, so one process does both.)
rounds=$seconds n=0 ops=()
for ((i = 0; i < rounds; i++)); do
	ops+=("par4x1000:w1:0x298=0x5a" "hold:1")
	n=$((n + 1000))
done
vfio_cfg "$bdf" "${ops[@]}" "hold:$((seconds + 600))" > "$TMPDIR/par" 2>&1 &
holder=$!
# Each loop names itself; a command that must not fail ends it with its
# name in $TMPDIR/failed (the case runs under set -e).
loop() { # <name> <body function>
	(while ((SECONDS < end)); do "$2" || { echo "$1" >> "$TMPDIR/failed"; exit 1; }; done) &
	pids+=($!)
}
tables() {
	for t in a b c a; do "$CTL" load-table "$bdf" "$TMPDIR/$t" || return; done
	"$CTL" clear "$bdf" && "$CTL" load-table 8086:10d3 "$TMPDIR/b" && "$CTL" clear 8086:10d3
}
modes() {
	for m in audit off enforce; do "$CTL" mode "$bdf" "$m" || return; done
}
resets() {
	"$CTL" stats --reset --json "$bdf" >> "$TMPDIR/resets" && sleep 0.2
}
watchers() {
	timeout 2 "$CTL" watch --json > /dev/null 2>&1
	(($? == 124))
}
rebinds() {
	unbind "$spare" > /dev/null &&
	! rmmod cfgguard_vfio_pci 2> /dev/null &&
	write_to /sys/bus/pci/drivers_probe "$spare" > /dev/null &&
	{ vfio_cfg "$spare" r4:0 w1:0x298=0x1 > /dev/null 2>&1 || true; }
}
nested_qemu() {
	printf 'info pci\nquit\n' | timeout 300 qemu-system-x86_64 -M q35 -m 64 -nodefaults \
		-display none -S -monitor stdio -device "vfio-pci,host=$nested" > "$TMPDIR/nested.log" 2>&1 &&
	echo x >> "$TMPDIR/nested-runs"
}
ulimit -l unlimited
loop "table swaps" tables
loop "mode flips" modes
loop "counter resets" resets
loop "watch joins and leaves" watchers
loop "rebinds and rmmod attempts" rebinds
loop "nested QEMU" nested_qemu
for p in "${pids[@]}"; do
	wait "$p" || fail "the loop of $(cat "$TMPDIR/failed") failed"
done
for _ in $(seq 600); do (($(grep -c done "$TMPDIR/par") == rounds)) && break; sleep 1; done
(($(grep -c done "$TMPDIR/par") == rounds)) || fail "the accessing threads did not finish: $(tail -n 3 "$TMPDIR/par")"
echo "  $rounds bursts of 4 x 1000 writes; the loops ran $SECONDS s"
kill "$holder"
wait "$holder" 2> /dev/null || true
echo "  nested QEMU realized the device $(wc -l < "$TMPDIR/nested-runs") times"

step "every access accounted"
"$CTL" mode "$bdf" enforce
"$CTL" stats --json "$bdf" > "$TMPDIR/final"
resets=$(jq -s length "$TMPDIR/resets")
writes=$(jq -s 'map(.[0] | .write_allowed + .write_blocked + .write_masked + .write_audited) | add' \
	"$TMPDIR/resets" "$TMPDIR/final")
reported=$(jq -s 'map(.[0] | .write_blocked + .write_masked + .write_audited + .read_blocked + .read_audited) | add' \
	"$TMPDIR/resets" "$TMPDIR/final")
accounted=$(jq -s 'map(.[0] | .events + .suppressed + .lost + .unwatched) | add' \
	"$TMPDIR/resets" "$TMPDIR/final")
made=$((4 * n))
echo "  $resets resets; writes counted $writes of $made; reported $reported, accounted $accounted"
expect_eq "writes counted" "$made" "$writes"
expect_eq "reported accesses accounted" "$reported" "$accounted"
echo "PASS"
