#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh <case>: runs inside the test VM, in a chroot of the host root.
# Exit 0 passes, 77 skips, anything else fails.
set -euo pipefail

# shellcheck source=tests/vm/lib.sh
source "$CFGGUARD_SRC/tests/vm/lib.sh"
# shellcheck disable=SC1090
source "$CFGGUARD_SRC/tests/vm/cases/$1.sh"
