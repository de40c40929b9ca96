# timeout: 1800
# Issue 9.6: a randomized differential test. cfgdiff (tests/vfio/cfgdiff.c)
# makes a million random config accesses of the e1000e bound to cfgguard,
# under random tables, modes and parameters switched during the run, and
# checks each against its own model of cfgguard-table(5) and against the
# twin e1000e on stock vfio-pci; the devices' registers from the host side
# and the counters against the model. Its header says which registers no
# write reaches and why. Two runs of 500,000: the second with
# `cfgguard-ctl watch` listening, so that events are sent and suppressed
# as well as unwatched. Each random counter reset must take events +
# suppressed + lost + unwatched equal to the reported accesses it takes.
#
# Each run prints its seed first, time-based. To run a seed again, write
# it to <build dir>/differential.seed: both runs then take it. A failure
# shrinks to a minimal reproducer, which the case replays and leaves in
# <build dir>/vm/<kernel>/differential/differential.repro.
load_cfgguard
bind "$E1000E" "$DRIVER"
bind "$E1000E_2" vfio-pci

CFGDIFF=$CFGGUARD_BUILD/tests/cfgdiff
[[ -x $CFGDIFF ]] || fail "$CFGDIFF is not built"
seed=()
if [[ -s $CFGGUARD_BUILD/differential.seed ]]; then
	seed=(--seed "$(< "$CFGGUARD_BUILD/differential.seed")")
fi
repro=$CFGGUARD_OUT/differential.repro
total=0

differential() { # <name>
	local log=$TMPDIR/$1.log rc expected bad n start=$SECONDS

	rm -f "$repro"
	rc=0
	"$CFGDIFF" "${seed[@]}" --rounds 10 --accesses 50000 --repro "$repro" \
		"$E1000E" "$E1000E_2" | tee "$log" || rc=${PIPESTATUS[0]}
	if ((rc)); then
		if [[ -s $repro ]]; then
			step "the reproducer, replayed"
			"$CFGDIFF" --replay "$repro" "$E1000E" "$E1000E_2" || true
		fi
		fail "$(grep -m1 '^cfgdiff: seed' "$log"): cfgdiff exited $rc"
	fi
	echo "  $1: $((SECONDS - start)) s"

	# what stats --json reads is what the model counted; one jq, as a
	# process costs seconds under TCG
	expected=$(sed -n 's/^counters //p' "$log")
	stats=$("$CTL" stats --json "$E1000E")
	echo "  $stats"
	[[ -n $expected ]] || fail "cfgdiff printed no counters"
	bad=$(jq -rn --argjson e "$expected" --argjson s "$stats" '$s[0] as $d |
		[($e | to_entries[] | select(.key != "bdf" and $d[.key] != .value) |
		  "counter \(.key) is \($d[.key]), the model counted \(.value)"),
		 ($d | select(.events + .suppressed + .lost + .unwatched !=
			      .read_blocked + .read_audited + .write_blocked +
			      .write_masked + .write_audited) |
		  "events + suppressed + lost + unwatched is not the reported accesses")] |
		join("; ")')
	[[ -z $bad ]] || fail "$1: $bad"
	taken=$(sed -n 's/^taken by resets //p' "$log")
	[[ -n $taken ]] || fail "cfgdiff printed nothing of what its resets took"
	n=$(sed -n 's/^PASS: seed [0-9]*: \([0-9]*\) accesses .*/\1/p' "$log")
	[[ -n $n ]] || fail "cfgdiff printed no verdict"
	total=$((total + n))
}

step "nobody listening"
differential quiet

step "with watch listening"
"$CTL" watch --json > /dev/null &
watch_pid=$!
sleep 1
differential watched
kill "$watch_pid"
wait "$watch_pid" || true
# a random reset may come late in the run: what the resets took counts too
events=$(jq -rn --argjson t "$taken" --argjson s "$stats" \
	'"\($t.events + $s[0].events) \($t.suppressed + $s[0].suppressed)"')
echo "  events sent, suppressed, over the run: $events"
[[ $events != "0 0" ]] || fail "watch was listening, but no event was sent or suppressed"

step "accesses checked: $total"
((total >= 1000000)) || fail "only $total accesses were checked"
