//! The `orq-codegen` command: exit codes, diagnostics, files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orq-codegen"))
        .args(args)
        .current_dir(workspace(""))
        .output()
        .expect("run orq-codegen")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_accepts_a_good_spec() {
    let out = run(&["check", "spec/orq.yaml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "spec/orq.yaml: ok (1 operations, 3 types)\n"
    );
}

#[test]
fn check_prints_every_problem_and_fails() {
    let out = run(&["check", "tests/ui/specs/wrong_shape.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: tests/ui/specs/wrong_shape.yaml at #/components/schemas/Item: this node has the wrong shape: invalid type: integer `7`, expected struct Schema",
            "error: tests/ui/specs/wrong_shape.yaml at #/paths/~1items/get/responses: this node has the wrong shape: invalid type: sequence, expected struct Responses",
            "error: tests/ui/specs/wrong_shape.yaml at #/paths/~1items~1{id}/get/parameters: this node has the wrong shape: invalid type: integer `3`, expected a sequence",
        ]
    );
    assert!(stderr.contains("  help: write a list of parameters here"));
    assert!(stderr.ends_with("3 errors found\n"), "{stderr}");
}

#[test]
fn check_lists_degradations_and_succeeds() {
    let out = run(&[
        "check",
        "tests/fixtures/degraded/undeclared_path_params.yaml",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let degraded: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("degraded: "))
        .collect();
    assert_eq!(degraded.len(), 2, "{stderr}");
    assert!(
        degraded[0].starts_with(
            "degraded: tests/fixtures/degraded/undeclared_path_params.yaml at #/paths/~1users~1{userId}~1posts~1{postId}/get: the path has `{userId}`"
        ),
        "{stderr}"
    );
    assert_eq!(
        text(&out.stdout),
        "tests/fixtures/degraded/undeclared_path_params.yaml: ok (1 operations, 1 types, 2 degradations)\n"
    );
}

#[test]
fn check_reports_syntax_errors_with_line_and_column() {
    let out = run(&["check", "tests/ui/specs/yaml_syntax.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .starts_with("error: tests/ui/specs/yaml_syntax.yaml:12:1: YAML syntax error"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_reports_bad_options() {
    let out = run(&["check", "spec/orq.yaml", "--tag", "contcts"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("option `tags`: no operation has the tag `contcts`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn generate_writes_nothing_when_the_spec_has_problems() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_file = dir.path().join("sdk.rs");
    let out = run(&[
        "generate",
        "tests/ui/specs/dangling_ref.yaml",
        "-o",
        out_file.to_str().expect("utf-8 temp path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no schema `Itme`"));
    assert!(!out_file.exists());
}

#[test]
fn generate_to_stdout_and_to_a_file_agree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_file = dir.path().join("nested/sdk.rs");
    let to_file = run(&[
        "generate",
        "spec/orq.yaml",
        "--client",
        "Orq",
        "-o",
        out_file.to_str().expect("utf-8 temp path"),
    ]);
    assert!(to_file.status.success(), "{}", text(&to_file.stderr));
    let to_stdout = run(&["generate", "spec/orq.yaml", "--client", "Orq"]);
    assert!(to_stdout.status.success());
    let written = std::fs::read_to_string(&out_file).expect("written file");
    assert_eq!(written, text(&to_stdout.stdout));
    assert!(written.contains("pub struct Orq"));
}

#[test]
fn missing_spec_and_bad_arguments_fail() {
    let out = run(&["check", "spec/nope.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("spec/nope.yaml: cannot read the spec file"));
    let usage = run(&["generate", "spec/orq.yaml", "--replace", "NoEquals"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(text(&usage.stderr).contains("expected SCHEMA=path::Type"));
}

#[test]
fn docs_writes_pages_and_check_tells_when_they_are_stale() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().to_str().expect("utf-8 temp path");
    let args = |check: bool| {
        let mut args = vec![
            "docs",
            "spec/orq.yaml",
            "-o",
            out_dir,
            "--client",
            "Orq",
            "--sdk-path",
            "orq_client",
        ];
        if check {
            args.push("--check");
        }
        run(&args)
    };
    let stale = args(true);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        text(&stale.stderr)
            .ends_with("5 pages are out of date: run `orq-codegen docs` without `--check`\n"),
        "{}",
        text(&stale.stderr)
    );
    assert!(args(false).status.success());
    let page = std::fs::read_to_string(dir.path().join("sdks/contacts/README.md")).expect("page");
    assert!(
        page.contains("let result = orq.contacts().create(body).await?;"),
        "{page}"
    );
    // The runtime path defaults to the generated code's: `orq_runtime`.
    assert!(page.contains("`orq_runtime::RetryConfig`"), "{page}");
    assert!(args(true).status.success(), "{}", text(&args(true).stderr));
}

#[test]
fn check_and_generate_follow_refs_to_other_files() {
    let out = run(&["check", "tests/fixtures/multifile/openapi.yaml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "tests/fixtures/multifile/openapi.yaml: ok (3 operations, 10 types)\n"
    );
    let out = run(&["generate", "tests/fixtures/multifile/openapi.yaml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let code = text(&out.stdout);
    assert!(code.contains("pub struct Droplet {"), "{code}");
    assert!(code.contains("pub attached_to: Option<Droplet>"), "{code}");
}

#[test]
fn a_problem_in_a_referenced_file_names_that_file() {
    let out = run(&["check", "tests/ui/specs/external_missing_file.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: tests/ui/specs/external_missing_file_parts.yaml at #/Item/properties/owner/$ref: `$ref` `owners/owner.yaml` points at the file `tests/ui/specs/owners/owner.yaml`, which cannot be read: "),
        "{stderr}"
    );
    assert!(stderr.ends_with("1 error found\n"), "{stderr}");
}

// `orq-codegen features`: the `[features]` table of an SDK crate whose groups are cargo
// features, and `--check` of a Cargo.toml against it.

const FEATURES_SPEC: &str = "tests/fixtures/features.yaml";

/// A crate's manifest with the table `features` printed, then `edit` applied to it.
fn manifest(dir: &Path, table: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let path = dir.join("Cargo.toml");
    let text = format!(
        "[package]\nname = \"shop-sdk\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n{table}\n[dependencies]\norq-runtime = {{ version = \"0.1\", default-features = false }}\n"
    );
    std::fs::write(&path, edit(text)).expect("write the manifest");
    path
}

#[test]
fn features_prints_the_table_of_every_group() {
    let out = run(&["features", FEATURES_SPEC]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.starts_with("[features]\n"), "{table}");
    let lines: Vec<&str> = table.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "[features]",
            "default = [\"full\", \"rustls\"]",
            "full = [\"admin\", \"pets\", \"store-orders\", \"untagged\"]",
            "admin        = [] # tag `admin`",
            "pets         = [] # tag `pets`",
            "store-orders = [] # tag `Store Orders`",
            "untagged     = [] # the operations without tags",
            "rustls = [\"orq-runtime/rustls\"]",
            "rustls-ring = [\"orq-runtime/rustls-ring\"]",
            "native-tls = [\"orq-runtime/native-tls\"]",
        ]
    );
    // The mock setting's feature forwards the runtime's.
    let out = run(&["features", FEATURES_SPEC, "--mock-feature", "testing"]);
    assert!(
        text(&out.stdout).ends_with("testing = [\"orq-runtime/mock\"]\n"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn check_passes_on_the_printed_table_and_fails_when_it_is_stale() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let table = text(&run(&["features", FEATURES_SPEC]).stdout);
    let fresh = manifest(dir.path(), &table, |t| t);
    let out = run(&[
        "features",
        FEATURES_SPEC,
        "--check",
        fresh.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());

    // The spec renamed a tag: the old group's feature is still in `full`, the new one is missing.
    let stale = manifest(dir.path(), &table, |t| t.replace("store-orders", "orders"));
    let out = run(&[
        "features",
        FEATURES_SPEC,
        "--check",
        stale.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let shown = stale.display();
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            format!("stale: {shown}: the feature `store-orders` (tag `Store Orders`) is missing"),
            format!("stale: {shown}: `full` enables `orders`, which is no group of the spec"),
            format!("stale: {shown}: `full` does not enable the group `store-orders`"),
            format!(
                "the `[features]` of {shown} are out of date: paste the table `orq-codegen features` prints"
            ),
        ]
    );
}

#[test]
fn check_says_when_the_manifest_cannot_be_read() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let missing = dir.path().join("Cargo.toml");
    let out = run(&[
        "features",
        FEATURES_SPEC,
        "--check",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot read it"),
        "{}",
        text(&out.stderr)
    );

    let broken = manifest(dir.path(), "[features]\nfull = \"pets\"\n", |t| t);
    let out = run(&[
        "features",
        FEATURES_SPEC,
        "--check",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("the feature `full` is not a list"),
        "{}",
        text(&out.stderr)
    );
}
