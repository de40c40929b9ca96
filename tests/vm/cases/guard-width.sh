# Issue 8.6: a masked write reaches the device as one read-modify-write of
# the guest's own width per register, and never writes a blocked byte,
# not even with its own value. The device accesses are counted with ftrace
# on the PCI core's user config accessors.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"

tr=/sys/kernel/tracing
mountpoint -q "$tr" || mount -t tracefs tracefs "$tr"
echo 'pci_user_read_config_* pci_user_write_config_*' > "$tr/set_ftrace_filter"
echo function > "$tr/current_tracer"
echo 0 > "$tr/tracing_on"

# The config accessors one vfio-cfg run calls beyond opening the device
# and a raw read, as "<function>x<count>" words, sorted.
accessors() { # <op>...
	echo > "$tr/trace"
	echo 1 > "$tr/tracing_on"
	# a raw read marks each run: vfio-pci reads the device for it
	vfio_cfg "$bdf" r1:0x2f0 > /dev/null
	vfio_cfg "$bdf" r1:0x2f0 "$@" > /dev/null
	echo 0 > "$tr/tracing_on"
	# "<pid> <accessor>" per call, then the second run's counts less the first's
	awk '/vfio-cfg-/ { for (i = 2; i <= NF; i++) if ($i ~ /^pci_user_/) print $1, $i }' "$tr/trace" |
		awk '!($1 in order) { order[$1] = ++runs }
		     { n[order[$1], $2]++; f[$2] = 1 }
		     END {
			if (runs != 2) { print "runs=" runs; exit }
			for (k in f) if (n[2, k] - n[1, k] > 0) printf "%sx%d\n", k, n[2, k] - n[1, k]
		     }' | sed 's/pci_user_//' | sort | tr '\n' ' ' | sed 's/ $//'
}

pattern() {
	host_write "$bdf" 0x288 0x88 0x89 0x8a 0x8b 0x8c 0x8d 0x8e 0x8f 0x90 0x91 0x92 0x93
}

step "a 2-byte masked register inside a 4-byte write: one dword read and write"
printf 'default allow\n0x28c+2 allow wmask=0x00ff\n' > "$TMPDIR/t"
ctl load-table "$bdf" "$TMPDIR/t"
pattern
got=$(accessors w4:0x28c=0xaabbccdd)
echo "  $got"
expect_eq "device accesses" "read_config_dwordx1 write_config_dwordx1" "$got"
expect_host "$bdf" 0x28c 4 0xaabb8ddd

step "a 4-byte masked register: one dword read and write"
printf 'default allow\n0x288+4 allow wmask=0x0000ffff\n' > "$TMPDIR/t"
ctl load-table "$bdf" "$TMPDIR/t"
pattern
got=$(accessors w4:0x288=0xaabbccdd)
echo "  $got"
expect_eq "device accesses" "read_config_dwordx1 write_config_dwordx1" "$got"
expect_host "$bdf" 0x288 4 0x8b8accdd

step "a blocked byte beside a masked one is never written"
printf 'default allow\n0x290 deny\n0x291 allow wmask=0xf0\n' > "$TMPDIR/t"
ctl load-table "$bdf" "$TMPDIR/t"
pattern
got=$(accessors w4:0x290=0xaabbccdd)
echo "  $got"
[[ $got != *dword* ]] || fail "a dword write covered the blocked byte"
expect_host "$bdf" 0x290 4 0xaabbc190

step "a 2-byte write to a masked byte pair: one word access"
printf 'default allow\n0x28c+2 allow wmask=0xff0f\n' > "$TMPDIR/t"
ctl load-table "$bdf" "$TMPDIR/t"
pattern
got=$(accessors w2:0x28c=0x1234)
echo "  $got"
expect_eq "device accesses" "read_config_wordx1 write_config_wordx1" "$got"
expect_host "$bdf" 0x28c 2 0x1284
echo nop > "$tr/current_tracer"
