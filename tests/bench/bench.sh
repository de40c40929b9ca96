#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [<build dir>]: `make bench`. Runs tests/vm/cases/bench.sh on each
# tested kernel, prints one table of ratios, and writes every figure to
# <build dir>/bench/results.json.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
mkdir -p "$build/bench"
results=$build/bench/results.json
echo '{}' > "$results"

for kver in ${CFGGUARD_BENCH_KERNELS:-$("$src/tests/kernels.sh")}; do
	"$src/tests/build-module.sh" "$kver" "$build" > /dev/null
	echo "Benchmarking on $kver (QEMU TCG, $(nproc) host cores)..."
	CFGGUARD_VM_TIMEOUT=1800 "$src/tests/vm/run.sh" "$kver" bench "$build" > "$build/bench/$kver.log" ||
		{ tail -n 40 "$build/bench/$kver.log"; exit 1; }
	jsonl=$build/vm/$kver/bench/bench.jsonl
	jq -s --arg k "$kver" --slurpfile r "$results" '$r[0] + { ($k): . }' "$jsonl" > "$results.tmp"
	mv "$results.tmp" "$results"

	echo
	echo "== $kver: cfgguard (A) against stock vfio-pci (B), same boot, ABBA rounds"
	printf '%-40s %9s %9s %8s %17s\n' measurement "A ns" "B ns" "A/B" "A/B min..max"
	jq -r 'select(.ratio) | [.name, .a_ns, .b_ns, .ratio, .ratio_min, .ratio_max] | @tsv' "$jsonl" |
		while IFS=$'\t' read -r name a b r lo hi; do
			printf '%-40s %9.0f %9.0f %8.3f %8.3f..%-8.3f\n' "$name" "$a" "$b" "$r" "$lo" "$hi"
		done
	echo
	echo "Allowed accesses, drivers swapped between the devices (@1, @2):"
	echo "geometric mean of the two ratios, which cancels the devices' own difference"
	jq -r -s 'map(select(.name | test("@[12]$"))) | group_by(.name | sub("@[12]$"; ""))
		| .[] | "\(.[0].name | sub("@[12]$"; ""))\t\((.[0].ratio * .[1].ratio) | sqrt)"' "$jsonl" |
		while IFS=$'\t' read -r name g; do
			printf '  %-40s %8.3f\n' "$name" "$g"
		done
	jq -r 'select(.name == "table-load") | "table load, \(.ranges) ranges: \(.median_us) us (median of \(.loads))"' "$jsonl"
	jq -r 'select(.name == "events") | "events: \(.received) of \(.accesses) received in \(.seconds) s = \((.received / .seconds) | floor)/s; lost in transit \(.lost_in_transit), lost in the kernel \(.kernel_lost), suppressed \(.suppressed), unaccounted \(.accesses - .received - .lost_in_transit - .kernel_lost - .suppressed)"' "$jsonl"
	jq -r 'select(.name == "memory-table") | "memory: \(.bytes_per_table) bytes per table of \(.ranges) ranges"' "$jsonl"
	jq -r 'select(.name == "memory-device") | "memory: \(.extra_bytes_vs_vfio_pci) bytes more per device than vfio-pci"' "$jsonl"
	jq -r 'select(.name == "lookup") | "lookup (userspace, same C): \(.ranges) ranges: \(.ns_per_decision) ns per decision"' "$jsonl"
done
echo
echo "All figures: $results"
