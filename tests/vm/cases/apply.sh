# Issue 10: apply makes the loaded tables those of a directory, one file
# per key, and they guard real accesses; edited files are replaced and
# removed ones cleared; a bad file, or one that does not fit a device, is
# named with its line and changes nothing; a load the kernel refuses stops
# apply with nothing cleared, and the next apply converges. check judges a
# table against a real device.
load_cfgguard
bdf=$E1000E
bdf2=$E1000E_2
model=8086:10d3
bind "$bdf" "$DRIVER"
bind "$bdf2" "$DRIVER"
for b in "$bdf" "$bdf2"; do
	host_write "$b" 0x280 0x11 0x22 0x33 0x44
done
dir=$(mktemp -d)
etc=$dir/cfgguard
mkdir "$etc"

# <expected stdout, exactly> <cfgguard-ctl args>...: must succeed with it.
applied() {
	local want=$1 out
	shift
	out=$(ctl "$@") || fail "cfgguard-ctl $* failed"
	[[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/    /'
	expect_eq "what cfgguard-ctl $* did" "$want" "$out"
}

# <expected message, a fixed string> <command>...: must fail with it.
refused() {
	local want=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	printf '%s\n' "$out" | sed 's/^/    /' | head -n 6
	((rc != 0)) || fail "accepted: $*"
	grep -qF -- "$want" <<< "$out" || fail "expected '$want' in: $out"
}

save_state() { "$CTL" show > "$dir/before"; }
unchanged() {
	"$CTL" show > "$dir/after"
	cmp -s "$dir/before" "$dir/after" ||
		{ diff "$dir/before" "$dir/after"; fail "the tables changed"; }
}

guarded_by() { # <bdf> <device|model|default>
	expect_eq "list $1" "$1  8086:10d3  4096  enforce  $2" "$("$CTL" list "$1" | tail -n1)"
}

step "apply a device table and a model table"
printf 'default allow\n0x280+4 deny\n' > "$etc/$bdf.table"
printf '# both e1000e\ndefault allow\n0x280+2 read-only\n' > "$etc/$model.table"
echo "tables for this host" > "$etc/README"
printf 'default deny\n' > "$etc/$bdf.table~"	# an editor's backup
printf 'default deny\n' > "$etc/$bdf2.table.orig"
applied "$bdf: loaded
$model: loaded" apply "$etc"
guarded_by "$bdf" device
guarded_by "$bdf2" model
expect_eq "show $bdf" "default allow
0x280-0x283 deny" "$("$CTL" show "$bdf" | grep -v '^#')"
expect_eq "show $model" "default allow
0x280-0x281 read-only" "$("$CTL" show "$model" | grep -v '^#')"
expect_eq "tables" 2 "$("$CTL" show | grep -c '^# table for')"
expect_read "$bdf" 4 0x280 0
expect_read "$bdf2" 4 0x280 0x44332211
vfio_cfg "$bdf2" w4:0x280=0 > /dev/null
expect_host "$bdf2" 0x280 4 0x00002211	# 0x280+2 read-only, 0x282+2 allowed
host_write "$bdf2" 0x280 0x11 0x22 0x33 0x44

step "a second apply changes nothing and says nothing"
save_state
applied "" apply "$etc"
unchanged

step "edited files are replaced, removed ones cleared, new ones loaded"
printf 'default allow\n0x280+4 read-only\n' > "$etc/$bdf.table"
rm "$etc/$model.table"
printf 'default allow\n0x280+2 deny\n' > "$etc/$bdf2.table"
applied "$bdf: replaced
$bdf2: loaded
$model: cleared" apply "$etc"
guarded_by "$bdf" device
guarded_by "$bdf2" device
"$CTL" show "$model" > /dev/null 2>&1 && fail "$model still has a table"
expect_eq "tables" 2 "$("$CTL" show | grep -c '^# table for')"
expect_read "$bdf" 4 0x280 0x44332211
vfio_cfg "$bdf" w4:0x280=0 > /dev/null
expect_host "$bdf" 0x280 4 0x44332211
expect_read "$bdf2" 4 0x280 0x44330000
applied "" apply "$etc"

step "a table loaded by hand and not in the directory is cleared"
printf 'default deny\n' > "$dir/deny"
ctl load-table 1234:5678 "$dir/deny"
applied "1234:5678: cleared" apply "$etc"

step "a bad file names itself and its line, and changes nothing"
save_state
rm "$etc/$bdf2.table"	# would be cleared
printf 'default allow\n0x280+4 alow\n' > "$etc/$model.table"
refused "$etc/$model.table:2: unknown action: 'alow'" "$CTL" apply "$etc"
refused "Nothing applied: 1 of 2 files in $etc is bad" "$CTL" apply "$etc"
unchanged
expect_read "$bdf2" 4 0x280 0x44330000
rm "$etc/$model.table"
printf 'default allow\n' > "$etc/8086:10D3.table"
refused "$etc/8086:10D3.table: name it $model.table, its key as the kernel writes it" \
	"$CTL" apply "$etc"
unchanged
mv "$etc/8086:10D3.table" "$etc/e1000e.table"
refused "$etc/e1000e.table: not named <BDF>.table or <vendor:device>.table" "$CTL" apply "$etc"
unchanged
rm "$etc/e1000e.table"

step "a table that does not fit a device changes nothing"
cp "$etc/$bdf.table" "$dir/saved"
printf 'size 256\ndefault allow\n' > "$etc/$bdf.table"
refused "$etc/$bdf.table:1: size does not match the 4096 bytes of config space of $bdf: '256'" \
	"$CTL" apply "$etc"
unchanged
cp "$dir/saved" "$etc/$bdf.table"
# the model table guards $bdf2 once its device table's file is gone
printf 'default allow\n0x10+4 allow wmask=0xff\n' > "$etc/$model.table"
refused "$etc/$model.table:2: write mask on bytes vfio-pci virtualises (header) on $bdf2: '0x10+4'" \
	"$CTL" apply "$etc"
refused "Nothing applied: 1 of 2 tables in $etc does not fit a device" "$CTL" apply "$etc"
unchanged
rm "$etc/$model.table"

step "a refused load stops apply with nothing cleared; the next converges"
ctl load-table 1234:5678 "$dir/deny"	# stale: no file
save_state
cp "$dir/saved" "$etc/$bdf.table"	# as loaded: skipped
printf 'default allow\n0x281 deny\n' > "$etc/$bdf2.table"
printf 'default allow\n' > "$etc/0000:00:1f.6.table"	# no such device yet
# CAP_NET_ADMIN reads the tables, only CAP_SYS_ADMIN may change them
no_sys_admin=(setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin)
refused "Unable to load $etc/$bdf2.table: Operation not permitted" \
	"${no_sys_admin[@]}" "$CTL" apply "$etc"
refused "Stopped at $etc/$bdf2.table: no table was cleared" \
	"${no_sys_admin[@]}" "$CTL" apply "$etc"
unchanged
applied "$bdf2: replaced
0000:00:1f.6: loaded
1234:5678: cleared" apply "$etc"
rm "$etc/0000:00:1f.6.table"
applied "0000:00:1f.6: cleared" apply "$etc"
applied "" apply "$etc"
expect_read "$bdf" 4 0x280 0x44332211
expect_read "$bdf2" 4 0x280 0x44330011

step "an empty directory clears every table"
rm "$etc"/*.table
applied "$bdf: cleared
$bdf2: cleared" apply "$etc"
"$CTL" show | grep -q . && fail "tables left: $("$CTL" show)"
guarded_by "$bdf" default

step "check judges a table against a real device"
small=
for d in /sys/bus/pci/devices/*; do
	if [[ $(cfg_size_of "$(basename "$d")") == 256 ]]; then
		small=$(basename "$d")
		break
	fi
done
[[ -n $small ]] || fail "no device with 256 bytes of config space"
printf 'default allow\n0xf0+16 deny\n0x100+4 deny\n' > "$dir/past"
expect_eq "check past" "" "$("$CTL" check "$dir/past" 2>&1)"	# fits 4096 bytes
expect_eq "check past $bdf" "" "$("$CTL" check "$dir/past" "$bdf" 2>&1)"
refused "$dir/past:3: range ends past the 256 bytes of config space of $small: '0x100+4'" \
	"$CTL" check "$dir/past" "$small"
printf 'size 4096\n0x80 deny\n' > "$dir/size"
refused "$dir/size:1: size does not match the 256 bytes of config space of $small: '4096'" \
	"$CTL" check "$dir/size" "$small"
printf 'default allow\n0x280+4 allow wmask=0xffff\n' > "$dir/mask"
expect_eq "check mask $bdf" "" "$("$CTL" check "$dir/mask" "$bdf" 2>&1)"
printf 'default allow\n0x10+4 allow wmask=0xffff\n' > "$dir/mask"
refused "$dir/mask:2: write mask on bytes vfio-pci virtualises (header) on $bdf: '0x10+4'" \
	"$CTL" check "$dir/mask" "$bdf"
# what check refuses the kernel refuses
refused "kernel: write mask on bytes vfio-pci virtualises (header or capability)" \
	"$CTL" load-table "$bdf" "$dir/mask"
# and an unbound device is walked by vfio-pci's rules
unbind "$bdf2"
refused "$dir/mask:2: write mask on bytes vfio-pci virtualises (header) on $bdf2: '0x10+4'" \
	"$CTL" check "$dir/mask" "$bdf2"
refused "Unable to read the config space of 0000:00:1f.7: no such PCI device" \
	"$CTL" check "$dir/past" 0000:00:1f.7
