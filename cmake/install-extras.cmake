# SPDX-License-Identifier: GPL-2.0
#
# What operators install beside cfgguard-ctl: the systemd units, the bash
# completion and the /etc/cfgguard skeleton (docs/packaging.md). The
# units name the tool and the table directory where this install puts them.
include(GNUInstallDirs)

set(CFGGUARD_SYSTEMDUNITDIR "" CACHE PATH
	"systemd system unit directory (default: systemd.pc's systemdsystemunitdir)")
if(NOT CFGGUARD_SYSTEMDUNITDIR)
	pkg_get_variable(CFGGUARD_SYSTEMDUNITDIR systemd systemdsystemunitdir)
endif()
if(NOT CFGGUARD_SYSTEMDUNITDIR)
	set(CFGGUARD_SYSTEMDUNITDIR /lib/systemd/system)
endif()

set(CFGGUARD_BASHCOMPDIR "" CACHE PATH
	"bash completion directory (default: bash-completion.pc's completionsdir)")
if(NOT CFGGUARD_BASHCOMPDIR)
	pkg_get_variable(CFGGUARD_BASHCOMPDIR bash-completion completionsdir)
endif()
if(NOT CFGGUARD_BASHCOMPDIR)
	set(CFGGUARD_BASHCOMPDIR ${CMAKE_INSTALL_FULL_DATADIR}/bash-completion/completions)
endif()

# tools/CMakeLists.txt installs the tool to <prefix>/sbin
set(CFGGUARD_CTL ${CMAKE_INSTALL_PREFIX}/sbin/cfgguard-ctl)
set(CFGGUARD_CONFDIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/cfgguard)
foreach(unit cfgguard.service cfgguard-watch.service)
	configure_file(${CMAKE_SOURCE_DIR}/systemd/${unit}.in
		${CMAKE_BINARY_DIR}/systemd/${unit} @ONLY)
	install(FILES ${CMAKE_BINARY_DIR}/systemd/${unit}
		DESTINATION ${CFGGUARD_SYSTEMDUNITDIR})
endforeach()
install(FILES ${CMAKE_SOURCE_DIR}/completions/cfgguard-ctl
	DESTINATION ${CFGGUARD_BASHCOMPDIR})
install(FILES ${CMAKE_SOURCE_DIR}/etc/cfgguard/README
	DESTINATION ${CFGGUARD_CONFDIR})
