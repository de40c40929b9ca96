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

MAKEFLAGS += --no-print-directory

.PHONY: all module tools install module-install tools-install deps check \
	demo bench regen style clean

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

tools-install: tools
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

# Installs the Debian packages the tests and the demo need (as root).
deps:
	tests/deps.sh

# The test command: everything, from a fresh Debian 12 machine.
check: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) --parallel
	cd $(BUILD) && ctest --output-on-failure --timeout 900 $(CTEST_ARGS)

# The main job: a VM binds a device to cfgguard-vfio-pci and shows it working.
demo: deps tools
	tests/vm/demo.sh $(BUILD)

style:
	tests/lint/checkpatch.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)
