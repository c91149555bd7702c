//! `orq-codegen features`: the `[features]` table of an SDK crate whose groups are cargo
//! features, and `--check` of a Cargo.toml against it.

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

const SPEC: &str = "tests/fixtures/features.yaml";

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
    let out = run(&["features", SPEC]);
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
    let out = run(&["features", SPEC, "--mock-feature", "testing"]);
    assert!(
        text(&out.stdout).ends_with("testing = [\"orq-runtime/mock\"]\n"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn check_passes_on_the_printed_table_and_fails_when_it_is_stale() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let table = text(&run(&["features", SPEC]).stdout);
    let fresh = manifest(dir.path(), &table, |t| t);
    let out = run(&["features", SPEC, "--check", fresh.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());

    // The spec renamed a tag: the old group's feature is still in `full`, the new one is missing.
    let stale = manifest(dir.path(), &table, |t| t.replace("store-orders", "orders"));
    let out = run(&["features", SPEC, "--check", stale.to_str().unwrap()]);
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
    let out = run(&["features", SPEC, "--check", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot read it"),
        "{}",
        text(&out.stderr)
    );

    let broken = manifest(dir.path(), "[features]\nfull = \"pets\"\n", |t| t);
    let out = run(&["features", SPEC, "--check", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("the feature `full` is not a list"),
        "{}",
        text(&out.stderr)
    );
}
