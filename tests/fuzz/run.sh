#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs one fuzzer for a bounded time, from its committed seeds into a fresh
# corpus beside the fuzzer (the seeds stay as committed). A crash, a leak,
# a sanitizer report or a broken REQUIRE fails the test; the input that did
# it is left as <fuzzer>.run/crash-* (or leak-*, timeout-*, oom-*).
#
#	run.sh <fuzzer> <seed dir> <seconds>
set -u

fuzzer=$1 seeds=$2 seconds=$3
work=$fuzzer.run

if [ ! -x "$fuzzer" ]; then
	echo "$fuzzer: not built" >&2
	exit 1
fi
rm -rf "$work"
mkdir -p "$work/corpus"

export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
if sym=$(command -v llvm-symbolizer-14); then
	export ASAN_SYMBOLIZER_PATH="$sym"
fi

# libFuzzer's own exit code for a finding is 77, which CTest reads as a skip
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 -timeout_exitcode=1 -print_final_stats=1 \
	-artifact_prefix="$work/" "$work/corpus" "$seeds"
rc=$?
if [ $rc -ne 0 ]; then
	echo "$fuzzer: exit code $rc; the input is in $work/" >&2
	exit 1
fi
