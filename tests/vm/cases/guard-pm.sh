# Issue 8.13: an access the guard blocks wakes a device that its VFIO user
# put in runtime low power exactly as vfio-pci wakes it for an allowed one
# (the wake-up eventfd fires), so a guest cannot tell them apart and the
# device is never left asleep behind the guard's back.
load_cfgguard
bdf=$E1000E stock=$E1000E_2
bind "$bdf" "$DRIVER"
bind "$stock" vfio-pci
printf 'default allow\n0x298 deny\n' > "$TMPDIR/t"
ctl load-table "$bdf" "$TMPDIR/t"

wake() { # <bdf> <op>: wakecheck's verdict after the op in low power
	vfio_cfg "$1" lowpower suspended wakecheck "$2" wakecheck | tr '\n' ' ' | sed 's/ $//'
}
step "stock vfio-pci: an access wakes the device"
expect_eq "stock, read" "lowpower suspended asleep r1 0x298 = 0x00 woken" "$(wake "$stock" r1:0x298)"
step "cfgguard: allowed and blocked accesses wake it alike"
expect_eq "allowed read" "lowpower suspended asleep r1 0x294 = 0x00 woken" "$(wake "$bdf" r1:0x294)"
expect_eq "blocked read" "lowpower suspended asleep r1 0x298 = 0x00 woken" "$(wake "$bdf" r1:0x298)"
expect_eq "blocked write" "lowpower suspended asleep w1 0x298 <- 0x5a woken" "$(wake "$bdf" w1:0x298=0x5a)"
expect_eq "blocked write reported" 1 "$("$CTL" stats --json "$bdf" | jq '.[0].write_blocked')"
