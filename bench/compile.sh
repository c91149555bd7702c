#!/usr/bin/env bash
# The compile-cost figures of the generated SDKs, in one run, each next to its baseline
# measured in the same run on the same machine:
#
# - generated lines and tokens per operation and per schema, this tree against the
#   generator of $ORQ_BENCH_BASE (default ec0a50c), on DocSpace, the orq spec and the
#   largest corpus spec (Box);
# - the debug-built CLI on DocSpace (parse, generate, format), against the base's;
# - expand + compile of a user crate (dependencies built beforehand, dev profile, the
#   macro compiled at opt-level 0 as cargo does, expansion cache off) for the full
#   DocSpace SDK, the tags-filtered People SDK and the largest corpus spec (box.json),
#   this tree against the base and against the floor: the same spec generated with
#   `models_only = true` (only the model types and their serde impls), by the base and
#   by this tree, so the ratio to the floor is what the operation layer costs; the
#   expansion (rustc's `expand_crate`, from -Ztime-passes) is reported apart from the
#   rest of rustc's time, and rustc's peak memory next to it (/usr/bin/time);
# - the rebuild after an edit of that crate (`touch src/lib.rs`; incremental, expansion
#   cache on) on DocSpace and box.json, the base against this tree;
# - the expansion alone at opt-level 0 on DocSpace and box.json: the base, this tree
#   cold (empty expansion cache) and repeated (the cache's entry), with the macro's own
#   time (ORQ_CODEGEN_TIMINGS) next to rustc's `expand_crate` (which includes serde's
#   derives);
# - `[profile.dev.build-override] opt-level` 0, 1 and 3: the clean build of the
#   generator (the macro and its dependencies, alone) and its expansion of DocSpace;
# - the same against progenitor 0.15 (bench/progenitor, outside the workspace) on the
#   corpus specs both read;
# - groups as cargo features (`features = "tags"`) on DocSpace and the largest corpus
#   spec (Box): tokens with the setting off and on, and the tokens rustc keeps and
#   expand + compile with one group's feature against every group's, in the same run;
# - a clean build of orq-runtime with each TLS backend;
# - per-request overhead of a generated call against hand-written reqwest
#   (tests/benches/overhead.rs).
#
# Usage: bench/compile.sh            (about 30 minutes on 2 cores; not run by CI)
# Env: ORQ_DOCSPACE_SPEC (default ../shared/specs/docspace.yaml next to the repository, as
# in CI), ORQ_BENCH_DIR
# (scratch, default /tmp/orq-bench), ORQ_BENCH_SKIP (words: tokens cli crates incremental
# expansion override progenitor features tls overhead), ORQ_BENCH_BASE, ORQ_BENCH_BIG (the second
# spec of the crates and expansion sections, default box.json of the corpus),
# ORQ_BENCH_FEATURES (`spec|group-feature` words; default DocSpace's People / Profiles
# and Box's users).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE_REV=${ORQ_BENCH_BASE:-ec0a50c}
WORK=${ORQ_BENCH_DIR:-/tmp/orq-bench}
DOCSPACE=${ORQ_DOCSPACE_SPEC:-$ROOT/../shared/specs/docspace.yaml}
CORPUS=${ORQ_BENCH_CORPUS:-$(dirname "$DOCSPACE")/corpus}
BIG=${ORQ_BENCH_BIG:-$CORPUS/box.json}
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
if ! skip tokens || ! skip cli || ! skip features; then
    NEW_CLI=$(cli "$ROOT" "$ROOT/target")
    BASE_CLI=$(cli "$BASE" "$WORK/base-target")
