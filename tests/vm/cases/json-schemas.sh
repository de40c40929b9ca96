# Issue 10: every JSON document cfgguard-ctl prints (list, show, stats,
# stats --reset, every line of watch with its lost record) is valid
# against docs/schemas/, and stats --prometheus passes promtool and says
# what stats --json and list --json say. Mutated documents and expositions
# must fail the same checks, so a check that passes everything fails here.
# timeout: 1500
/usr/bin/python3 -c 'import jsonschema' 2> /dev/null ||
	skip "python3-jsonschema is not importable in the VM (tests/deps.sh)"
command -v promtool > /dev/null || skip "promtool is not installed (tests/deps.sh: prometheus)"

schemas=$CFGGUARD_SRC/docs/schemas
validate=$CFGGUARD_SRC/tests/json/validate.py
prom_stats=$CFGGUARD_SRC/tests/json/prom-stats.py
d=$TMPDIR/json
mkdir -p "$d"

valid() { # [--lines] <schema> <file>...
	local lines=
	[[ $1 == --lines ]] && { lines=$1; shift; }
	"$validate" $lines "$schemas/$1.schema.json" "${@:2}" | tail -n 20 ||
		fail "not valid against $1.schema.json"
}
# A mutated document for the negative controls, from stdin: validated all
# at once at the end (a Python start costs more than its checks here).
mutated() { # <schema> <what>
	local dir=$d/mutated/$1
	mkdir -p "$dir"
	cat > "$dir/$(($(ls "$dir" | wc -l) + 1))"
	echo "  $1: $2"
}
# Saved to the results share, so a failure can be read after the VM is gone.
keep() { # <file>...
	cp "$@" "$CFGGUARD_OUT/"
}

load_cfgguard

step "nothing bound, nothing loaded"
"$CTL" list --json > "$d/list-empty.json"
"$CTL" show --json > "$d/show-empty.json"
"$CTL" stats --json > "$d/stats-empty.json"
"$CTL" stats --prometheus > "$d/empty.prom"
for f in list show stats; do
	expect_eq "$f --json" "[]" "$(cat "$d/$f-empty.json")"
done
promtool check metrics < "$d/empty.prom" || fail "promtool refuses the empty exposition"
expect_eq "HELP and TYPE only" 0 "$(grep -vc '^# ' "$d/empty.prom")"

step "three devices, one for each kind of table"
# E1000E: its own table (enforce); E1000E_2: the e1000e model table
# (audit); NVME: the default table (enforce).
bind "$E1000E" "$DRIVER"
bind "$E1000E_2" "$DRIVER"
bind "$NVME" "$DRIVER"
printf 'size 4096\ndefault allow\n0x280+4 deny\n0x284+4 read-only\n0x288+4 allow wmask=0xff\n0x28c+2 allow wmask=0x0ff0\n0x28e+1 allow wmask=0x3\n' > "$d/device.table"
printf 'default allow\n0x280+4 deny\n0x284+4 read-only\n' > "$d/model.table"
ctl load-table "$E1000E" "$d/device.table"
ctl load-table 8086:10d3 "$d/model.table"
# a table for a device not (yet) present, in a domain past ffff
ctl load-table 10000:00:01.0 "$d/model.table"
ctl mode "$E1000E_2" audit
nvme_off=$(unassigned_offsets "$NVME" | sed -n 1p)
[[ -n $nvme_off ]] || fail "no unassigned offset in $NVME"

"$CTL" stats --reset --json "$E1000E" > "$d/stats-reset.json"
expect_eq "stats --reset --json devices" 1 "$(jq length "$d/stats-reset.json")"
"$CTL" stats --reset "$E1000E_2" > /dev/null
"$CTL" stats --reset "$NVME" > /dev/null

