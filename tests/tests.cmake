# SPDX-License-Identifier: GPL-2.0
#
# Tests that need a kernel: module builds (fixtures), lint, DKMS, and the VM
# cases, for every kernel tests/kernels.sh names. Exit code 77 is SKIP.

set(SRC ${CMAKE_SOURCE_DIR})
set(BIN ${CMAKE_BINARY_DIR})

# `make check-debug` configures a tree of its own with the release of the
# debug kernel tests/debug/kernel.sh built. `make check` takes Debian 12's
# installed kernels, and the newest of Debian 13's backports that
# tests/newer/kernel.sh fetched: built in its own root and booted, but not
# installed, so neither DKMS nor the packaged boot has it.
set(CFGGUARD_DEBUG_KERNEL "" CACHE STRING "release of the debug kernel (make check-debug)")
set(CFGGUARD_NEWER_KERNEL "" CACHE STRING "release of a newer Debian's cached kernel (make check)")
set(CFGGUARD_INSTALLED_KERNELS "")
if(CFGGUARD_DEBUG_KERNEL)
	set(CFGGUARD_KERNELS ${CFGGUARD_DEBUG_KERNEL})
else()
	execute_process(COMMAND ${SRC}/tests/kernels.sh
		OUTPUT_VARIABLE CFGGUARD_INSTALLED_KERNELS OUTPUT_STRIP_TRAILING_WHITESPACE)
	string(REPLACE "\n" ";" CFGGUARD_INSTALLED_KERNELS "${CFGGUARD_INSTALLED_KERNELS}")
	set(CFGGUARD_KERNELS ${CFGGUARD_INSTALLED_KERNELS} ${CFGGUARD_NEWER_KERNEL})
endif()
if(NOT CFGGUARD_KERNELS)
	message(WARNING "No Debian 12 kernel installed: kernel and VM tests will SKIP (make deps)")
	set(CFGGUARD_KERNELS "none")
endif()
if(NOT CFGGUARD_INSTALLED_KERNELS)
	set(CFGGUARD_INSTALLED_KERNELS "none")
endif()

# One boot each; a failure names its case.
set(CFGGUARD_VM_CASES
	identical-config
	cap-access
	nested-qemu
	rebind
	guard-default
	guard-table
	guard-keys
	guard-bad-input
	guard-race
	guard-nested
	guard-offsets
	guard-width
	guard-map
	guard-pm
	events-watch
	events-flood
	events-learn
	events-audit
	events-order
	events-reset
	privilege
	netlink-fuzz
	differential
	surprise-removal
	apply
	json-schemas
)

# What only the debug kernel can judge: hostile netlink input, allocation
# failures, races and removal, where a bug shows as a splat or a leak.
set(CFGGUARD_DEBUG_CASES
	faults
	stress
)

# Again through the device cdev and iommufd (VFIO_DEVICE_CDEV, only the
# debug kernel has it): the access path, races and events.
set(CFGGUARD_CDEV_CASES
	guard-default
	guard-table
	guard-offsets
	guard-width
	guard-map
	guard-pm
	guard-race
	events-order
	events-reset
)

add_test(NAME lint.checkpatch COMMAND ${SRC}/tests/lint/checkpatch.sh ${BIN})
set_tests_properties(lint.checkpatch PROPERTIES LABELS lint SKIP_RETURN_CODE 77)

# The JSON Schemas, docs/json.md's examples and contrib/prometheus/.
add_test(NAME lint.json COMMAND ${SRC}/tests/json/lint.sh)
set_tests_properties(lint.json PROPERTIES LABELS lint SKIP_RETURN_CODE 77)

# The generated netlink code and uapi header match the YAML spec.
add_test(NAME lint.ynl-drift COMMAND ${SRC}/uapi/regen.sh --check ${BIN})
set_tests_properties(lint.ynl-drift PROPERTIES LABELS lint SKIP_RETURN_CODE 77)

# The VM harness's splat filter passes only known upstream reports.
add_test(NAME unit.splats COMMAND ${SRC}/tests/vm/splats-check.sh)
set_tests_properties(unit.splats PROPERTIES LABELS unit)

