#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# validate.py [--lines] [--invalid] <schema> <file>...: checks JSON
# documents (or, with --lines, every line of a file as one document)
# against a JSON Schema of docs/schemas/. Prints each violation as
# "<file>:<line>: <path>: <why>" and exits 1 if there is any, 2 if the
# schema itself is broken. With --invalid, each file must hold at least
# one violation (negative controls), and it exits 1 for a file without.
#
# One process for many files: under TCG in the test VM, starting Python
# and importing jsonschema over 9p takes longer than validating.
#
# Debian's python3-jsonschema on purpose (#!/usr/bin/python3): the tests
# run against what the distribution ships, not a pip install.
import argparse
import json
import sys

import jsonschema


def no_duplicates(pairs):
    # a schema cannot see a key given twice; a consumer would see one
    keys = [k for k, _ in pairs]
    dups = sorted({k for k in keys if keys.count(k) > 1})
    if dups:
        raise ValueError(f"duplicate keys {dups}")
    return dict(pairs)


def no_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse(text):
    return json.loads(text, object_pairs_hook=no_duplicates,
                      parse_constant=no_constant)


def check(validator, name, lines):
    """The violations in one file, as lines to print."""
    with open(name, encoding="utf-8") as f:
        text = f.read()
    if lines:
        if not text.endswith("\n"):
            return [f"{name}: the last line is not terminated"], 0
        docs = list(enumerate(text.splitlines(), 1))
    else:
        docs = [(1, text)]
    if not docs:
        return [f"{name}: empty"], 0

    out = []
    for line, doc in docs:
        try:
            value = parse(doc)
        except ValueError as e:
            out.append(f"{name}:{line}: not JSON: {e}")
            continue
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        for e in errors:
            # the innermost reason of a oneOf, not just "not valid"
            if e.context:
                e = jsonschema.exceptions.best_match(e.context)
            path = "/" + "/".join(str(p) for p in e.absolute_path)
            why = e.message if len(e.message) < 200 else e.message[:200] + "..."
            out.append(f"{name}:{line}: {path}: {why}")
    return out, len(docs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", action="store_true",
                    help="one document per line (watch --json)")
    ap.add_argument("--invalid", action="store_true",
                    help="every file must be rejected")
    ap.add_argument("schema")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    with open(args.schema) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as e:
        print(f"{args.schema}: not a valid schema: {e.message}")
        return 2
    validator = cls(schema)

    failed = False
    for name in args.files:
        out, n = check(validator, name, args.lines)
        if args.invalid:
            if out:
                print(f"rejected: {out[0]}")
            else:
                print(f"{name}: valid, but it must be rejected")
                failed = True
            continue
        for line in out:
            print(line)
        bad = len({o.split(": ")[0] for o in out})
        print(f"{name}: {n - bad if n else 0} of {n} valid against {args.schema}")
        failed |= bool(out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
