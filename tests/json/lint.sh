#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Without a kernel: the schemas in docs/schemas/ are valid draft 2020-12
# schemas, the one-line examples in docs/json.md are valid against them,
# and the examples in contrib/prometheus/ pass promtool and systemd-analyze.
# The json-schemas VM case checks the tool's real output.
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/python3 -c 'import jsonschema' 2> /dev/null ||
	{ echo "SKIP: python3-jsonschema is not installed (tests/deps.sh)"; exit 77; }
command -v promtool > /dev/null ||
	{ echo "SKIP: promtool is not installed (tests/deps.sh: prometheus)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0

# the examples are indented lines of docs/json.md, one document each
examples() { # <pattern>
	sed -n "s/^    \($1.*\)$/\1/p" "$src/docs/json.md"
}
examples '\[{"bdf":"[^"]*","vendor"' > "$tmp/list.json"
examples '\[{"bdf":"[^"]*","read_allowed"' > "$tmp/stats.json"
examples '{"event":' > "$tmp/event.jsonl"
for f in list stats; do
	[[ $(wc -l < "$tmp/$f.json") == 1 ]] || { echo "FAIL: no single $f example in docs/json.md"; rc=1; }
	"$src/tests/json/validate.py" "$src/docs/schemas/$f.schema.json" "$tmp/$f.json" || rc=1
done
(($(wc -l < "$tmp/event.jsonl") >= 2)) || { echo "FAIL: no event examples in docs/json.md"; rc=1; }
"$src/tests/json/validate.py" --lines "$src/docs/schemas/event.schema.json" "$tmp/event.jsonl" || rc=1
# show's example is folded over lines in json.md: a schema check alone
/usr/bin/python3 -c 'import json, sys, jsonschema
jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1])))' \
	"$src/docs/schemas/show.schema.json" || rc=1

promtool check rules "$src/contrib/prometheus/cfgguard-alerts.yml" || rc=1
if command -v systemd-analyze > /dev/null; then
	systemd-analyze verify --man=no "$src"/contrib/prometheus/cfgguard-textfile.{service,timer} || rc=1
fi
((rc == 0)) && echo "PASS: schemas, docs/json.md's examples, contrib/prometheus"
exit $rc
