#!/usr/bin/env bash
# The compile-cost figures of the generated SDKs, in one run, each next to its baseline
# measured in the same run on the same machine:
#
# - generated lines and tokens per operation and per schema, this tree against the
#   generator of $ORQ_BENCH_BASE (default ec0a50c), on DocSpace, the orq spec and the
#   largest corpus spec (Box);
# - the debug-built CLI on DocSpace (parse, generate, format), against the base's;
# - expand + compile of a user crate (dependencies built beforehand, dev profile, the
#   macro compiled at opt-level 0 as cargo does) for the full DocSpace SDK and the
#   tags-filtered People SDK, this tree against the base; the expansion (rustc's
#   `expand_crate`, from -Ztime-passes) is reported apart from the rest of rustc's time;
# - the same against progenitor 0.15 (bench/progenitor, outside the workspace) on the
#   corpus specs both read;
# - groups as cargo features (`features = "tags"`) on DocSpace and the largest corpus
#   spec (Box): tokens with the setting off and on, and the tokens rustc keeps and
#   expand + compile with one group's feature against every group's, in the same run;
# - a clean build of orq-runtime with each TLS backend;
# - per-request overhead of a generated call against hand-written reqwest
#   (tests/benches/overhead.rs).
#
# Usage: bench/compile.sh            (about 15 minutes on 2 cores; not run by CI)
# Env: ORQ_DOCSPACE_SPEC (default ../shared/specs/docspace.yaml next to the repository, as
# in CI), ORQ_BENCH_DIR
# (scratch, default /tmp/orq-bench), ORQ_BENCH_SKIP (words: tokens cli crates progenitor
# features tls overhead), ORQ_BENCH_BASE, ORQ_BENCH_FEATURES (`spec|group-feature` words;
# default DocSpace's People / Profiles and Box's users).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE_REV=${ORQ_BENCH_BASE:-ec0a50c}
WORK=${ORQ_BENCH_DIR:-/tmp/orq-bench}
DOCSPACE=${ORQ_DOCSPACE_SPEC:-$ROOT/../shared/specs/docspace.yaml}
CORPUS=${ORQ_BENCH_CORPUS:-$(dirname "$DOCSPACE")/corpus}
SKIP=" ${ORQ_BENCH_SKIP:-} "
export RUSTC_BOOTSTRAP=1 # for -Ztime-passes only; set for every build so nothing rebuilds
mkdir -p "$WORK"

skip() { [[ "$SKIP" == *" $1 "* ]]; }
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}' if $2 else '-')"; }
row() { printf '| %s |\n' "$(IFS='|'; echo "$*" | sed 's/|/ | /g')"; }

# The base tree, exported (no git worktree), with its own target dir.
BASE=$WORK/base
if [ ! -d "$BASE" ]; then
    mkdir -p "$BASE"
    git -C "$ROOT" archive "$BASE_REV" | tar -x -C "$BASE"
fi
cli() { # tree target -> path of its debug CLI
    (cd "$1" && CARGO_TARGET_DIR=$2 cargo build -q -p orq-codegen-cli) >&2
    echo "$2/debug/orq-codegen"
}
NEW_CLI=$(cli "$ROOT" "$ROOT/target")
BASE_CLI=$(cli "$BASE" "$WORK/base-target")

echo "# orq-codegen compile cost ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, base $BASE_REV)"
echo

if ! skip tokens; then
    echo "## Generated code (tokens: proc-macro leaf tokens outside doc comments)"
    echo
    row "spec" "figure" "base" "now" "ratio"
    row "---" "---" "---" "---" "---"
    for spec in "$DOCSPACE" "$ROOT/spec/orq.yaml" "$CORPUS/box.json"; do
        name=$(basename "${spec%.json}" .yaml)
        "$BASE_CLI" generate "$spec" -o "$WORK/$name.base.rs"
        "$NEW_CLI" generate "$spec" -o "$WORK/$name.new.rs"
        python3 - "$WORK/$name.base.rs" "$WORK/$name.new.rs" "$name" <<'EOF'
import re, sys
TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|\'[a-z_]+\b|\S')
def sections(path):
    text = open(path).read().splitlines()
    out, current = {"top": [0, 0]}, "top"
    for line in text:
        m = re.match(r"^(?:    )?pub mod (\w+) \{", line)
        if m:
            current = m.group(1)
            out.setdefault(current, [0, 0])
        out[current][0] += 1
        if not line.strip().startswith("///"):
            out[current][1] += len(TOKEN.findall(line))
    return out
