//! What a CI job asks of the command: `generate --check` for checked-in SDKs,
//! `--deny-degradations`, the spec on standard input, the output file replaced whole,
//! and `docs` saying why it needs `--sdk-path`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn workspace(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orq-codegen"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run orq-codegen");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("wait for orq-codegen")
}

fn run(args: &[&str]) -> Output {
    run_in(&workspace(""), args, None)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The command exited with `code` and its standard error says `says`.
#[track_caller]
fn assert_failed(out: &Output, code: i32, says: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    assert!(stderr.contains(says), "{stderr}");
}

const DEGRADED: &str = "tests/fixtures/degraded/undeclared_path_params.yaml";

const JSON_SPEC: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Pets", "version": "1"},
  "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"200": {
    "description": "ok",
    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}
  }}}}}
}"#;

#[test]
fn generate_check_passes_on_a_fresh_file_and_fails_on_a_stale_or_missing_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sdk.rs");
    let path = file.to_str().expect("utf-8 temp path");
    let generate = |check: bool| {
        let mut args = vec!["generate", "spec/orq.yaml", "--client", "Orq", "-o", path];
        if check {
            args.push("--check");
        }
        run(&args)
    };

    let missing = generate(true);
    assert_failed(
        &missing,
        1,
        "sdk.rs is missing: run the same `orq-codegen generate` without `--check`",
    );
    assert!(!file.exists(), "--check writes nothing");

    assert!(generate(false).status.success());
    let fresh = generate(true);
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));
    assert!(fresh.stdout.is_empty());

    let code = std::fs::read_to_string(&file).expect("generated file");
    let mut lines: Vec<&str> = code.lines().collect();
    lines[2] = "// edited by hand";
    let edited = lines.join("\n") + "\n";
    std::fs::write(&file, &edited).expect("edit");
    let stale = generate(true);
    assert_failed(
        &stale,
        1,
        "sdk.rs differs from the code the spec generates (first at line 3)",
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("file"),
        edited,
        "--check leaves the file alone"
    );
}

#[test]
fn generate_check_compares_with_a_file_only() {
    let out = run(&["generate", "spec/orq.yaml", "--check"]);
    assert_failed(&out, 2, "--output");
    let out = run(&["generate", "spec/orq.yaml", "--check", "-o", "-"]);
    assert_failed(&out, 2, "`--check` compares with a file");
}

#[test]
fn the_output_file_is_replaced_whole_with_nothing_left_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sdk.rs");
    std::fs::write(&file, "// an older SDK\n").expect("old file");
    let out = run(&[
        "generate",
        "spec/orq.yaml",
        "-o",
        file.to_str().expect("utf-8 temp path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["sdk.rs"]);
    let stdout = run(&["generate", "spec/orq.yaml"]);
    assert_eq!(
        std::fs::read_to_string(&file).expect("file"),
        text(&stdout.stdout)
    );
}

#[test]
fn deny_degradations_fails_check_and_generate_on_a_degraded_spec() {
    let denied = run(&["check", DEGRADED, "--deny-degradations"]);
    assert_eq!(denied.status.code(), Some(1));
    let stderr = text(&denied.stderr);
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("degraded: "))
            .count(),
        2,
        "{stderr}"
    );
    assert!(
        stderr.ends_with("2 degradations denied by --deny-degradations\n"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sdk.rs");
    let path = file.to_str().expect("utf-8 temp path");
    let denied = run(&["generate", DEGRADED, "-o", path, "--deny-degradations"]);
    assert_failed(&denied, 1, "2 degradations denied by --deny-degradations");
    assert!(!file.exists(), "a denied degradation writes nothing");
    assert!(run(&["generate", DEGRADED, "-o", path]).status.success());

    // A spec expressed exactly passes.
    let exact = run(&["check", "spec/orq.yaml", "--deny-degradations"]);
    assert!(exact.status.success(), "{}", text(&exact.stderr));
    let exact = run(&["generate", "spec/orq.yaml", "--deny-degradations"]);
    assert!(exact.status.success(), "{}", text(&exact.stderr));
}

#[test]
fn a_spec_on_standard_input_generates_what_the_file_does() {
    let yaml = std::fs::read_to_string(workspace("spec/orq.yaml")).expect("spec");
    let piped = run_in(
        &workspace(""),
        &["generate", "-", "--client", "Orq"],
        Some(&yaml),
    );
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    let from_file = run(&["generate", "spec/orq.yaml", "--client", "Orq"]);
    assert_eq!(text(&piped.stdout), text(&from_file.stdout));

    let json = run_in(&workspace(""), &["check", "-"], Some(JSON_SPEC));
    assert!(json.status.success(), "{}", text(&json.stderr));
    assert_eq!(
        text(&json.stdout),
        "<stdin>.json: ok (1 operations, 0 types)\n"
    );
}

#[test]
fn problems_on_standard_input_name_it() {
    let out = run_in(&workspace(""), &["check", "-"], Some("{\"openapi\": }"));
    assert_failed(&out, 1, "error: <stdin>.json:1:13: ");
    let out = run_in(&workspace(""), &["check", "-"], Some(""));
    assert_failed(&out, 1, "<stdin>");
}

#[test]
fn refs_of_a_spec_on_standard_input_are_relative_to_the_current_directory() {
    let spec =
        std::fs::read_to_string(workspace("tests/fixtures/multifile/openapi.yaml")).expect("spec");
    let beside = run_in(
        &workspace("tests/fixtures/multifile"),
        &["check", "-"],
        Some(&spec),
    );
    assert!(beside.status.success(), "{}", text(&beside.stderr));
    // (One more type than from the file: a `$ref` back into `openapi.yaml` by name reads that
    // file from disk, which standard input cannot be known to be, so its target is copied.)
    assert!(
        text(&beside.stdout).starts_with("<stdin>: ok (3 operations, "),
        "{}",
        text(&beside.stdout)
    );

    let elsewhere = run_in(&workspace(""), &["check", "-"], Some(&spec));
    assert_failed(&elsewhere, 1, "which cannot be read");
}

#[test]
fn docs_says_why_it_needs_the_sdk_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().to_str().expect("utf-8 temp path");
    let spec = workspace("spec/orq.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    let out = run_in(
        &workspace("orq-client"),
        &["docs", spec, "-o", out_dir],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(
            "error: `docs` needs `--sdk-path`: the path your users write to reach the generated SDK"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("neither the spec nor the client name says where the SDK lives"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: if the SDK is the root of the crate `orq-client` (this directory's package): --sdk-path orq_client"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
}

#[test]
fn generate_check_also_compares_the_surface_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let code = dir.path().join("sdk.rs");
    let surface = dir.path().join("orq.surface");
    let (code, surface) = (
        code.to_str().expect("utf-8 temp path"),
        surface.to_str().expect("utf-8 temp path"),
    );
    let generate = |check: bool| {
        let mut args = vec!["generate", "spec/orq.yaml", "--client", "Orq"];
        args.extend(["-o", code, "--surface", surface]);
        if check {
            args.push("--check");
        }
        run(&args)
    };

    assert!(generate(false).status.success());
    let fresh = generate(true);
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));

    let recorded = std::fs::read_to_string(surface).expect("surface file");
    std::fs::remove_file(surface).expect("remove");
    let missing = generate(true);
    assert_failed(&missing, 1, "orq.surface is missing");
    assert!(
        !Path::new(surface).exists(),
        "--check writes no surface file"
    );
    std::fs::write(surface, recorded).expect("restore");
    assert!(generate(true).status.success());
}