step "watch --json: blocked, masked and audited accesses"
start_watch() { # <output file>
	"$CTL" watch --json > "$1" 2> "$d/watch.err" &
	watch_pid=$!
	for _ in $(seq 50); do grep -q Watching "$d/watch.err" && return; sleep 0.1; done
	cat "$d/watch.err"
	fail "watch did not start"
}
stop_watch() {
	sleep 0.5
	kill -INT "$watch_pid"
	wait "$watch_pid" || fail "watch exited $? on SIGINT"
}
events=$d/events.jsonl
start_watch "$events"
vfio_cfg "$E1000E" r4:0 r4:0x280 w1:0x281=0x5a w2:0x284=0x1234 \
	w4:0x288=0xaabbccdd w2:0x28c=0xffff w1:0x28e=0xff w4:0x27e=0x11223344 > /dev/null
# a whole-space read: an event of 4096 bytes without a value
vfio_cfg "$E1000E" dump > /dev/null
vfio_cfg "$E1000E_2" r4:0x280 w1:0x284=0x01 > /dev/null
vfio_cfg "$NVME" "w4:$nvme_off=0x12345678" > /dev/null
stop_watch
keep "$events"
cat "$events"
# the output covers what the schema tells apart, or the validation proves little
for q in '.op == "read"' '.op == "write"' '.result == "blocked"' '.result == "masked"' \
	'.result == "audited"' '.table == "device"' '.table == "model"' '.table == "default"' \
	'has("value") | not' '.size > 4' '.mode == "audit"'; do
	(($(jq -c "select($q)" < "$events" | wc -l) > 0)) || fail "no event with $q"
done
expect_eq "events" 11 "$(wc -l < "$events")"

step "watch --json: the lost record of an overrun"
# A stopped watch overruns its 16 MiB receive buffer: the kernel says
# ENOBUFS, watch prints a lost record without a device, and the next
# event's suppressed counts what the overrun cost.
param event_rate 0
flood=$d/flood.jsonl
start_watch "$flood"
kill -STOP "$watch_pid"
n=100000
vfio_cfg "$E1000E" "loop$n:w1:0x281=0x5a" > /dev/null
kill -CONT "$watch_pid"
wait_drained "$flood"
vfio_cfg "$E1000E" w1:0x281=0x5a > /dev/null
wait_drained "$flood"
stop_watch
param event_rate 1000
jq -c 'select(.event == "lost")' < "$flood" | tee "$CFGGUARD_OUT/lost.jsonl"
(($(grep -c '"event":"lost"' "$flood") > 0)) || fail "no lost record after $n events to a stopped watch"
expect_eq "the last event carries the overrun" true \
	"$(tail -n1 "$flood" | jq '.event == "access" and .suppressed > 0')"
echo "  $(wc -l < "$flood") lines"
# and one that must pass: a lost record of a device, which only a gap
# that suppressed does not explain produces (none is made here)
printf '{"event":"lost","ts":"2026-11-24T02:43:14.665054Z","bdf":"%s","count":3}\n' "$E1000E" > "$d/lost-dev.jsonl"
# The flood's lines are alike but for their numbers: its first thousand,
# every lost record and its last lines stand for the rest (the socket
# holds some 87,000 batched events, which python-jsonschema in a TCG
# guest takes many minutes to go through).
{ head -n 1000 "$flood"; grep '"event":"lost"' "$flood"; tail -n 100 "$flood"; } > "$d/flood-sample.jsonl"
valid --lines event "$events" "$d/flood-sample.jsonl" "$d/lost-dev.jsonl"

