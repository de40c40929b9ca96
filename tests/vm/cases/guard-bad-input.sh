# Issue 3: every bad input gets a clear error and leaves the table in force
# as it was: malformed table files, malformed netlink requests, unknown
# devices, and an unprivileged caller.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"
dir=$(mktemp -d)
printf 'default allow\n0x280+4 deny\n' > "$dir/good"
ctl load-table "$bdf" "$dir/good"
"$CTL" show > "$dir/before"

unchanged() {
	"$CTL" show > "$dir/after"
	cmp -s "$dir/before" "$dir/after" || { diff "$dir/before" "$dir/after"; fail "the tables changed"; }
	expect_read "$bdf" 4 0x280 0
}

# <expected message, a fixed string> <command>...: must fail with it.
refused() {
	local want=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	echo "  $* -> $out" | head -n 3
	((rc != 0)) || fail "accepted: $*"
	grep -qF -- "$want" <<< "$out" || fail "expected '$want' in: $out"
}

step "malformed table files"
printf 'default allow\n0x1g deny\n' > "$dir/badnum"
refused "$dir/badnum:2: bad offset: '0x1g'" "$CTL" load-table "$bdf" "$dir/badnum"
printf '0x40+8 deny\n0x44+4 allow\n' > "$dir/overlap"
refused "$dir/overlap:2: range overlaps line 1" "$CTL" load-table "$bdf" "$dir/overlap"
printf '0xff0+32 deny\n' > "$dir/past"
refused "$dir/past:1: range ends past 4096" "$CTL" load-table "$bdf" "$dir/past"
printf '0x40 alow\n' > "$dir/word"
refused "$dir/word:1: unknown action: 'alow'" "$CTL" load-table "$bdf" "$dir/word"
: > "$dir/empty"
refused "$dir/empty:1: empty table" "$CTL" load-table "$bdf" "$dir/empty"
head -c 1000000 /dev/urandom > "$dir/garbage"
refused "$dir/garbage:" "$CTL" load-table "$bdf" "$dir/garbage"
unchanged

step "a table that does not fit the bound device"
printf 'size 256\ndefault deny\n' > "$dir/size"
refused "kernel: table is written for another config space size than a bound device has" \
	"$CTL" load-table "$bdf" "$dir/size"
printf '0x10+4 allow wmask=0xff\n' > "$dir/mask"
refused "kernel: write mask on bytes vfio-pci virtualises (header or capability)" \
	"$CTL" load-table "$bdf" "$dir/mask"
refused "$dir/mask:1: the range the kernel refused" "$CTL" load-table "$bdf" "$dir/mask"
unchanged

step "malformed netlink requests"
set_cmd=1 mode_cmd=5
bad_nl() { # <expected> <attrs>...
	local out
	out=$("$NL_RAW" "$@" 2>&1 | tail -n1)
	shift
	echo "  nl-raw $* -> $out"
	[[ $out == "error "* ]] || fail "accepted: $*"
}
bad_nl "$set_cmd" range=0x280,4,2
bad_nl "$set_cmd" bdf=$bdf range=0x1000,4,2
bad_nl "$set_cmd" bdf=$bdf range=0xff0,32,2
bad_nl "$set_cmd" bdf=$bdf range=0x280,0,2
bad_nl "$set_cmd" bdf=$bdf range=0x280,4,7
bad_nl "$set_cmd" bdf=$bdf range-nolen=0x280,2
bad_nl "$set_cmd" bdf=$bdf attr99=1
bad_nl "$set_cmd" bdf=$bdf range-attr99=1
bad_nl "$set_cmd" bdf=$bdf default=3
bad_nl "$set_cmd" bdf=$bdf size=512
bad_nl "$set_cmd" bdf=0000:00:10.00
bad_nl "$set_cmd" bdf=0000:00:10.0 vendor=0x8086 device=0x10d3
bad_nl "$set_cmd" vendor=0x8086
bad_nl "$set_cmd" bdf=$bdf range=0x280,4,2 range=0x282,4,2
bad_nl "$set_cmd" bdf=$bdf range=0x280,4,2,0xff
bad_nl "$set_cmd" bdf=$bdf range=0x10,4,0,0xff
bad_nl "$mode_cmd" bdf=$bdf mode=3
bad_nl "$mode_cmd" bdf=$bdf
bad_nl 99 bdf=$bdf
unchanged

step "unknown devices and keys"
refused "no device at this address is bound to cfgguard-vfio-pci" "$CTL" mode 0000:00:1f.7 audit
refused "Not a device address" "$CTL" mode 8086:10d3 audit
refused "no table is loaded for this key" "$CTL" clear 1234:5678
refused "Not a device address or vendor:device: \`0000:00:1f.9'" "$CTL" load-table 0000:00:1f.9 "$dir/good"
unchanged

step "an unprivileged caller gets EPERM and changes nothing"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
printf 'default allow\n' > "$dir/allow"
chmod 644 "$dir/allow"
chmod 755 "$dir"
refused "Operation not permitted" nobody "$CTL" load-table "$bdf" "$dir/allow"
refused "Operation not permitted" nobody "$CTL" clear "$bdf"
refused "Operation not permitted" nobody "$CTL" mode "$bdf" off
refused "Operation not permitted" nobody "$CTL" list
unchanged

step "the number of tables is bounded (issue 8.13)"
max=$(sed -n 's/^#define CFGGUARD_MAX_TABLES\t\([0-9]*\)$/\1/p' "$CFGGUARD_SRC/uapi/linux/cfgguard.h")
tables() { "$CTL" show | grep -c '^# table for' || true; }
before=$(tables)
out=$("$NL_RAW" fill 0 "$max" || true)
echo "  nl-raw fill 0 $max -> $out"
expect_eq "refused at the limit" "error 28 too many tables loaded ($max) after $((max - before))" "$out"
expect_eq "tables" "$max" "$(tables)"
expect_eq "replacing a table at the limit" "ok 1" "$("$NL_RAW" fill 0 1)"
ctl clear ffff:0000
expect_eq "a new table after a deletion" "ok 1" "$("$NL_RAW" fill "$max" 1)"
expect_eq "tables" "$max" "$(tables)"
expect_eq "drain" "ok $((max - before - 1))" "$("$NL_RAW" drain 1 $((max - before - 1)))"
ctl clear "ffff:$(printf %04x "$max")"
expect_eq "tables" "$before" "$(tables)"
unchanged
