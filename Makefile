# SPDX-License-Identifier: GPL-2.0
#
# Developer and operator entry points. The kernel build itself is Kbuild's
# (see Kbuild and module/Kbuild); tools and tests are CMake's.

KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
BUILD ?= build
DESTDIR ?=
PREFIX ?= /usr
DEPMOD ?= depmod
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMSDIR ?= $(DESTDIR)/usr/src/cfgguard-$(VERSION)
DKMS_SOURCES := dkms.conf Kbuild LICENSE $(wildcard module/*.[ch] module/Kbuild uapi/linux/*.h)

MAKEFLAGS += --no-print-directory

.PHONY: all module tools install module-install tools-install dkms-add dkms-src deb deps \
	check check-debug demo bench regen style clean

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) --parallel

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

install: module-install tools-install

module-install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	$(DEPMOD) -a $(KERNELRELEASE)

# Copies only what DKMS builds from to /usr/src/cfgguard-<version> and
# registers it; then `dkms install cfgguard/<version>`.
dkms-add: dkms-src
	dkms add cfgguard/$(VERSION)

# Those sources alone, in $(DKMSDIR) (debian/rules fills cfgguard-dkms so).
dkms-src:
	rm -rf $(DKMSDIR)
	@for f in $(DKMS_SOURCES); do install -m0644 -D $$f $(DKMSDIR)/$$f; done

# The Debian packages cfgguard-dkms and cfgguard-tools, built from a copy
# of the tree into $(DEBOUT) (docs/packaging.md).
DEBOUT ?= $(BUILD)/deb
deb:
	debian/build-deb.sh $(DEBOUT)

tools-install: tools
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

# Installs the Debian packages the tests and the demo need (as root).
deps:
	tests/deps.sh

# The test command: everything, from a fresh Debian 12 machine; the VM
# cases on Debian 12's kernels and on the newest of Debian 13's backports,
# which tests/newer/kernel.sh fetches once per machine.
check: deps
	kver=$$(tests/newer/kernel.sh) && \
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCFGGUARD_NEWER_KERNEL=$$kver
	cmake --build $(BUILD) --parallel
	cd $(BUILD) && ctest --output-on-failure --timeout 900 $(CTEST_ARGS)

# Every test again, the VM cases on a KASAN/lockdep/UBSAN/kmemleak kernel
# with iommufd, plus the cases only such a kernel can judge. The kernel is
# built from linux-source-6.12 once per machine (about 10 minutes on two
# idle cores) and cached outside the tree (tests/debug/kernel.sh).
DEBUG_BUILD ?= build-debug
check-debug: deps
	tests/deps.sh --debug
	kver=$$(tests/debug/kernel.sh) && \
	cmake -S . -B $(DEBUG_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCFGGUARD_DEBUG_KERNEL=$$kver
	cmake --build $(DEBUG_BUILD) --parallel
	cd $(DEBUG_BUILD) && ctest --output-on-failure --timeout 1800 $(CTEST_ARGS)

# The main job: a VM binds a device to cfgguard-vfio-pci and shows it working.
demo: deps tools
	tests/vm/demo.sh $(BUILD)

# What the guard costs against stock vfio-pci, measured in the test VM.
bench: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) --parallel
	tests/bench/bench.sh $(BUILD)

style:
	tests/lint/checkpatch.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)
