# Issue 9.5: changing policy (load, clear, mode, stats reset) needs
# CAP_SYS_ADMIN in the initial user namespace; reading state and watching
# need CAP_NET_ADMIN there. Every refused caller gets a clear error and
# changes nothing.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"

# cfgguard-ctl from a folder every user may read
install -m 0755 "$CTL" "$TMPDIR/cfgguard-ctl"
PCTL=$TMPDIR/cfgguard-ctl
printf 'default allow\n0x298+4 deny\n' > "$TMPDIR/table"
chmod 0644 "$TMPDIR/table"
ctl load-table "$bdf" "$TMPDIR/table"
ctl load-table 8086:10d3 "$TMPDIR/table"
vfio_cfg "$bdf" w4:0x298=0x1 > /dev/null

# Everything a refused caller could have changed, as root reads it.
state() {
	"$CTL" show --json
	"$CTL" list --json "$bdf"
}
state > "$TMPDIR/before"

as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
as_net_admin=(setpriv --reuid=nobody --regid=nogroup --clear-groups
	      --inh-caps=+net_admin --ambient-caps=+net_admin)
as_sys_admin=(setpriv --reuid=nobody --regid=nogroup --clear-groups
	      --inh-caps=+sys_admin --ambient-caps=+sys_admin)
as_userns_root=(unshare --user --map-root-user)
as_other_netns=(unshare --net)

# <what> <expected stderr pattern> <runner>... -- <cfgguard-ctl args>...
refused() {
	local what=$1 pattern=$2 runner=() out err rc
	shift 2
	while [[ $1 != -- ]]; do runner+=("$1"); shift; done
	shift
	echo "  [$what] cfgguard-ctl $*"
	out=$("${runner[@]}" "$PCTL" "$@" 2> "$TMPDIR/err" < /dev/null) && rc=0 || rc=$?
	err=$(cat "$TMPDIR/err")
	((rc != 0)) || fail "$what: cfgguard-ctl $* succeeded: $out"
	[[ $err =~ $pattern ]] || fail "$what: cfgguard-ctl $*: expected '$pattern', got: $err"
	[[ -z $out ]] || fail "$what: cfgguard-ctl $* was refused but printed: $out"
	echo "    refused: ${err//$'\n'/ | }"
}

allowed() {
	local what=$1 runner=() out
	shift
	while [[ $1 != -- ]]; do runner+=("$1"); shift; done
	shift
	echo "  [$what] cfgguard-ctl $*"
	out=$("${runner[@]}" "$PCTL" "$@" 2>&1 < /dev/null) || fail "$what: cfgguard-ctl $* failed: $out"
}

policy_changes=(
	"load-table $bdf $TMPDIR/table"
	"load-table 1af4:1041 $TMPDIR/table"
	"clear $bdf"
	"clear 8086:10d3"
	"mode $bdf off"
	"stats --reset $bdf"
)
reads=("list" "show" "stats $bdf")

eperm='Operation not permitted'
sysadmin="$eperm.*kernel: changing cfgguard policy needs CAP_SYS_ADMIN"
for who in nobody userns_root; do
	step "$who: every command refused"
	runner="as_$who[@]"
	for c in "${policy_changes[@]}" "${reads[@]}"; do
		# shellcheck disable=SC2086
		refused "$who" "$eperm" "${!runner}" -- $c
	done
	refused "$who" "$eperm" "${!runner}" -- watch
done

step "CAP_NET_ADMIN alone: reads and watch work, policy changes are refused"
for c in "${reads[@]}"; do
	# shellcheck disable=SC2086
	allowed net_admin "${as_net_admin[@]}" -- $c
done
for c in "${policy_changes[@]}"; do
	# shellcheck disable=SC2086
	refused net_admin "$sysadmin" "${as_net_admin[@]}" -- $c
done
"${as_net_admin[@]}" "$PCTL" watch --json "$bdf" > "$TMPDIR/watch" 2> "$TMPDIR/watch.err" &
watcher=$!
for _ in $(seq 50); do grep -q Watching "$TMPDIR/watch.err" && break; sleep 0.1; done
grep -q Watching "$TMPDIR/watch.err" || fail "watch with CAP_NET_ADMIN did not start: $(cat "$TMPDIR/watch.err")"
vfio_cfg "$bdf" w4:0x298=0x2 > /dev/null
for _ in $(seq 100); do
	grep -q '"op"' "$TMPDIR/watch" && break
	sleep 0.1
done
kill "$watcher"
wait "$watcher" 2> /dev/null || true
grep -q '"op":"write"' "$TMPDIR/watch" ||
	fail "watch with CAP_NET_ADMIN saw no event: $(cat "$TMPDIR/watch")"
echo "  watch with CAP_NET_ADMIN saw: $(head -n1 "$TMPDIR/watch")"

step "another network namespace: no cfgguard family, even for root"
for c in "${policy_changes[@]}" "${reads[@]}" watch; do
	# shellcheck disable=SC2086
	refused other_netns "no cfgguard family in this network namespace" "${as_other_netns[@]}" -- $c
done

step "nothing changed"
state > "$TMPDIR/after"
# the write above raised the counters the same way in both readings' absence
jq -S 'del(.. | .stats?)' "$TMPDIR/before" > "$TMPDIR/b" 2> /dev/null || cp "$TMPDIR/before" "$TMPDIR/b"
jq -S 'del(.. | .stats?)' "$TMPDIR/after" > "$TMPDIR/a" 2> /dev/null || cp "$TMPDIR/after" "$TMPDIR/a"
diff -u "$TMPDIR/b" "$TMPDIR/a" || fail "a refused caller changed the state"
expect_eq "mode of $bdf" enforce "$("$CTL" list --json "$bdf" | jq -r '.[0].mode')"

step "CAP_SYS_ADMIN alone may change policy"
allowed sys_admin "${as_sys_admin[@]}" -- mode "$bdf" audit
expect_eq "mode of $bdf" audit "$("$CTL" list --json "$bdf" | jq -r '.[0].mode')"
allowed sys_admin "${as_sys_admin[@]}" -- clear 8086:10d3
"$CTL" show --json | jq -e 'map(select(.key == "8086:10d3")) | length == 0' > /dev/null ||
	fail "clear by CAP_SYS_ADMIN left the model table"
echo "PASS"
