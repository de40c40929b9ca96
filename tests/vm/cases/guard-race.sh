# Issue 3: thousands of table swaps racing a stream of config reads through
# VFIO: every read is wholly the old table's or the new one's, and the
# harness finds no splat.
load_cfgguard
bind "$E1000E" "$DRIVER"
host_write "$E1000E" 0x27c 1 2 3 4 5 6 7 8
"$TABLE_RACE" "$E1000E" "${CFGGUARD_RACE_SWAPS:-4000}"
