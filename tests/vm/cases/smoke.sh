# Boot, load vfio and cfgguard, bind one device, read its config space.
load_cfgguard
bind "$E1000E" "$DRIVER"
vfio_cfg "$E1000E" r4:0 dump:64
