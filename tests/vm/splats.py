#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# splats.py <known-splats> <log>...
#
# Finds every kernel report (oops, WARNING, KASAN, UBSAN, lockdep, RCU,
# hung task, list corruption) in the guest's logs and fails on any that is
# not a known upstream report. A report is known only when it matches an
# entry of <known-splats> line for line and no frame of it lies in cfgguard
# or vfio: the list excuses a bug in someone else's code, never one that
# our module or the subsystem it drives could be part of.
#
# Prints one line per report: "known <name>: <headline>" or the headline
# of an unknown one. Exits 1 if any report is unknown.
import re
import sys

SPLAT = re.compile(
    r"BUG:|WARNING:|Oops|KASAN:|UBSAN:|Kernel panic|general protection fault"
    r"|suspicious RCU usage|possible circular locking|INFO: task .* blocked"
    r"|kernel BUG at|list_add corruption|list_del corruption|refcount_t:")
STAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
# A frame in a function or module of ours, or a module list naming one;
# not the kernel release, which names cfgguard on the debug kernel.
OURS = re.compile(r"(cfgguard|vfio)\w*\+0x|\[(cfgguard|vfio)\w*\]"
                  r"|Modules linked in:.*(cfgguard|vfio)")
END = re.compile(r"</TASK>|---\[ end trace")
MAX_LINES = 200


def load_known(path):
    """Entries: "name:", then "why:", "match:", "require:" lines."""
    known, entry = [], None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, _, value = line.partition(":")
            value = value.strip()
            if key == "name":
                entry = {"name": value, "match": None, "require": []}
                known.append(entry)
            elif entry is None or key not in ("why", "match", "require"):
                sys.exit(f"{path}: bad line: {line}")
            elif key == "require":
                entry["require"].append(value)
            else:
                entry[key] = value
    for entry in known:
        if not entry["match"] or not entry.get("why"):
            sys.exit(f"{path}: entry {entry['name']} lacks match: or why:")
    return known


def reports(lines):
    """Each report runs from its first splat line to the end of its trace."""
    current = None
    for line in lines:
        line = STAMP.sub("", line.rstrip("\n"))
        if current is not None:
            current.append(line)
            if END.search(line) or len(current) >= MAX_LINES:
                yield current
                current = None
        elif SPLAT.search(line):
            current = [line]
    if current is not None:
        yield current


def classify(report, known):
    if any(OURS.search(line) for line in report):
        return None
    text = "\n".join(report)
    for entry in known:
        if entry["match"] in report[0]:
            if all(req in text for req in entry["require"]):
                return entry["name"]
    return None


def main():
    known = load_known(sys.argv[1])
    unknown, seen = 0, set()
    for path in sys.argv[2:]:
        try:
            with open(path, errors="replace") as f:
                lines = f.readlines()
        except FileNotFoundError:
            continue
        for report in reports(lines):
            name = classify(report, known)
            line = f"known {name}: {report[0]}" if name else report[0]
            if line in seen:
                continue
            seen.add(line)
            print(line)
            unknown += name is None
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
