# timeout: 1200
# Issue 9.8: the guarded device is hot-unplugged (QMP device_del, behind a
# pcie-root-port) while a VFIO user hammers it with blocked writes, watch
# streams the events and tables are loaded over and over. The host lives;
# the VFIO user is asked for the device (the request IRQ), gives it back,
# and then gets errors, not a hang; the events it saw are in order and no
# more than the counters reported; the module unloads afterwards.
load_cfgguard
bdf=$VIRTIO_NET
bind "$bdf" "$DRIVER"
off=$(unassigned_offsets "$bdf" | sed -n 1p)
[[ -n $off ]] || fail "no unassigned offset on $bdf"
printf 'default allow\n%s+4 deny\n' "$off" > "$TMPDIR/table"
printf 'default allow\n' > "$TMPDIR/open"

"$CTL" watch --json "$bdf" > "$TMPDIR/watch" 2> "$TMPDIR/watch.err" &
watcher=$!
for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" && break; sleep 0.1; done
grep -q Watching "$TMPDIR/watch.err" || fail "watch did not start"

step "a VFIO user writes $off in a loop, tables change under it"
"$CTL" load-table "$bdf" "$TMPDIR/table"
"$VFIO_CFG" "$bdf" "untilreq:w1:$off=0x5a" > "$TMPDIR/user" 2>&1 &
user=$!
(
	while :; do
		"$CTL" load-table "$bdf" "$TMPDIR/open" 2> /dev/null
		"$CTL" load-table "$bdf" "$TMPDIR/table" 2> /dev/null
		"$CTL" stats --json "$bdf" > "$TMPDIR/last-stats.tmp" 2> /dev/null &&
			mv "$TMPDIR/last-stats.tmp" "$TMPDIR/last-stats"
	done
) &
loader=$!
sleep 5
kill -0 "$user" 2> /dev/null || fail "the VFIO user died: $(cat "$TMPDIR/user")"

step "device_del through QMP"
# written aside and renamed: the relay takes the file the moment it
# appears, and a request it took half-written failed the create (ENOENT)
echo '{"execute": "device_del", "arguments": {"id": "hotplug0"}}' > "$CFGGUARD_OUT/qmp-request.tmp"
mv "$CFGGUARD_OUT/qmp-request.tmp" "$CFGGUARD_OUT/qmp-request"
for _ in $(seq 100); do [[ -e $CFGGUARD_OUT/qmp-reply ]] && break; sleep 0.1; done
echo "  QEMU: $(cat "$CFGGUARD_OUT/qmp-reply")"
grep -q '"return"' "$CFGGUARD_OUT/qmp-reply" || fail "device_del failed"

# pciehp waits 5 s for a cancel, then vfio-pci asks the user for the device
for _ in $(seq 120); do kill -0 "$user" 2> /dev/null || break; sleep 1; done
kill -0 "$user" 2> /dev/null && fail "the VFIO user was not asked for the device in 120 s"
wait "$user" || fail "the VFIO user failed: $(cat "$TMPDIR/user")"
echo "  user: $(cat "$TMPDIR/user")"
grep -q '^request after' "$TMPDIR/user" || fail "no request seen: $(cat "$TMPDIR/user")"
for _ in $(seq 60); do [[ -e /sys/bus/pci/devices/$bdf ]] || break; sleep 1; done
[[ -e /sys/bus/pci/devices/$bdf ]] && fail "$bdf is still there"
echo "  $bdf is gone"
kill "$loader"
wait "$loader" 2> /dev/null || true

step "the VFIO user now gets an error, at once"
out=$(timeout 30 "$VFIO_CFG" "$bdf" r4:0 2>&1) && fail "opened a removed device: $out"
(($? != 124)) || fail "opening a removed device hung"
echo "  $out"

step "cfgguard forgot the device; the events are in order and all counted"
"$CTL" list --json | jq -e "map(select(.bdf == \"$bdf\")) | length == 0" > /dev/null ||
	fail "cfgguard still lists $bdf"
kill -INT "$watcher"
wait "$watcher" || fail "watch exited $? after the removal"
events=$(grep -c '"bdf"' "$TMPDIR/watch" || true)
jq -s -e 'map(select(has("seq")) | .seq) | . == sort and (unique | length) == length' "$TMPDIR/watch" > /dev/null ||
	fail "events out of order or repeated"
reported=$(jq '.[0] | .events' "$TMPDIR/last-stats")
echo "  watch saw $events events; the last counters read before the removal said $reported sent"
((events >= reported)) || fail "watch saw fewer events ($events) than were sent before the last reading ($reported)"
((events > 0)) || fail "no event seen"

step "the module unloads"
rmmod cfgguard_vfio_pci || fail "rmmod after the removal failed"
echo "PASS"