foreach(kver IN LISTS CFGGUARD_KERNELS)
	string(REGEX MATCH "^[0-9]+\\.[0-9]+" k "${kver}")
	if(NOT k)
		set(k none)
	endif()
	set(cases ${CFGGUARD_VM_CASES})
	if(kver STREQUAL CFGGUARD_DEBUG_KERNEL)
		set(k debug)
		list(APPEND cases ${CFGGUARD_DEBUG_CASES})
	endif()

	add_test(NAME build.${k} COMMAND ${SRC}/tests/build-module.sh ${kver} ${BIN})
	set_tests_properties(build.${k} PROPERTIES
		LABELS build FIXTURES_SETUP kmod.${k} SKIP_RETURN_CODE 77)

	foreach(case IN LISTS cases)
		add_test(NAME vm.${k}.${case} COMMAND ${SRC}/tests/vm/run.sh ${kver} ${case} ${BIN})
		set_tests_properties(vm.${k}.${case} PROPERTIES
			LABELS vm FIXTURES_REQUIRED "kmod.${k};vfio-cfg"
			SKIP_RETURN_CODE 77 TIMEOUT 1800)
	endforeach()
	if(k STREQUAL debug)
		foreach(case IN LISTS CFGGUARD_CDEV_CASES)
			add_test(NAME vm.debug.cdev.${case} COMMAND ${SRC}/tests/vm/run.sh ${kver} ${case} ${BIN})
			set_tests_properties(vm.debug.cdev.${case} PROPERTIES
				LABELS vm FIXTURES_REQUIRED "kmod.${k};vfio-cfg"
				ENVIRONMENT CFGGUARD_VFIO=cdev
				SKIP_RETURN_CODE 77 TIMEOUT 1800)
		endforeach()
		continue()
	endif()
	# Built in its own Debian's root, where Debian's sparse is too old for
	# 7.x's headers; not installed, so DKMS has nothing to build for it.
	if(kver STREQUAL CFGGUARD_NEWER_KERNEL)
		continue()
	endif()

	# Refuses kernels that cannot keep events from unprivileged users.
	add_test(NAME build.refuse.${k} COMMAND ${SRC}/tests/build-refuse.sh ${kver} ${BIN})
	set_tests_properties(build.refuse.${k} PROPERTIES LABELS build SKIP_RETURN_CODE 77)

	add_test(NAME lint.sparse.${k} COMMAND ${SRC}/tests/lint/sparse.sh ${kver} ${BIN})
	set_tests_properties(lint.sparse.${k} PROPERTIES LABELS lint SKIP_RETURN_CODE 77)

	add_test(NAME vm.${k}.dkms-modprobe COMMAND ${SRC}/tests/vm/run.sh ${kver} dkms-modprobe ${BIN})
	set_tests_properties(vm.${k}.dkms-modprobe PROPERTIES
		LABELS "vm;dkms" FIXTURES_REQUIRED "dkms;vfio-cfg"
		SKIP_RETURN_CODE 77 TIMEOUT 900)
endforeach()

# The VM cases run the test binaries the build made; this guards against a
# stale or missing build.
add_test(NAME build.vfio-cfg COMMAND sh -c "test -x ${BIN}/tests/vfio-cfg && test -x ${BIN}/tests/nl-raw && test -x ${BIN}/tests/nl-fuzz && test -x ${BIN}/tests/table-race && test -x ${BIN}/tests/cfgdiff && test -x ${BIN}/tools/cfgguard-ctl")
set_tests_properties(build.vfio-cfg PROPERTIES LABELS build FIXTURES_SETUP vfio-cfg)

# DKMS builds for installed kernels: Debian 12's, not a cached one.
if(NOT CFGGUARD_DEBUG_KERNEL)
	add_test(NAME dkms.install COMMAND ${SRC}/tests/dkms/dkms.sh install ${CFGGUARD_INSTALLED_KERNELS})
	add_test(NAME dkms.remove COMMAND ${SRC}/tests/dkms/dkms.sh remove ${CFGGUARD_INSTALLED_KERNELS})
	set_tests_properties(dkms.install PROPERTIES LABELS dkms FIXTURES_SETUP dkms SKIP_RETURN_CODE 77)
	set_tests_properties(dkms.remove PROPERTIES LABELS dkms FIXTURES_CLEANUP dkms SKIP_RETURN_CODE 77)
endif()

# The packages installed with apt and booted with systemd as PID 1, once
# provisioned and then on every Debian kernel (tests/vm/boot.sh).
if(NOT CFGGUARD_DEBUG_KERNEL)
	add_test(NAME vm.systemd-boot COMMAND ${SRC}/tests/vm/boot.sh ${BIN} ${CFGGUARD_INSTALLED_KERNELS})
	set_tests_properties(vm.systemd-boot PROPERTIES
		LABELS "vm;package" FIXTURES_REQUIRED "deb;vfio-cfg"
		SKIP_RETURN_CODE 77 TIMEOUT 3600)
endif()