def per(s, ops, schemas):
    op_keys = ["groups", "requests", "funcs", "top"]
    schema_keys = ["models", "builder"]
    o = [sum(s.get(k, [0, 0])[i] for k in op_keys) / max(ops, 1) for i in (0, 1)]
    m = [sum(s.get(k, [0, 0])[i] for k in schema_keys) / max(schemas, 1) for i in (0, 1)]
    return o, m
base_text = open(sys.argv[1]).read()
ops = len(re.findall(r"#\[must_use = \"a request does nothing", base_text))
models = base_text.split("\npub mod models {", 1)[-1].split("\n    pub mod builder {", 1)[0]
schemas = len(re.findall(r"^    pub (?:struct|enum|type) ", models, re.M))
b, n = sections(sys.argv[1]), sections(sys.argv[2])
(bo, bm), (no, nm) = per(b, ops, schemas), per(n, ops, schemas)
name = sys.argv[3]
total = lambda s, i: sum(v[i] for v in s.values())
print(f"| {name} ({ops} ops, {schemas} schemas) | lines | {total(b,0)} | {total(n,0)} | {total(n,0)/total(b,0):.2f} |")
print(f"| {name} | tokens | {total(b,1)} | {total(n,1)} | {total(n,1)/total(b,1):.2f} |")
print(f"| {name} | lines per operation | {bo[0]:.0f} | {no[0]:.0f} | {no[0]/bo[0]:.2f} |")
print(f"| {name} | tokens per operation | {bo[1]:.0f} | {no[1]:.0f} | {no[1]/bo[1]:.2f} |")
print(f"| {name} | lines per schema | {bm[0]:.0f} | {nm[0]:.0f} | {nm[0]/bm[0]:.2f} |")
print(f"| {name} | tokens per schema | {bm[1]:.0f} | {nm[1]:.0f} | {nm[1]/bm[1]:.2f} |")
EOF
    done
    echo
fi

if ! skip cli; then
    echo "## Debug-built CLI on DocSpace (parse, generate, format; best of 3)"
    echo
    best() {
        local min=999999
        for _ in 1 2 3; do
            local t0 t1
            t0=$(now); "$1" generate "$DOCSPACE" -o "$WORK/cli.rs"; t1=$(now)
            min=$(python3 -c "print(min($min, $t1 - $t0))")
        done
        printf '%.2f' "$min"
    }
    b=$(best "$BASE_CLI"); n=$(best "$NEW_CLI")
    row "figure" "base" "now" "ratio"
    row "---" "---" "---" "---"
    row "orq-codegen generate (debug), s" "$b" "$n" "$(ratio "$n" "$b")"
    echo
fi

# A library crate expanding `generate!` on $2 with $3 (extra macro options), against
# the tree $1, built in target dir $4; $5: cargo's feature arguments, $6: the crate's
# `[features]` table. Prints "wall_seconds expand_seconds".
user_crate() {
    local tree=$1 spec=$2 extra=$3 target=$4 cargo_features=${5:-} table=${6:-} dir
    dir=$WORK/user-$(echo "$tree$spec$extra" | md5sum | cut -c1-8)
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<EOF
[package]
name = "orq-bench-user"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
orq-codegen = { path = "$tree/orq-codegen" }
orq-runtime = { path = "$tree/orq-client/runtime" }
[workspace]
$table
EOF
    cp "$ROOT/Cargo.lock" "$dir/Cargo.lock"
    echo "" > "$dir/src/lib.rs"
    (cd "$dir" && CARGO_TARGET_DIR=$target CARGO_INCREMENTAL=0 cargo build -q 2>/dev/null) # dependencies, the macro included
    echo "#![allow(dead_code)] orq_codegen::generate!(spec = \"$spec\", client = \"Bench\" $extra);" > "$dir/src/lib.rs"
    local t0 t1 out
    t0=$(now)
    # shellcheck disable=SC2086 # the feature arguments are words
    out=$(cd "$dir" && CARGO_TARGET_DIR=$target CARGO_INCREMENTAL=0 cargo rustc -q --lib $cargo_features -- -Ztime-passes 2>&1 || true)
    t1=$(now)
    echo "$(secs "$t0" "$t1") $(echo "$out" | awk '$NF == "expand_crate" {gsub(";", "", $2); print $2; exit}')"
}