fi

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
# the tree $1, built in target dir $4 ($5: cargo's feature arguments, $6: the crate's
# `[features]` table), with the environment $USER_ENV (words NAME=value;
# ORQ_CODEGEN_CACHE=off unless it says otherwise) and the extra rustc arguments
# $USER_RUSTC. Prints "wall_seconds expand_seconds macro_seconds hits rss_mb" ("-" for
# what was not printed; the macro's own time only from a tree that prints it; hits:
# expansions the cache served; rss_mb: rustc's peak resident memory, from /usr/bin/time
# when the machine has it).
USER_ENV=""
USER_RUSTC=""
RSS=$WORK/rss
peak_rss() { # what `timed` recorded, in MB
    local kb
    kb=$(tail -1 "$RSS" 2>/dev/null || true)
    if [[ "$kb" =~ ^[0-9]+$ ]]; then echo $((kb / 1024)); else echo -; fi
}
timed() { # command... : runs it, its peak memory (the largest process's) in $RSS
    rm -f "$RSS"
    if [ -x /usr/bin/time ]; then /usr/bin/time -o "$RSS" -f %M "$@"; else "$@"; fi
}
user_crate_dir() { # tree spec extra table -> a crate depending on the tree's macro and runtime
    local tree=$1 spec=$2 extra=$3 table=${4:-} dir
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
    echo "$dir"
}
user_crate() {
    local tree=$1 spec=$2 extra=$3 target=$4 cargo_features=${5:-} table=${6:-} dir
    dir=$(user_crate_dir "$tree" "$spec" "$extra" "$table")
    echo "" > "$dir/src/lib.rs"
    (cd "$dir" && CARGO_TARGET_DIR=$target CARGO_INCREMENTAL=0 cargo build -q 2>/dev/null) # dependencies, the macro included
    echo "#![allow(dead_code)] orq_codegen::generate!(spec = \"$spec\", client = \"Bench\" $extra);" > "$dir/src/lib.rs"
    local t0 t1 out expand macro
    t0=$(now)
    # shellcheck disable=SC2086 # USER_ENV, USER_RUSTC and the feature arguments are words
    out=$(cd "$dir" && timed env ORQ_CODEGEN_CACHE=off ORQ_CODEGEN_TIMINGS=1 $USER_ENV \
        CARGO_TARGET_DIR=$target CARGO_INCREMENTAL=0 \
        cargo rustc -q --lib $cargo_features -- -Ztime-passes $USER_RUSTC 2>&1 >/dev/null || true)
    t1=$(now)
    expand=$(echo "$out" | awk '$NF == "expand_crate" {gsub(";", "", $2); print $2; exit}')
    macro=$(echo "$out" | sed -n 's/^orq-codegen: .* expanded in \([0-9.]*\) s.*/\1/p' | head -1)
    hit=$(echo "$out" | grep -c '^orq-codegen: .* (from the cache)$' || true)
    echo "$(secs "$t0" "$t1") ${expand:--} ${macro:--} $hit $(peak_rss)"
}

# Rows of $1 (a label): $2 (expand + compile, s), the expansion and the rest of rustc's
# time, for the baseline's wall and expansion seconds ($3 $4) and the measured ones ($5 $6).
compile_rows() {
    local label=$1 what=$2 bw=$3 be=$4 nw=$5 ne=$6
    [ "$be" = - ] && be=""
    [ "$ne" = - ] && ne=""
    row "$label" "$what" "$bw" "$nw" "$(ratio "$nw" "$bw")"
    row "$label" "expansion (expand_crate), s" "${be:--}" "${ne:--}" "$(ratio "${ne:-0}" "${be:-1}")"
    row "$label" "rustc without expansion, s" "$(secs "${be:-0}" "$bw")" "$(secs "${ne:-0}" "$nw")" \
        "$(ratio "$(secs "${ne:-0}" "$nw")" "$(secs "${be:-0}" "$bw")")"
}

if ! skip crates; then
    echo "## Expand + compile of a user crate (dev profile, dependencies built, not incremental, cache off)"
    echo
    echo "The floor: the same spec generated with \`models_only = true\` (the model types and"
    echo "their serde impls, nothing else), by the base and by this tree; now / floor is what the"
    echo "operation layer costs. Peak memory: rustc's, from /usr/bin/time."
    echo
    row "SDK" "figure" "base" "now" "now / base" "base floor" "floor" "floor / base floor" "now / floor"
    row "---" "---" "---" "---" "---" "---" "---" "---" "---"
    for case in "DocSpace full|$DOCSPACE|" \
        "DocSpace People / Profiles|$DOCSPACE|, tags = [\"People / Profiles\"]" \
        "$(basename "$BIG") full|$BIG|"; do
        IFS='|' read -r label spec extra <<<"$case"
        read -r bw be _ _ bm <<<"$(user_crate "$BASE" "$spec" "$extra" "$WORK/user-base-target")"
        read -r nw ne _ _ nm <<<"$(user_crate "$ROOT" "$spec" "$extra" "$WORK/user-new-target")"
        read -r gw ge _ _ gm <<<"$(user_crate "$BASE" "$spec" "$extra, models_only = true" "$WORK/user-base-target")"
        read -r fw fe _ _ fm <<<"$(user_crate "$ROOT" "$spec" "$extra, models_only = true" "$WORK/user-new-target")"
        [ "$be" = - ] && be=0
        [ "$ne" = - ] && ne=0
        [ "$ge" = - ] && ge=0
        [ "$fe" = - ] && fe=0
        br=$(secs "$be" "$bw"); nr=$(secs "$ne" "$nw"); gr=$(secs "$ge" "$gw"); fr=$(secs "$fe" "$fw")
        for figure in "expand + compile, s|$bw|$nw|$gw|$fw" \
            "expansion (expand_crate), s|$be|$ne|$ge|$fe" \
            "rustc without expansion, s|$br|$nr|$gr|$fr" \
            "rustc peak memory, MB|$bm|$nm|$gm|$fm"; do
            IFS='|' read -r what b n g f <<<"$figure"
            [ "$b$n$g$f" = "----" ] && continue
            row "$label" "$what" "$b" "$n" "$(ratio "$n" "$b")" "$g" "$f" "$(ratio "$f" "$g")" "$(ratio "$n" "$f")"
        done
    done
    echo
