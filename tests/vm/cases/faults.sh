# timeout: 1800
# Issue 9.4: every allocation of table load, delete, mode and counter
# changes, state reads, device bind and unbind, watch subscription and
# event emission fails once, by fail_nth, walked from the first to the
# last: each failure is a clear error (or, for an event, a counted loss),
# leaves the previous state in force and splats nothing; run.sh checks the
# kernel log, and kmemleak after the module is gone.
[[ -e /proc/self/fail-nth ]] || skip "this kernel has no fail_nth (CONFIG_FAULT_INJECTION)"
dbg=/sys/kernel/debug
mountpoint -q "$dbg" || mount -t debugfs debugfs "$dbg"
[[ -d $dbg/failslab ]] || skip "this kernel has no failslab"
# GFP_KERNEL allocations too, and no stack dump per injected failure
echo N > "$dbg/failslab/ignore-gfp-wait"
echo 0 > "$dbg/failslab/verbose"

load_cfgguard
bdf=$E1000E
NL_FUZZ=$CFGGUARD_BUILD/tests/nl-fuzz
drv=/sys/bus/pci/drivers/$DRIVER

# Linux 6.12's vfio core has an error path of its own that splats:
# vfio_create_group() put_device()s a group whose iommu_group is still set
# when dev_set_name() or cdev_device_add() fails, so vfio_group_release()
# hits WARN_ON(group->iommu_group) (drivers/vfio/group.c:538) and the
# iommu_group reference leaks. Not cfgguard's to fix: allocations under
# that function are left out of the walk (failslab's stack filter).
step "vfio core's own error path left out"
# The function's end is the next symbol's start: one pass, no sort (the
# addresses are all 16 hex digits, so they compare as strings).
start=0x$(awk '$3 == "vfio_create_group" { print $1; exit }' /proc/kallsyms)
end=0x$(awk -v s="${start#0x}" '$1 > s && (e == "" || $1 < e) { e = $1 } END { print e }' /proc/kallsyms)
[[ $start != 0x && $end != 0x ]] || fail "vfio_create_group is not in /proc/kallsyms"
echo "$start" > "$dbg/failslab/reject-start"
echo "$end" > "$dbg/failslab/reject-end"
echo "  not failed: allocations under vfio_create_group ($start-$end)"

step "bind and unbind"
# Walked by nl-fuzz itself: a bind has hundreds of fault sites, and a
# program run per site is too slow on a KASAN kernel.
write_to "/sys/bus/pci/devices/$bdf/driver_override" "$DRIVER"
unbind "$bdf"
out=$("$NL_FUZZ" walk-write "$drv/bind" "$bdf" "$drv/unbind" "$bdf") || fail "bind walk"
echo "  bind: $out, each failed once ($SECONDS s)"
out=$("$NL_FUZZ" walk-write "$drv/unbind" "$bdf" "$drv/bind" "$bdf") || fail "unbind walk"
echo "  unbind: $out, each failed once ($SECONDS s)"
[[ $(driver_of "$bdf") == "$DRIVER" ]] || write_to "$drv/bind" "$bdf"

step "table load, replace, delete and get, mode set, dev-get"
# Walked by nl-fuzz too (walk-nl): words as nl-raw's, commands by number.
walk_nl() { # <name> <prepare requests> <request> [<prepare command>]
	local out
	out=$("$NL_FUZZ" walk-nl "$2" "$3" ${4:+"$4"}) || fail "$1 walk"
	echo "  $1: $out, each failed once ($SECONDS s)"
}
set_dev="cmd=1 bdf=$bdf default=0 range=0x298,4,2 range=0x2a0,4,0,0xff00ff00"
set_model="cmd=1 vendor=0x8086 device=0x10d3 default=2 range=0x40,8,1"
no_tables="cmd=3 bdf=$bdf;cmd=3 vendor=0x8086 device=0x10d3"
tables="$no_tables;$set_dev;$set_model"
walk_nl table-set-device "$no_tables" "$set_dev"
walk_nl table-set-model "$no_tables" "$set_model"
walk_nl table-replace "$tables" "cmd=1 bdf=$bdf default=2 range=0x100,16,0"
walk_nl table-del "$tables" "cmd=3 bdf=$bdf"
walk_nl table-get "$tables" "cmd=2 bdf=$bdf"
walk_nl mode-set "cmd=5 bdf=$bdf mode=0" "cmd=5 bdf=$bdf mode=1"
walk_nl dev-get "" "cmd=4 bdf=$bdf"
"$CTL" mode "$bdf" enforce

step "counter reset"
# counters to reset: a blocked write and a read, made before each try
walk_nl stats-reset "" "cmd=6 bdf=$bdf" "$VFIO_CFG $bdf w1:0x298=0x5a r4:0x298 > /dev/null"

step "watch subscription"
for ((n = 1; n < 200; n++)); do
	out=$(FAIL_NTH=$n timeout 3 "$NL_RAW" listen 65536 2>&1 || true)
	[[ $out == *"fault unreached"* ]] && { echo "  subscribe: $((n - 1)) fault sites"; break; }
	[[ $out == *"fault injected"* && $out == *"error subscribe"* ]] ||
		[[ $out == *"fault injected"* && $out == *listening* ]] ||
		fail "subscribe: fault $n: $out"
done

step "event emission: a lost event is counted as lost"
printf 'default allow\n0x298+4 deny\n0x2a0+4 allow wmask=0xff00ff00\n' > "$TMPDIR/table"
"$CTL" load-table "$bdf" "$TMPDIR/table"
"$NL_RAW" listen 1048576 > "$TMPDIR/listen" &
listener=$!
for _ in $(seq 50); do grep -q listening "$TMPDIR/listen" && break; sleep 0.1; done
for ((n = 1; n < 200; n++)); do
	"$CTL" stats --reset "$bdf" > /dev/null
	out=$(FAIL_NTH=$n "$VFIO_CFG" "$bdf" w1:0x298=0x5a 2>&1) || fail "event: fault $n: the access failed: $out"
	read -r blocked reported < <("$CTL" stats --json "$bdf" |
		jq -r '.[0] | "\(.write_blocked) \(.events + .suppressed + .lost + .unwatched)"')
	expect_eq "event fault $n: write_blocked" 1 "$blocked"
	expect_eq "event fault $n: events + suppressed + lost + unwatched" 1 "$reported"
	[[ $out == *"fault unreached"* ]] && { echo "  event: $((n - 1)) fault sites"; break; }
done
kill "$listener"
wait "$listener" 2> /dev/null || true

step "and everything still works"
"$CTL" clear "$bdf"
"$CTL" load-table "$bdf" "$TMPDIR/table"
expect_read "$bdf" 4 0x298 0
echo "PASS"
