//! How generation cost grows with spec size.
//!
//! ```text
//! cargo bench -p orq-codegen-impl --bench generate            # parse, generate, lines, compile
//! ORQ_BENCH_COMPILE=0 cargo bench -p orq-codegen-impl --bench generate   # skip compile timing
//! ```
//!
//! For spec/orq.yaml (the baseline), ../shared/specs/docspace.yaml when present, and
//! synthetic specs of 10, 100 and 1000 operations, it reports the median parse time
//! (YAML -> OpenAPI model), generation time (model -> IR -> tokens -> prettyplease text,
//! the parse excluded),
//! generated lines, and the time a cold, non-incremental `cargo build` (debug) takes to
//! compile the generated code in a crate that depends on orq-runtime (dependencies are
//! built once beforehand and not counted). Every figure is also given as a ratio to the
//! orq baseline of the same run, so results compare across machines.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use orq_codegen_impl::{Settings, format_tokens, generate_file, parse_file};

struct Row {
    name: String,
    operations: usize,
    parse: Duration,
    generate: Duration,
    lines: usize,
    /// `None`: not measured; `Some(None)`: the generated code did not compile.
    compile: Option<Option<Duration>>,
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn synthetic(operations: usize) -> String {
    let mut out = String::from(
        "openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\nservers: [{url: 'http://localhost'}]\npaths:\n",
    );
    for i in 0..operations {
        out.push_str(&format!(
            "  /items{i}/{{id}}:\n    put:\n      tags: [group{g}]\n      operationId: updateItem{i}\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n        - {{name: verbose, in: query, schema: {{type: boolean}}}}\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Item{i}'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Item{i}'}}\n        '404':\n          description: missing\n",
            g = i % 20
        ));
    }
    out.push_str("components:\n  schemas:\n");
    for i in 0..operations {
        out.push_str(&format!(
            "    Item{i}:\n      type: object\n      required: [name]\n      properties:\n        name: {{type: string, maxLength: 64}}\n        count: {{type: integer, format: int32, minimum: 0}}\n        tags: {{type: array, items: {{type: string}}}}\n        note: {{type: string, nullable: true}}\n        kind: {{type: string, enum: [a, b, c]}}\n"
        ));
    }
    out
}

fn measure(name: &str, spec: &Path, runs: usize, compile_root: Option<&Path>) -> Option<Row> {
    let settings = Settings::new().with_client_name("Bench");
    let mut parse = Vec::new();
    let mut generate = Vec::new();
    let mut text = String::new();
    let mut operations = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let api = parse_file(spec).ok()?;
        let parsed_in = start.elapsed();
        parse.push(parsed_in);
        operations = api
            .paths
            .paths
            .values()
            .filter_map(|p| p.as_item())
            .map(|p| p.iter().count())
            .sum();

        // `generate_file` parses again; that parse is not generation time.
        let start = Instant::now();
        let tokens = generate_file(spec, &settings).ok()?;
        text = format_tokens(&tokens).ok()?;
        generate.push(start.elapsed().saturating_sub(parsed_in));
    }
    let compile = compile_root.map(|root| compile(root, name, &text));
    Some(Row {
        name: name.to_string(),
        operations,
        parse: median(parse),
        generate: median(generate),
        lines: text.lines().count(),
        compile,
    })
}

fn write_crate(root: &Path, name: &str, lib: &str) -> PathBuf {
    let dir = root.join(name);
    let _ = std::fs::create_dir_all(dir.join("src"));
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../orq-client/runtime");
    let manifest = format!(
        "[package]\nname = \"bench-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\norq-runtime = {{ path = {runtime:?} }}\n\n[workspace]\n"
    );
    let _ = std::fs::write(dir.join("Cargo.toml"), manifest);
    let _ = std::fs::write(dir.join("src/lib.rs"), lib);
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let _ = std::fs::copy(lock, dir.join("Cargo.lock"));
    dir
}

fn cargo_build(dir: &Path, target: &Path) -> Option<Duration> {
    // A cold build of the crate itself: no artifacts of an earlier run, no
    // incremental cache (which would turn a rerun into a near no-op).
    let _ = Command::new(env!("CARGO"))
        .args(["clean", "--offline", "--quiet", "--package"])
        .arg(bench_package(dir))
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status();
    let start = Instant::now();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .ok()?;
    status.success().then(|| start.elapsed())
}

fn bench_package(dir: &Path) -> String {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    format!("bench-{name}")
}

fn compile(root: &Path, name: &str, text: &str) -> Option<Duration> {
    let dir = write_crate(root, name, &format!("#![allow(dead_code)]\n{text}"));
    cargo_build(&dir, &root.join("target"))
}

fn ratio(value: f64, base: f64) -> String {
    if base > 0.0 {
        format!("{:.2}x", value / base)
    } else {
        "-".into()
    }
}

fn main() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let scratch = workspace.join("target/bench-generate");
    let _ = std::fs::create_dir_all(&scratch);
    let compile_root =
        (std::env::var("ORQ_BENCH_COMPILE").as_deref() != Ok("0")).then(|| scratch.join("compile"));
    if let Some(root) = &compile_root {
        // Build orq-runtime and its dependencies once, so that only generated code is timed.
        let warm = write_crate(root, "warmup", "pub use orq_runtime as _runtime;\n");
        if cargo_build(&warm, &root.join("target")).is_none() {
            eprintln!("warm-up build failed; compile times will be missing");
        }
    }

    let mut specs: Vec<(String, PathBuf, usize)> =
        vec![("orq".into(), workspace.join("spec/orq.yaml"), 20)];
    let docspace = workspace.join("../shared/specs/docspace.yaml");
    if docspace.is_file() {
        specs.push(("docspace".into(), docspace, 3));
    }
    for n in [10, 100, 1000] {
        let path = scratch.join(format!("synthetic-{n}.yaml"));
        let _ = std::fs::write(&path, synthetic(n));
        specs.push((
            format!("synthetic-{n}"),
            path,
            if n >= 1000 { 3 } else { 10 },
        ));
    }

    let rows: Vec<Row> = specs
        .iter()
        .filter_map(|(name, path, runs)| {
            eprintln!("measuring {name}...");
            measure(name, path, *runs, compile_root.as_deref())
        })
        .collect();
    let Some(base) = rows.first() else { return };
    let (bp, bg, bl) = (
        base.parse.as_secs_f64(),
        base.generate.as_secs_f64(),
        base.lines as f64,
    );
    let bc = base.compile.flatten().map_or(0.0, |c| c.as_secs_f64());
    println!(
        "| spec | operations | parse | generate | lines | compile | parse / orq | generate / orq | lines / orq | compile / orq |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in &rows {
        let (compile, compile_ratio) = match r.compile {
            None => ("-".to_string(), "-".to_string()),
            Some(None) => ("failed".to_string(), "-".to_string()),
            Some(Some(c)) => (
                format!("{:.1} s", c.as_secs_f64()),
                ratio(c.as_secs_f64(), bc),
            ),
        };
        println!(
            "| {} | {} | {:.2} ms | {:.2} ms | {} | {} | {} | {} | {} | {} |",
            r.name,
            r.operations,
            r.parse.as_secs_f64() * 1e3,
            r.generate.as_secs_f64() * 1e3,
            r.lines,
            compile,
            ratio(r.parse.as_secs_f64(), bp),
            ratio(r.generate.as_secs_f64(), bg),
            ratio(r.lines as f64, bl),
            compile_ratio,
        );
    }
}