fi

if ! skip incremental; then
    echo "## Rebuild after an edit of the user crate (dev profile, incremental, expansion cache on)"
    echo
    echo "A crate holding \`generate!\`, built once (the expansion cache empty), then"
    echo "\`touch src/lib.rs\` and built again: what a user waits for after editing the crate, the"
    echo "spec unchanged. Best of 2 rebuilds; peak memory: rustc's, from /usr/bin/time."
    echo
    row "spec" "figure" "base" "now" "now / base"
    row "---" "---" "---" "---" "---"
    for spec in "$DOCSPACE" "$BIG"; do
        figures=()
        for side in base new; do
            tree=$([ "$side" = base ] && echo "$BASE" || echo "$ROOT")
            dir=$(user_crate_dir "$tree" "$spec" " incremental")
            target=$WORK/user-incremental-target-$side
            cache=$WORK/incremental-cache-$side
            rm -rf "$cache"
            build() {
                (cd "$dir" && ORQ_CODEGEN_CACHE=$cache CARGO_TARGET_DIR=$target CARGO_INCREMENTAL=1 \
                    timed cargo build -q --lib 2>/dev/null)
            }
            echo "" > "$dir/src/lib.rs"
            build # dependencies, the macro included
            echo "#![allow(dead_code)] orq_codegen::generate!(spec = \"$spec\", client = \"Bench\");" > "$dir/src/lib.rs"
            t0=$(now); build; t1=$(now)
            cold=$(secs "$t0" "$t1")
            best=999999; mem=-
            for _ in 1 2; do
                touch "$dir/src/lib.rs"
                t0=$(now); build; t1=$(now)
                took=$(secs "$t0" "$t1")
                if python3 -c "import sys; sys.exit(0 if $took < $best else 1)"; then
                    best=$took; mem=$(peak_rss)
                fi
            done
            figures+=("$cold" "$best" "$mem")
            rm -rf "$cache"
        done
        name=$(basename "$spec")
        row "$name" "first build (incremental, cache empty), s" "${figures[0]}" "${figures[3]}" "$(ratio "${figures[3]}" "${figures[0]}")"
        row "$name" "rebuild after touch src/lib.rs, s" "${figures[1]}" "${figures[4]}" "$(ratio "${figures[4]}" "${figures[1]}")"
        row "$name" "rebuild: rustc peak memory, MB" "${figures[2]}" "${figures[5]}" "$(ratio "${figures[5]}" "${figures[2]}")"
    done
    echo
fi

