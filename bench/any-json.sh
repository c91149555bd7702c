#!/usr/bin/env bash
# How many schemas of the shared specs come out as "any JSON value" (`serde_json::Value`),
# per spec, from `orq-codegen check`: the degradations that say the value is typed as any
# JSON value, next to all degradations, whether the spec was refused (an error), and how
# often the generated code names `serde_json::Value` (free-form `{}` schemas included; a
# cross-check of the first figure, which counts only what is reported).
# With ORQ_BENCH_BASE=<rev>, the same for the generator at <rev>, in the same run.
#
# Usage: bench/any-json.sh [SPECS_DIR]   (default: ORQ_SPECS_DIR, else ../shared/specs next
# to the repository, as in CI)
# Specs: docspace.yaml, every file of corpus/, and every Swagger 2.0 document under
# swagger2/ (files whose top level says `swagger:`; documents split over files count once).
# Env: ORQ_BENCH_BASE (a git revision to compare with), ORQ_BENCH_DIR (scratch, default
# /tmp/orq-bench).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SPECS=${1:-${ORQ_SPECS_DIR:-$ROOT/../shared/specs}}
WORK=${ORQ_BENCH_DIR:-/tmp/orq-bench}
BASE_REV=${ORQ_BENCH_BASE:-}

cli() { # tree target -> path of its debug CLI
    (cd "$1" && CARGO_TARGET_DIR=$2 cargo build -q -p orq-codegen-cli) >&2
    echo "$2/debug/orq-codegen"
}

specs() {
    [ -f "$SPECS/docspace.yaml" ] && echo "$SPECS/docspace.yaml"
    find "$SPECS/corpus" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort
    find "$SPECS/swagger2" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort |
        while read -r f; do
            grep -qE '^[[:space:]]*swagger:|"swagger"[[:space:]]*:' "$f" && echo "$f"
        done
}

# One spec with one CLI -> "any-json degradations refused value-in-code"
count() {
    local out
    out=$("$1" check "$2" 2>&1 || true)
    local any all refused=no code=-
    any=$(grep -E '^degraded:' <<<"$out" | grep -cE ': Any JSON value|typed as any JSON value' || true)
    all=$(grep -cE '^degraded:' <<<"$out" || true)
    if grep -qE '^error:' <<<"$out"; then
        refused=yes
    else
        code=$("$1" generate "$2" 2>/dev/null | grep -o 'serde_json::Value' | wc -l)
    fi
    echo "$any $all $refused $code"
}

NEW=$(cli "$ROOT" "$ROOT/target")
BASE=""
if [ -n "$BASE_REV" ]; then
    dir=$WORK/any-json-base-$BASE_REV
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir"
        git -C "$ROOT" archive "$BASE_REV" | tar -x -C "$dir"
    fi
    BASE=$(cli "$dir" "$WORK/any-json-base-target")
fi

echo "# Schemas typed as any JSON value ($(date -u +%Y-%m-%dT%H:%MZ)${BASE_REV:+, base $BASE_REV})"
echo
if [ -n "$BASE" ]; then
    echo "| spec | base: any JSON value | base: degradations | base: refused | base: \`Value\` in code | now: any JSON value | now: degradations | now: refused | now: \`Value\` in code |"
    echo "| --- | --: | --: | --- | --: | --: | --: | --- | --: |"
else
    echo "| spec | any JSON value | degradations | refused | \`Value\` in code |"
    echo "| --- | --: | --: | --- | --: |"
fi
total_new=0 total_base=0 refused_new=0 refused_base=0
while read -r spec; do
    name=${spec#"$SPECS"/}
    read -r any all refused code <<<"$(count "$NEW" "$spec")"
    total_new=$((total_new + any))
    [ "$refused" = yes ] && refused_new=$((refused_new + 1))
    if [ -n "$BASE" ]; then
        read -r bany ball brefused bcode <<<"$(count "$BASE" "$spec")"
        total_base=$((total_base + bany))
        [ "$brefused" = yes ] && refused_base=$((refused_base + 1))
        echo "| $name | $bany | $ball | $brefused | $bcode | $any | $all | $refused | $code |"
    else
        echo "| $name | $any | $all | $refused | $code |"
    fi
done < <(specs)
echo
if [ -n "$BASE" ]; then
    echo "Total any JSON value: base $total_base, now $total_new; specs refused: base $refused_base, now $refused_new."
else
    echo "Total any JSON value: $total_new; specs refused: $refused_new."
fi