# Rows of $1 (a label): $2 (expand + compile, s), the expansion and the rest of rustc's
# time, for the baseline's wall and expansion seconds ($3 $4) and the measured ones ($5 $6).
compile_rows() {
    local label=$1 what=$2 bw=$3 be=$4 nw=$5 ne=$6
    row "$label" "$what" "$bw" "$nw" "$(ratio "$nw" "$bw")"
    row "$label" "expansion (expand_crate), s" "${be:--}" "${ne:--}" "$(ratio "${ne:-0}" "${be:-1}")"
    row "$label" "rustc without expansion, s" "$(secs "${be:-0}" "$bw")" "$(secs "${ne:-0}" "$nw")" \
        "$(ratio "$(secs "${ne:-0}" "$nw")" "$(secs "${be:-0}" "$bw")")"
}

if ! skip crates; then
    echo "## Expand + compile of a user crate (dev profile, dependencies built, not incremental)"
    echo
    row "SDK" "figure" "base" "now" "ratio"
    row "---" "---" "---" "---" "---"
    for case in "full|" "People / Profiles|, tags = [\"People / Profiles\"]"; do
        label=${case%%|*}; extra=${case#*|}
        read -r bw be <<<"$(user_crate "$BASE" "$DOCSPACE" "$extra" "$WORK/user-base-target")"
        read -r nw ne <<<"$(user_crate "$ROOT" "$DOCSPACE" "$extra" "$WORK/user-new-target")"
        compile_rows "DocSpace ${label:-full}" "expand + compile, s" "$bw" "$be" "$nw" "$ne"
    done
    echo
fi

if ! skip features; then
    echo "## Groups as cargo features (\`features = \"tags\"\`): one group against every group"
    echo
    echo "Tokens as in the first table; \"kept\" counts what is left once rustc has removed the"
    echo "items whose \`#[cfg(feature = ..)]\` is off. Expand + compile as above, with the"
    echo "crate's \`[features]\` from \`orq-codegen features\`."
    echo
    row "spec" "figure" "every group" "one group" "one / every"
    row "---" "---" "---" "---" "---"
    cost=""
    pairs=${ORQ_BENCH_FEATURES:-"$DOCSPACE|people-profiles $CORPUS/box.json|users"}
    for pair in $pairs; do
        spec=${pair%%|*}; group=${pair#*|}; name=$(basename "$spec")
        "$NEW_CLI" generate "$spec" -o "$WORK/$name.off.rs" 2>/dev/null
        "$NEW_CLI" generate "$spec" --features-per-tag -o "$WORK/$name.features.rs" 2>/dev/null
        lines=$(python3 - "$WORK/$name.off.rs" "$WORK/$name.features.rs" "$name" "$group" <<'EOF'
import re, sys
TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|\'[a-z_]+\b|\S')
STRING = re.compile(r'"(?:\\.|[^"\\])*"')
def tokens(lines):
    return sum(len(TOKEN.findall(l)) for l in lines if not l.strip().startswith("///"))
def on(cfg, features):
    # `feature = "x"` or `any(feature = "a", ..)`: the only gates the setting writes.
    return any(n in features for n in re.findall(r'feature = "([^"]+)"', cfg))
def kept(lines, features):
    # Drop each item whose `#[cfg(..)]` line is off, up to its end: brackets balanced
    # and a `;`, `}` or `,` (an array element) ending a line.
    out, i = [], 0
    while i < len(lines):
        line, end = lines[i], i + 1
        if line.strip() == "#[cfg(":  # broken over lines by the formatter
            while end < len(lines) and lines[end - 1].strip() != ")]":
                end += 1
        cfg = " ".join(lines[i:end])
        if not cfg.strip().startswith("#[cfg(") or "feature" not in cfg or on(cfg, features):
            out.extend(lines[i:end])
            i = end
            continue
        depth, i = 0, end
        while i < len(lines):
            text = lines[i].strip()
            i += 1
            if text.startswith("///"):
                continue
            bare = STRING.sub('""', text)
            depth += sum(bare.count(c) for c in "([{") - sum(bare.count(c) for c in ")]}")
            if depth <= 0 and bare[-1:] in (";", "}", ","):
                break
    return out
off = open(sys.argv[1]).read().splitlines()
gated = open(sys.argv[2]).read().splitlines()
name, group = sys.argv[3], sys.argv[4]
every = set(re.findall(r'feature = "([^"]+)"', "\n".join(gated)))
t_off, t_on = tokens(off), tokens(gated)
t_all, t_one = tokens(kept(gated, every)), tokens(kept(gated, {group}))
print(f"| {name} | tokens rustc keeps (`{group}`) | {t_all} | {t_one} | {t_one / t_all:.3f} |")
print(f"| {name} | {t_off} | {t_on} | {t_on / t_off:.3f} |")
EOF
)
        echo "$lines" | head -1
        cost+=$(echo "$lines" | tail -1)$'\n'        table=$("$NEW_CLI" features "$spec" 2>/dev/null)
        read -r aw ae <<<"$(user_crate "$ROOT" "$spec" ', features = "tags"' "$WORK/user-new-target" "--features full" "$table")"
        read -r ow oe <<<"$(user_crate "$ROOT" "$spec" ', features = "tags"' "$WORK/user-new-target" "--no-default-features --features $group,rustls" "$table")"
        compile_rows "$name" "expand + compile, s (\`$group\`)" "$aw" "$ae" "$ow" "$oe"
    done
    echo
    echo "What the setting costs in tokens (every gated item carries its \`#[cfg]\`; off, nothing changes):"
    echo
    row "spec" "tokens, setting off" "tokens, setting on" "on / off"
    row "---" "---" "---" "---"
    printf '%s' "$cost"
    echo
fi

if ! skip progenitor; then
    echo "## Side by side with progenitor 0.15 (same spec, same machine, dev profile)"
    echo
    row "spec" "progenitor expand + compile, s" "orq-codegen, s" "ratio"
    row "---" "---" "---" "---"
    PROG=$WORK/progenitor
    mkdir -p "$PROG/src"
    cp "$ROOT/bench/progenitor/Cargo.toml" "$ROOT/bench/progenitor/Cargo.lock" "$PROG/" 2>/dev/null || cp "$ROOT/bench/progenitor/Cargo.toml" "$PROG/"
    # The corpus specs progenitor reads (it refuses petstore-expanded: two response
    # types; api-with-examples and callback-example: missing operationIds, a panic).
    for spec in "$CORPUS"/oai-v3.0-uspto.yaml "$CORPUS"/oai-v3.0-link-example.yaml; do
        echo "" > "$PROG/src/lib.rs"
        (cd "$PROG" && CARGO_TARGET_DIR=$WORK/progenitor-target CARGO_INCREMENTAL=0 cargo build -q 2>/dev/null)
        echo "progenitor::generate_api!(\"$spec\");" > "$PROG/src/lib.rs"
        t0=$(now)
        if (cd "$PROG" && CARGO_TARGET_DIR=$WORK/progenitor-target CARGO_INCREMENTAL=0 cargo build -q 2>&1 | tail -3) >&2; then
            t1=$(now)
            p=$(secs "$t0" "$t1")
        else
            p=failed
        fi
        read -r o _ <<<"$(user_crate "$ROOT" "$spec" "" "$WORK/user-new-target")"
        row "$(basename "$spec")" "$p" "$o" "$( [ "$p" = failed ] && echo - || ratio "$o" "$p")"
    done
    echo
fi

if ! skip tls; then
    echo "## Clean build of orq-runtime by TLS backend (dev profile, every dependency)"
    echo
    row "features" "seconds"
    row "---" "---"
    for features in rustls rustls-ring native-tls; do
        rm -rf "$WORK/tls-target"
        t0=$(now)
        (cd "$ROOT" && CARGO_TARGET_DIR=$WORK/tls-target cargo build -q -p orq-runtime --no-default-features --features "$features")
        t1=$(now)
        row "$features" "$(secs "$t0" "$t1")"
    done
    rm -rf "$WORK/tls-target"
    echo
fi

if ! skip overhead; then
    echo "## Per-request overhead (release, 127.0.0.1 axum server, median of 5 rounds)"
    echo
    (cd "$ROOT" && cargo bench -q -p orq-tests --bench overhead 2>/dev/null)
    echo
fi
