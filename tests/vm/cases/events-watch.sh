# Issue 4: a guest-like sequence of blocked and allowed accesses produces
# exactly the expected events in `watch --json`, field by field, and the
# counters account for every access.
load_vfio
step "watch without the module says so"
# no autoload of an installed module through the family alias meanwhile
modprobe_path=$(cat /proc/sys/kernel/modprobe)
write_to /proc/sys/kernel/modprobe /bin/true
out=$("$CTL" watch 2>&1) && fail "watch ran without the module"
echo "  $out"
expect_eq "message" "Unable to watch: the cfgguard module is not loaded (modprobe cfgguard-vfio-pci)" "$out"
write_to /proc/sys/kernel/modprobe "$modprobe_path"
insmod "$KMOD"

bdf=$E1000E
bind "$bdf" "$DRIVER"
printf 'default allow\n0x280+4 deny\n0x284+4 read-only\n0x288+4 allow wmask=0xff\n' > "$TMPDIR/t"
ctl load-table "$bdf" "$TMPDIR/t"
out=$TMPDIR/watch.json

start_watch() { # <args>...
	"$CTL" watch "$@" > "$out" 2> "$TMPDIR/watch.err" &
	watch_pid=$!
	for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" 2>/dev/null && return; sleep 0.1; done
	cat "$TMPDIR/watch.err"
	fail "watch did not start"
}
stop_watch() {
	sleep 0.5
	kill -INT "$watch_pid"
	wait "$watch_pid" || fail "watch exited $? on SIGINT"
}

"$CTL" stats --reset "$bdf"
start_watch --json "$bdf"
vfio_cfg "$bdf" r4:0 r4:0x280 w1:0x281=0x5a r2:0x284 w2:0x284=0x1234 \
	w4:0x288=0xaabbccdd w4:0x27e=0x11223344 r4:0x290 > /dev/null
stop_watch
cat "$out"

# op offset size value result mode table comm seq suppressed
expected='read 640 4 - blocked enforce device vfio-cfg 1 0
write 641 1 90 blocked enforce device vfio-cfg 2 0
write 644 2 4660 blocked enforce device vfio-cfg 3 0
write 648 4 2864434397 masked enforce device vfio-cfg 4 0
write 638 4 287454020 blocked enforce device vfio-cfg 5 0'
got=$(jq -r '[.op, .offset, .size, (.value // "-"), .result, .mode, .table, .comm, .seq, .suppressed] | map(tostring) | join(" ")' < "$out")
expect_eq "events" "$expected" "$got"
expect_eq "bdf of every event" "$bdf" "$(jq -r .bdf < "$out" | sort -u)"
expect_eq "events with a pid" 5 "$(jq -r 'select(.pid > 0) | .pid' < "$out" | wc -l)"
[[ $(jq -r .ktime_ns < "$out" | sort -n | uniq | wc -l) == 5 ]] || fail "timestamps are not distinct"

step "counters: 8 accesses, each counted once"
"$CTL" stats "$bdf"
stats=$("$CTL" stats --json "$bdf")
for f in read_allowed:3 read_blocked:1 write_blocked:3 write_masked:1 write_allowed:0 suppressed:0 lost:0; do
	expect_eq "${f%%:*}" "${f#*:}" "$(jq ".[0].${f%%:*}" <<< "$stats")"
done

step "human output"
start_watch "$bdf"
vfio_cfg "$bdf" w1:0x281=0x5a > /dev/null
stop_watch
cat "$out"
grep -qE "^[0-9T:.Z-]+ $bdf write 0x281\+1 value=0x5a blocked mode=enforce table=device pid=[0-9]+ comm=vfio-cfg seq=6$" "$out" ||
	fail "unexpected human line"

step "audit mode reports would-be blocks and lets them through"
ctl mode "$bdf" audit
start_watch --json
vfio_cfg "$bdf" w1:0x281=0x5a > /dev/null
stop_watch
expect_eq "audited event" "write 641 audited audit" "$(jq -r '[.op, .offset, .result, .mode] | map(tostring) | join(" ")' < "$out")"
expect_host "$bdf" 0x281 1 0x5a
ctl mode "$bdf" enforce

step "a hostile task name cannot forge fields (issue 8.2)"
forged='x","result":"al'
start_watch --json "$bdf"
vfio_cfg "$bdf" "comm:$forged" w1:0x281=0x5a > /dev/null
stop_watch
cat "$out"
expect_eq "comm as named" "$forged" "$(jq -r .comm < "$out")"
expect_eq "result" blocked "$(jq -r .result < "$out")"
expect_eq "keys" 1 "$(jq -c 'keys' < "$out" | grep -c '"result"')"
# a name with a line break and an escape sequence: one line, no control bytes
start_watch "$bdf"
vfio_cfg "$bdf" "comm:a"$'\n'"b"$'\e'"[2J" w1:0x281=0x5a > /dev/null
stop_watch
cat -A "$out"
expect_eq "human lines" 1 "$(wc -l < "$out")"
LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$out" && fail "control characters in the human output"
start_watch --json "$bdf"
vfio_cfg "$bdf" "comm:a"$'\n'"b"$'\e'"[2J" w1:0x281=0x5a > /dev/null
stop_watch
expect_eq "json comm" "a"$'\n'"b"$'\e'"[2J" "$(jq -r .comm < "$out")"
