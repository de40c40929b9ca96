# timeout: 1800
# Issue 9.3: random and mutated messages to the cfgguard family, with valid
# requests among them, from root. No message the kernel refuses may change
# anything (nl-fuzz reads the whole state after every message), and
# replaying only the accepted policy changes on a freshly loaded module
# must rebuild exactly the state the run left.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"
NL_FUZZ=$CFGGUARD_BUILD/tests/nl-fuzz
count=${NL_FUZZ_COUNT:-100000}
seed=$(od -An -tu4 -N4 /dev/urandom | tr -d ' ')

step "nl-fuzz run, seed $seed, $count messages"
start=$(date +%s)
"$NL_FUZZ" run "$seed" "$count" "$bdf" "$TMPDIR/accepted" ||
	fail "nl-fuzz failed (seed $seed)"
echo "  $(($(date +%s) - start)) s"

state() {
	"$CTL" show --json | jq -S .
	"$CTL" list --json | jq -S .
}
state > "$TMPDIR/fuzzed"
echo "  $(jq -s '.[0] | length' "$TMPDIR/fuzzed") tables loaded at the end"

step "the accepted policy changes alone, on a fresh module, rebuild that state"
unbind "$bdf"
rmmod cfgguard_vfio_pci
insmod "$KMOD"
bind "$bdf" "$DRIVER"
"$NL_FUZZ" replay "$TMPDIR/accepted" || fail "replay failed (seed $seed)"
state > "$TMPDIR/replayed"
diff -u "$TMPDIR/fuzzed" "$TMPDIR/replayed" || fail "replay differs (seed $seed)"
echo "PASS"
