#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# prom-stats.py <prom> <stats.json> <list.json>: checks that the output of
# `stats --prometheus` says what `stats --json` and `list --json` say,
# taken while no access ran: every device, every counter, its model, mode
# and table, and no metric more. promtool checks the format; this checks
# the values. Exits 1 naming each difference.
import json
import re
import sys

# --prometheus family -> --json counter
COUNTERS = {
    "read_allowed": "read_allowed",
    "read_blocked": "read_blocked",
    "read_audited": "read_audited",
    "write_allowed": "write_allowed",
    "write_blocked": "write_blocked",
    "write_masked": "write_masked",
    "write_audited": "write_audited",
    "events_sent": "events",
    "events_suppressed": "suppressed",
    "events_lost": "lost",
    "events_unwatched": "unwatched",
}
STATES = {"device_mode": ("mode", ["enforce", "audit", "off"]),
          "device_table": ("table", ["default", "model", "device"])}

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"(,|$)')


def main():
    prom, stats_file, list_file = sys.argv[1:4]
    with open(stats_file) as f:
        stats = {d["bdf"]: d for d in json.load(f)}
    with open(list_file) as f:
        devs = {d["bdf"]: d for d in json.load(f)}
    errors = []
    types = {}
    samples = {}
    with open(prom) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("# TYPE "):
                _, _, name, kind = line.split(" ")
                types[name] = kind
                continue
            if line.startswith("#"):
                continue
            m = SAMPLE.match(line)
            if not m:
                errors.append(f"{prom}:{n}: not a sample with labels: {line!r}")
                continue
            name, labels, value = m.groups()
            pairs = LABEL.findall(labels)
            if "".join(f'{k}="{v}"{s}' for k, v, s in pairs) != labels:
                errors.append(f"{prom}:{n}: labels unparsed: {labels!r}")
                continue
            labels = {k: v for k, v, _ in pairs}
            key = (name, labels.get("device"), labels.get("mode") or labels.get("table"))
            if key in samples:
                errors.append(f"{prom}:{n}: a second sample of {key}")
            samples[key] = (labels, value)

    expect_names = {f"cfgguard_{c}_total" for c in COUNTERS} | \
                   {f"cfgguard_{s}" for s in STATES}
    if set(types) != expect_names:
        errors.append(f"families {sorted(types)}, expected {sorted(expect_names)}")
    for name, kind in types.items():
        want = "counter" if name.endswith("_total") else "gauge"
        if kind != want:
            errors.append(f"{name} is a {kind}, expected a {want}")
    if set(stats) != set(devs):
        errors.append(f"stats --json has {sorted(stats)}, list --json {sorted(devs)}")
    seen = {(name, dev) for name, dev, _ in samples}
    if {dev for _, dev in seen} != set(stats):
        errors.append(f"devices {sorted({d for _, d in seen})}, stats --json has {sorted(stats)}")

    checked = 0
    for bdf, st in stats.items():
        model = f'{devs[bdf]["vendor"]}:{devs[bdf]["device"]}'
        for fam, field in COUNTERS.items():
            got = samples.get((f"cfgguard_{fam}_total", bdf, None))
            if not got:
                errors.append(f"{bdf}: no cfgguard_{fam}_total")
                continue
            labels, value = got
            if labels != {"device": bdf, "model": model}:
                errors.append(f"{bdf}: cfgguard_{fam}_total labels {labels}")
            if value != str(st[field]):
                errors.append(f"{bdf}: cfgguard_{fam}_total {value}, stats --json {field} {st[field]}")
            checked += 1
        for fam, (label, states) in STATES.items():
            for s in states:
                got = samples.get((f"cfgguard_{fam}", bdf, s))
                want = "1" if devs[bdf][label] == s else "0"
                if not got:
                    errors.append(f"{bdf}: no cfgguard_{fam}{{{label}=\"{s}\"}}")
                    continue
                if got[1] != want:
                    errors.append(f"{bdf}: cfgguard_{fam}{{{label}=\"{s}\"}} {got[1]}, list --json says {label} {devs[bdf][label]}")
                if got[0] != {"device": bdf, "model": model, label: s}:
                    errors.append(f"{bdf}: cfgguard_{fam} labels {got[0]}")
                checked += 1
    if len(samples) != checked:
        errors.append(f"{len(samples)} samples, {checked} expected")
    for e in errors:
        print(e)
    print(f"{prom}: {checked} samples checked against {stats_file} and {list_file}, "
          f"{len(errors)} differences")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