if ! skip expansion; then
    echo "## Expansion at opt-level 0 (the macro as cargo builds it in a dev profile)"
    echo
    echo "Cold: an empty expansion cache (this tree; the base has none). Repeated: the same"
    echo "crate rebuilt, the spec unchanged (this tree reads the cache's entry). The macro's own"
    echo "time is what \`generate!\` takes; \`expand_crate\` adds serde's derives and the rest of"
    echo "rustc's expansion. Best of 2 each; rustc stops after expansion (-Zunpretty=expanded)."
    echo
    row "spec" "figure" "base" "now" "now / base"
    row "---" "---" "---" "---" "---"
    smaller() { python3 -c "import sys; v = [float(a) for a in sys.argv[1:] if a != '-']; print(f'{min(v):.2f}' if v else '-')" "$@"; }
    for spec in "$DOCSPACE" "$BIG"; do
        name=$(basename "$spec")
        read -r _ b1 _ <<<"$(USER_RUSTC=-Zunpretty=expanded user_crate "$BASE" "$spec" "" "$WORK/user-base-target")"
        read -r _ b2 _ <<<"$(USER_RUSTC=-Zunpretty=expanded user_crate "$BASE" "$spec" "" "$WORK/user-base-target")"
        be=$(smaller "$b1" "$b2")
        # Cold: a cache directory of its own, emptied before each expansion; repeated: the
        # entry the last cold run left.
        cache=$WORK/cache-cold
        rm -rf "$cache"
        read -r _ e1 m1 _ <<<"$(USER_RUSTC=-Zunpretty=expanded USER_ENV="ORQ_CODEGEN_CACHE=$cache" user_crate "$ROOT" "$spec" "" "$WORK/user-new-target")"
        rm -rf "$cache"
        read -r _ e2 m2 _ <<<"$(USER_RUSTC=-Zunpretty=expanded USER_ENV="ORQ_CODEGEN_CACHE=$cache" user_crate "$ROOT" "$spec" "" "$WORK/user-new-target")"
        read -r _ e3 m3 h3 <<<"$(USER_RUSTC=-Zunpretty=expanded USER_ENV="ORQ_CODEGEN_CACHE=$cache" user_crate "$ROOT" "$spec" "" "$WORK/user-new-target")"
        read -r _ e4 m4 h4 <<<"$(USER_RUSTC=-Zunpretty=expanded USER_ENV="ORQ_CODEGEN_CACHE=$cache" user_crate "$ROOT" "$spec" "" "$WORK/user-new-target")"
        rm -rf "$cache"
        ce=$(smaller "$e1" "$e2"); cm=$(smaller "$m1" "$m2")
        re=$(smaller "$e3" "$e4"); rm_=$(smaller "$m3" "$m4")
        row "$name" "cold, expand_crate, s" "$be" "$ce" "$(ratio "$ce" "$be")"
        row "$name" "cold, the macro alone, s" "-" "$cm" "-"
        served=$([ "$h3$h4" = 11 ] && echo "from the cache" || echo "NOT from the cache")
        row "$name" "repeated ($served), expand_crate, s" "$be" "$re" "$(ratio "$re" "$be")"
        row "$name" "repeated, the macro alone, s" "-" "$rm_" "-"
    done
    echo
fi

if ! skip override; then
    echo "## [profile.dev.build-override] opt-level: the generator's build against its expansion"
    echo
    echo "A crate depending on orq-codegen alone (no runtime: the expanded code is only expanded,"
    echo "not compiled): a clean build of the generator (the macro and every dependency of it),"
    echo "then the macro's own time on DocSpace, cold (cache off) and repeated (cache warm)."
    echo
    row "build-override opt-level" "generator clean build, s" "DocSpace cold, s" "DocSpace repeated, s"
    row "---" "---" "---" "---"
    for level in 0 1 3; do
        dir=$WORK/override-$level
        target=$WORK/override-target-$level
        rm -rf "$dir" "$target"
        mkdir -p "$dir/src"
        cat > "$dir/Cargo.toml" <<EOF
[package]
name = "orq-bench-override"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
orq-codegen = { path = "$ROOT/orq-codegen" }
[workspace]
[profile.dev.build-override]
opt-level = $level
EOF
        cp "$ROOT/Cargo.lock" "$dir/Cargo.lock"
        echo "" > "$dir/src/lib.rs"
        t0=$(now)
        (cd "$dir" && CARGO_TARGET_DIR=$target CARGO_INCREMENTAL=0 cargo build -q 2>/dev/null)
        t1=$(now)
        expansion() { # cache setting -> the macro's own time
            echo "orq_codegen::generate!(spec = \"$DOCSPACE\", client = \"Bench\");" > "$dir/src/lib.rs"
            (cd "$dir" && ORQ_CODEGEN_CACHE=$1 ORQ_CODEGEN_TIMINGS=1 CARGO_TARGET_DIR=$target \
                CARGO_INCREMENTAL=0 cargo build -q 2>&1 || true) |
                sed -n 's/^orq-codegen: .* expanded in \([0-9.]*\) s.*/\1/p' | head -1
        }
        cold=$(expansion off)
        expansion "$WORK/override-cache" >/dev/null
        repeated=$(expansion "$WORK/override-cache")
        row "$level" "$(secs "$t0" "$t1")" "${cold:--}" "${repeated:--}"
        rm -rf "$dir" "$target" "$WORK/override-cache"
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
        cost+=$(echo "$lines" | tail -1)$'\n'
        table=$("$NEW_CLI" features "$spec" 2>/dev/null)
        read -r aw ae _ <<<"$(user_crate "$ROOT" "$spec" ', features = "tags"' "$WORK/user-new-target" "--features full" "$table")"
        read -r ow oe _ <<<"$(user_crate "$ROOT" "$spec" ', features = "tags"' "$WORK/user-new-target" "--no-default-features --features $group,rustls" "$table")"
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
    echo "## Per-request overhead (release, 127.0.0.1 axum server, median of 9 alternating rounds)"
    echo
    (cd "$ROOT" && cargo bench -q -p orq-tests --bench overhead 2>/dev/null)
    echo
fi
