# cmdline: audit=1
# Issue 4: with audit=1 and no auditd, one AUDIT_KERNEL_OTHER record per
# reported access reaches the kernel log in the documented format.
load_vfio
insmod "$KMOD" audit=1
bdf=$E1000E
bind "$bdf" "$DRIVER"
vfio_cfg "$bdf" w1:0x298=0x5a > /dev/null
ctl mode "$bdf" audit
vfio_cfg "$bdf" w2:0x29a=0x1234 > /dev/null
sleep 1
dmesg | grep 'type=1316' | tee "$TMPDIR/records"
grep -qE "type=1316 audit\([0-9.]+:[0-9]+\): op=write res=0 dev=$bdf off=0x298 len=1 val=0x5a verdict=blocked guard=enforce table=default ppid=[0-9]+ pid=[0-9]+ .*comm=\"vfio-cfg\"" "$TMPDIR/records" ||
	fail "no record of the blocked write"
grep -qE "op=write res=1 dev=$bdf off=0x29a len=2 val=0x1234 verdict=audited guard=audit table=default" "$TMPDIR/records" ||
	fail "no record of the audited write"

step "ausearch -i renders every field by its own meaning"
# The records as auditd writes them, for ausearch to read from a file.
sed -n 's/^.*audit: type=1316 \(audit(.*\)$/type=KERNEL_OTHER msg=\1/p' "$TMPDIR/records" > "$TMPDIR/audit.log"
ausearch -if "$TMPDIR/audit.log" -m KERNEL_OTHER -i > "$TMPDIR/rendered" 2>&1 || true
cat "$TMPDIR/rendered"
grep -qE "type=KERNEL_OTHER msg=audit\(.*\) : op=write res=no dev=$bdf off=0x298 len=1 val=0x5a verdict=blocked guard=enforce table=default .*comm=vfio-cfg" "$TMPDIR/rendered" ||
	fail "ausearch -i does not render the blocked write's record field for field"
grep -qE "op=write res=yes dev=$bdf off=0x29a len=2 val=0x1234 verdict=audited guard=audit table=default" "$TMPDIR/rendered" ||
	fail "ausearch -i does not render the audited write's record field for field"

step "audit=0: no records"
write_to /sys/module/cfgguard_vfio_pci/parameters/audit 0
vfio_cfg "$bdf" w1:0x29c=0x1 > /dev/null
sleep 1
dmesg | grep -q 'off=0x29c' && fail "a record with audit=0"
echo "  none"
