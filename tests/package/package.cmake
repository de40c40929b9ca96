# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages (docs/packaging.md): make deb builds them into the
# build tree, then lintian, their contents and their systemd units are
# checked. The bash completion and the version's one source, too.

set(CFGGUARD_DEBOUT ${CMAKE_BINARY_DIR}/deb)
set(pkg ${CMAKE_SOURCE_DIR}/tests/package/package.sh)

add_test(NAME package.build COMMAND ${pkg} build ${CMAKE_SOURCE_DIR} ${CFGGUARD_DEBOUT})
set_tests_properties(package.build PROPERTIES
	LABELS package FIXTURES_SETUP deb SKIP_RETURN_CODE 77 TIMEOUT 900)
add_test(NAME package.lintian COMMAND ${pkg} lintian ${CFGGUARD_DEBOUT})
add_test(NAME package.contents COMMAND ${pkg} contents ${CMAKE_SOURCE_DIR} ${CFGGUARD_DEBOUT})
add_test(NAME package.units COMMAND ${pkg} units ${CFGGUARD_DEBOUT})
set_tests_properties(package.lintian package.contents package.units PROPERTIES
	LABELS package FIXTURES_REQUIRED deb SKIP_RETURN_CODE 77 TIMEOUT 600)

add_test(NAME unit.completion
	COMMAND ${CMAKE_SOURCE_DIR}/tests/completion/completion.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(unit.completion PROPERTIES LABELS unit SKIP_RETURN_CODE 77)

add_test(NAME lint.version COMMAND ${CMAKE_SOURCE_DIR}/tests/lint/version.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(lint.version PROPERTIES LABELS lint)
