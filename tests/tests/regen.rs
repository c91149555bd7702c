//! Editing the spec, or a file its `$ref`s point at, regenerates the SDK on the next
//! build, with no other change: the macro output includes every file read with
//! `include_bytes!`, and `generate_to_out_dir` prints `cargo:rerun-if-changed` for each,
//! so cargo tracks them all.
//!
//! A throwaway crate whose code uses the field `nickname` is checked twice: while the
//! spec (or the file it refers to) has the field, so the check passes, and after the field
//! is removed from that one file, so the check fails. A build that passed is fresh to
//! cargo, so the second check fails only if cargo tracks the edited file (a failed first
//! build would be redone whatever was tracked).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A spec whose operation returns the schema at `contact` (a `$ref`).
fn spec(contact: &str) -> String {
    format!(
        r##"
openapi: 3.0.3
info: {{title: Probe, version: "1"}}
paths:
  /contacts:
    post:
      operationId: create
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "{contact}"}}
"##
    )
}

/// The `Contact` schema, as a map of one (its own file, or `components.schemas`).
const CONTACT: &str = r##"
Contact:
  type: object
  required: [id]
  properties:
    id: {type: string}
    nickname: {type: string}
"##;

/// The spec in one file.
fn whole_spec() -> String {
    let components = CONTACT.replace('\n', "\n    ");
    format!(
        "{}components:\n  schemas:{components}",
        spec("#/components/schemas/Contact")
    )
}

/// The spec with `Contact` in another file, two folders away.
fn split_spec() -> String {
    spec("../models/people/contact.yaml#/Contact")
}

const USE_NICKNAME: &str = r#"
pub fn nickname(contact: &models::Contact) -> Option<&str> {
    contact.nickname.as_deref()
}
"#;

const MACRO_LIB: &str = r#"orq_codegen::generate!(spec = "spec/api.yaml", client = "Probe");"#;

const BUILD_RS: &str = r#"
fn main() {
    let settings = orq_codegen_impl::Settings::new().with_client_name("Probe");
    orq_codegen_impl::build::generate_to_out_dir("spec/api.yaml", &settings, "probe.rs")
        .unwrap_or_else(|err| panic!("{err}"));
}
"#;

const BUILD_RS_LIB: &str = r#"include!(concat!(env!("OUT_DIR"), "/probe.rs"));"#;

/// A crate generated from a spec, in a temporary folder.
struct Probe {
    dir: tempfile::TempDir,
}

impl Probe {
    /// `build_rs`: generate from build.rs instead of the macro.
    fn new(build_rs: bool, files: &[(&str, &str)]) -> Self {
        let root = workspace();
        let dir = tempfile::tempdir().unwrap();
        let (lib, generator) = if build_rs {
            let impl_crate = root.join("orq-codegen/impl");
            let section =
                format!("\n[build-dependencies]\norq-codegen-impl = {{ path = {impl_crate:?} }}");
            (BUILD_RS_LIB, section)
        } else {
            let macro_crate = root.join("orq-codegen");
            (
                MACRO_LIB,
                format!("orq-codegen = {{ path = {macro_crate:?} }}"),
            )
        };
        let manifest = format!(
            "[package]\nname = \"regen-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\norq-runtime = {{ path = {:?} }}\n{generator}\n\n[workspace]\n",
            root.join("orq-client/runtime"),
        );
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
        let probe = Probe { dir };
        probe.write("src/lib.rs", &format!("{lib}\n{USE_NICKNAME}"));
        if build_rs {
            probe.write("build.rs", BUILD_RS);
        }
        for (path, text) in files {
            probe.write(path, text);
        }
        probe
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Remove `nickname` from the `Contact` schema in the file at `path`.
    fn remove_nickname(&self, path: &str) {
        let file = self.dir.path().join(path);
        let text = std::fs::read_to_string(&file).unwrap();
        let after: Vec<&str> = text
            .lines()
            .filter(|line| line.trim() != "nickname: {type: string}")
            .collect();
        assert_ne!(after.len(), text.lines().count(), "{path} has `nickname`");
        std::fs::write(file, after.join("\n")).unwrap();
    }

    fn check(&self) -> (bool, String) {
        let output = Command::new(env!("CARGO"))
            .args(["check", "--offline", "--quiet", "--message-format=short"])
            .current_dir(self.dir.path())
            // Shares compiled dependencies with the trybuild UI tests.
            .env(
                "CARGO_TARGET_DIR",
                workspace().join("target/tests/trybuild"),
            )
            .output()
            .expect("cargo runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// The crate compiles, and no longer does once `nickname` is removed from the file
    /// at `edited`, with nothing else changed.
    fn assert_regenerates_after_editing(&self, edited: &str) {
        let (ok, stderr) = self.check();
        assert!(
            ok,
            "the spec has `nickname`, so the crate compiles: {stderr}"
        );
        self.remove_nickname(edited);
        let (ok, stderr) = self.check();
        assert!(
            !ok,
            "`nickname` was removed from {edited}, so the regenerated SDK lacks it"
        );
        assert!(stderr.contains("nickname"), "{stderr}");
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn editing_the_spec_changes_the_sdk_on_the_next_build() {
    let probe = Probe::new(false, &[("spec/api.yaml", &whole_spec())]);
    probe.assert_regenerates_after_editing("spec/api.yaml");
}

#[test]
fn editing_a_file_the_spec_refers_to_changes_the_sdk_on_the_next_build() {
    let split = split_spec();
    let files = [
        ("spec/api.yaml", split.as_str()),
        ("models/people/contact.yaml", CONTACT),
    ];
    let probe = Probe::new(false, &files);
    probe.assert_regenerates_after_editing("models/people/contact.yaml");
}

#[test]
fn build_rs_reruns_when_a_file_the_spec_refers_to_changes() {
    let split = split_spec();
    let files = [
        ("spec/api.yaml", split.as_str()),
        ("models/people/contact.yaml", CONTACT),
    ];
    let probe = Probe::new(true, &files);
    probe.assert_regenerates_after_editing("models/people/contact.yaml");
}
