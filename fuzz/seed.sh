#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ (gitignored) from the repository's own files:
# description fixtures and the YAML test suite for `load` and `check_yaml`,
# rule files for `config`, CEL expressions for `cel_expr`. Safe to rerun:
# files are named by content, so nothing is duplicated or lost.
set -euo pipefail
cd "$(dirname "$0")/.."

seed() { # seed TARGET FILE...
    local dir="fuzz/corpus/$1"
    shift
    mkdir -p "$dir"
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"
    done
}

shopt -s nullglob globstar
descriptions=(fixtures/**/*.yaml tests/inputs/*.yaml tests/yaml-test-suite/cases/*.yaml)
seed load "${descriptions[@]}"
seed check_yaml "${descriptions[@]}"
# Custom rules may not use SL codes: the built-in rules, renamed.
tmp_config=$(mktemp -d)
for f in rules/*.yaml; do
    sed 's/^code: SL/code: FZ/' "$f" >"$tmp_config/$(basename "$f")"
done
seed config "$tmp_config"/*.yaml
# `config` also reads its input as a scalelint.yaml: the documented examples.
awk -v dir="$tmp_config" '
    /^```yaml/ { n++; out = dir "/config-" n; inside = 1; next }
    /^```/ { inside = 0; next }
    inside { print > out }
' docs/configuration.md
seed config "$tmp_config"/config-*
rm -rf "$tmp_config"

# CEL: the expressions of the documented and tested rules, and a few more.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
{
    grep -rhoE '^\s*expr: .*' docs tests rules 2>/dev/null | sed -E 's/^\s*expr: //; s/^"(.*)"$/\1/; s/^'"'"'(.*)'"'"'$/\1/'
    cat <<'CEL'
has(self.metrics) && self.metrics.cpu > 0.7
self.name.startsWith("api") || size(self.name) > 3
stage >= 2 && load * 2.0 > 10.0
system.users > 1000 && has(system.sla)
self.instances < 2 && !has(self.autoscaling)
[1, 2, 3].map(x, x * 2).exists(y, y > 4)
{"a": 1}.a == 1 && "x" in ["x"]
self.metrics.rps / self.capacity_rps > 0.9
int(self.instances) % 0 == 0
double("nan") != double("nan")
matches(self.name, "^[a-z]+$")
self.depends_on.all(d, d != "")
timestamp("2024-01-01T00:00:00Z") < timestamp("2025-01-01T00:00:00Z")
duration("1h") > duration("30m")
CEL
} | while IFS= read -r line; do
    [ -n "$line" ] || continue
    i=$((i + 1))
    printf '%s' "$line" >"$tmp/cel-$i"
done
seed cel_expr "$tmp"/cel-*
for t in load check_yaml config cel_expr; do
    echo "$t: $(ls "fuzz/corpus/$t" | wc -l) seeds"
done