step "the state documents"
"$CTL" list --json > "$d/list.json"
"$CTL" list --json "$NVME" > "$d/list-one.json"
"$CTL" show --json > "$d/show.json"
"$CTL" show --json "$E1000E" > "$d/show-device.json"
"$CTL" show --json 8086:10d3 > "$d/show-model.json"
"$CTL" stats --json > "$d/stats.json"
"$CTL" stats --json "$E1000E" > "$d/stats-one.json"
keep "$d"/*.json
cat "$d"/{list,show,stats}.json
valid list "$d"/list{-empty,,-one}.json
valid show "$d"/show{-empty,,-device,-model}.json
valid stats "$d"/stats{-empty,-reset,,-one}.json
expect_eq "listed" 3 "$(jq length "$d/list.json")"
expect_eq "tables" 3 "$(jq length "$d/show.json")"
expect_eq "the device table as loaded" \
	'{"key":"0000:00:10.0","kind":"device","default":"allow","cfg_size":4096,"ranges":[{"start":640,"len":4,"action":"deny"},{"start":644,"len":4,"action":"read-only"},{"start":648,"len":4,"action":"allow","wmask":255},{"start":652,"len":2,"action":"allow","wmask":4080},{"start":654,"len":1,"action":"allow","wmask":3}]}' \
	"$(jq -c '.[0]' "$d/show-device.json")"
expect_eq "table kinds" "device model" "$(jq -r '[.[].kind] | unique | join(" ")' "$d/show.json")"
# what docs/json.md says of the counters
jq -e 'all(.[]; .events + .suppressed + .lost + .unwatched ==
	.read_blocked + .read_audited + .write_blocked + .write_masked + .write_audited)' \
	"$d/stats.json" > /dev/null || fail "the event counters do not add up to the reported accesses"

step "stats --prometheus"
# nothing accesses the devices now: the readings must agree
"$CTL" stats --prometheus > "$d/all.prom"
"$CTL" stats --prometheus "$NVME" > "$d/one.prom"
"$CTL" stats --json > "$d/stats.json"
keep "$d"/*.prom
cat "$d/all.prom"
promtool check metrics < "$d/all.prom" || fail "promtool check metrics refuses the exposition"
promtool check metrics < "$d/one.prom" || fail "promtool check metrics refuses one device's exposition"
"$prom_stats" "$d/all.prom" "$d/stats.json" "$d/list.json" || fail "stats --prometheus differs from stats --json"
jq "[.[] | select(.bdf == \"$NVME\")]" "$d/stats.json" > "$d/stats-nvme.json"
"$prom_stats" "$d/one.prom" "$d/stats-nvme.json" "$d/list-one.json" ||
	fail "stats --prometheus <BDF> differs from stats --json"
grep -q "^cfgguard_write_masked_total{device=\"$E1000E\",model=\"8086:10d3\"} 3$" "$d/all.prom" ||
	fail "no write_masked of 3 for $E1000E"
out=$("$CTL" stats --prometheus --reset "$E1000E" 2>&1) && fail "--prometheus --reset ran"
expect_eq "--prometheus --reset" "--prometheus goes with neither --json nor --reset" "$out"

step "negative controls: mutated documents fail"
jq '.[0].mode = "Enforce"' "$d/list.json" | mutated list "a mode not in the enum"
jq '.[0].bdf = "0000:00:10.0 "' "$d/list.json" | mutated list "a bdf with a trailing space"
jq '.[0].vendor = "8086 "' "$d/list.json" | mutated list "a vendor of 5 characters"
jq '.[1] += {"extra": 1}' "$d/list.json" | mutated list "an unknown field"
jq 'del(.[2].table)' "$d/list.json" | mutated list "a missing field"
jq '.[0].ranges[0].wmask = 1' "$d/show-device.json" | mutated show "a write mask on a deny range"
jq '.[0].ranges[4].wmask = 256' "$d/show-device.json" | mutated show "a write mask wider than its range"
jq '.[0].kind = "model"' "$d/show-device.json" | mutated show "a device address as a model key"
jq '.[0].default = "block"' "$d/show-device.json" | mutated show "an action not in the enum"
jq '.[0].lost = -1' "$d/stats.json" | mutated stats "a negative counter"
jq '.[0].events = "1"' "$d/stats.json" | mutated stats "a counter as a string"
jq 'del(.[0].unwatched)' "$d/stats.json" | mutated stats "a missing counter"
jq '.[0].bdf = "00:10.0"' "$d/stats.json" | mutated stats "a short address"
head -n1 "$events" | jq -c 'del(.seq)' | mutated event "an event without seq"
head -n1 "$events" | jq -c '.result = "masked"' | mutated event "a masked read"
head -n1 "$events" | jq -c '.ts = "2026-11-24 02:25:07Z"' | mutated event "a timestamp not RFC 3339 with microseconds"
head -n1 "$events" | jq -c '.op = "write" | .value = 4294967296' | mutated event "a value past 32 bits"
head -n1 "$events" | jq -c '.mode = "off"' | mutated event "an event in off mode"
jq -c 'select(.event == "lost")' "$flood" | sed -n 1p | jq -c '.count = 5' |
	mutated event "an overrun record with a count"
{ cat "$events"; head -n1 "$events" | sed 's/"seq":/"seq":1,"seq":/'; } |
	mutated event "a key given twice"
for schema in list show stats; do
	"$validate" --invalid "$schemas/$schema.schema.json" "$d/mutated/$schema"/* ||
		fail "a mutated document passed $schema.schema.json"
done
"$validate" --lines --invalid "$schemas/event.schema.json" "$d/mutated/event"/* ||
	fail "a mutated event passed event.schema.json"

step "negative controls: mutated expositions fail"
sed '1d' "$d/all.prom" > "$d/bad.prom"
promtool check metrics < "$d/bad.prom" > /dev/null 2>&1 && fail "promtool takes a family without HELP"
sed 's/cfgguard_read_allowed_total/cfgguard_read_allowed/' "$d/all.prom" > "$d/bad.prom"
promtool check metrics < "$d/bad.prom" > /dev/null 2>&1 && fail "promtool takes a counter without _total"
sed "s/^\(cfgguard_write_blocked_total{device=\"$E1000E\".*\) \([0-9]*\)$/\1 1\2/" "$d/all.prom" > "$d/bad.prom"
cmp -s "$d/all.prom" "$d/bad.prom" && fail "the mutation changed nothing"
"$prom_stats" "$d/bad.prom" "$d/stats.json" "$d/list.json" && fail "prom-stats.py takes a wrong value"
sed "/device_mode{device=\"$NVME\".*mode=\"enforce\"/s/ 1$/ 0/" "$d/all.prom" > "$d/bad.prom"
cmp -s "$d/all.prom" "$d/bad.prom" && fail "the mode mutation changed nothing"
"$prom_stats" "$d/bad.prom" "$d/stats.json" "$d/list.json" && fail "prom-stats.py takes a wrong mode"
echo "  all mutations rejected"

step "the example service and rules (contrib/prometheus)"
# its command line, run by the shell as systemd would, into a directory of ours
contrib=$CFGGUARD_SRC/contrib/prometheus
textdir=$d/textfile
mkdir -p "$textdir"
cmd=$(sed -n 's/^ExecStart=//p' "$contrib/cfgguard-textfile.service")
cmd=${cmd//"/var/lib/prometheus/node-exporter"/$textdir}
cmd=${cmd//"cfgguard-ctl "/$CTL }
echo "  $cmd"
eval "$cmd" || fail "the service's command failed"
expect_eq "files written" cfgguard.prom "$(ls "$textdir")"
promtool check metrics < "$textdir/cfgguard.prom" || fail "promtool refuses the service's file"
cmp "$textdir/cfgguard.prom" "$d/all.prom" || fail "the service's file is not stats --prometheus"
# a tool that fails: no file at all, rather than stale counters
eval "${cmd//"$CTL "//bin/false }" && fail "the service's command succeeded with a failing tool"
expect_eq "files after a failure" "" "$(ls "$textdir")"
promtool check rules "$contrib/cfgguard-alerts.yml" || fail "promtool refuses the example rules"
