//! Editing the spec regenerates the SDK on the next build, with no other change: the
//! macro output includes the spec with `include_bytes!`, so cargo tracks the file.
//!
//! A throwaway crate that uses `generate!` is checked twice: before the spec has the
//! field `nickname` (the crate's code uses it, so the check fails) and after the spec
//! gains it (the check passes). Only the spec changes between the two runs.

use std::path::Path;
use std::process::Command;

const SPEC_BEFORE: &str = r##"
openapi: 3.0.3
info: {title: Probe, version: "1"}
paths:
  /contacts:
    post:
      operationId: create
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Contact"}
components:
  schemas:
    Contact:
      type: object
      required: [id]
      properties:
        id: {type: string}
"##;

const LIB: &str = r#"
orq_codegen::generate!(spec = "spec.yaml", client = "Probe");

pub fn nickname(contact: &models::Contact) -> Option<&str> {
    contact.nickname.as_deref()
}
"#;

fn check(dir: &Path, target: &Path) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--message-format=short"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn editing_the_spec_changes_the_sdk_on_the_next_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    let manifest = format!(
        "[package]\nname = \"regen-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\norq-runtime = {{ path = {:?} }}\norq-codegen = {{ path = {:?} }}\n\n[workspace]\n",
        root.join("orq-client/runtime"),
        root.join("orq-codegen"),
    );
    std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), LIB).unwrap();
    std::fs::write(dir.path().join("spec.yaml"), SPEC_BEFORE).unwrap();
    // Shares compiled dependencies with the trybuild UI tests.
    let target = root.join("target/tests/trybuild");

    let (ok, stderr) = check(dir.path(), &target);
    assert!(
        !ok,
        "the field is not in the spec yet, so the crate must not compile"
    );
    assert!(stderr.contains("nickname"), "{stderr}");

    let after = SPEC_BEFORE.replace(
        "id: {type: string}",
        "id: {type: string}\n        nickname: {type: string}",
    );
    std::fs::write(dir.path().join("spec.yaml"), after).unwrap();
    let (ok, stderr) = check(dir.path(), &target);
    assert!(
        ok,
        "after adding `nickname` to the spec the crate compiles: {stderr}"
    );
}
