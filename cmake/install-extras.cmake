# SPDX-License-Identifier: GPL-2.0
#
# What operators install beside cfgguard-ctl: the systemd units, the bash
# completion and the /etc/cfgguard skeleton (docs/packaging.md).
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

# The units name the tool where this install puts it, <prefix>/sbin
# (tools/CMakeLists.txt), with the prefix of the install itself: `cmake
# --install --prefix` (make tools-install) may differ from the configured
# one. The table directory is /etc/cfgguard, as cfgguard-ctl apply's
# default is.
set(CFGGUARD_CONFDIR /etc/cfgguard)
foreach(unit cfgguard.service cfgguard-watch.service)
	install(CODE "
		set(CFGGUARD_CTL \"\${CMAKE_INSTALL_PREFIX}/sbin/cfgguard-ctl\")
		set(CFGGUARD_CONFDIR ${CFGGUARD_CONFDIR})
		configure_file(\"${CMAKE_SOURCE_DIR}/systemd/${unit}.in\"
			\"${CMAKE_BINARY_DIR}/systemd/${unit}\" @ONLY)
		file(INSTALL \"${CMAKE_BINARY_DIR}/systemd/${unit}\"
			DESTINATION \"${CFGGUARD_SYSTEMDUNITDIR}\")
	")
endforeach()
install(FILES ${CMAKE_SOURCE_DIR}/completions/cfgguard-ctl
	DESTINATION ${CFGGUARD_BASHCOMPDIR})
install(FILES ${CMAKE_SOURCE_DIR}/etc/cfgguard/README
	DESTINATION ${CFGGUARD_CONFDIR})
