//! `orq-codegen diff` and the `--surface` option of `generate` and `check`: formats, exit
//! statuses, surface files as a side, and the file's life cycle.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// Run the command in the workspace, without `ORQ_SURFACE` unless `update`.
fn run_with(args: &[&str], update: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_orq-codegen"));
    command
        .args(args)
        .current_dir(workspace(""))
        .env_remove("ORQ_SURFACE");
    if update {
        command.env("ORQ_SURFACE", "update");
    }
    command.output().expect("run orq-codegen")
}

fn run(args: &[&str]) -> Output {
    run_with(args, false)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const OLD: &str = "spec/orq.yaml";
const NEW: &str = "tests/fixtures/diff/orq-next.yaml";

#[test]
fn text_is_the_default_and_lists_each_change_with_its_place() {
    let out = run(&["diff", OLD, NEW, "--client", "Orq"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("spec/orq.yaml -> tests/fixtures/diff/orq-next.yaml: 7 changes: 1 breaks the build, 2 change behaviour at run time, 4 additive\n\nbreaks the build:\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  groups::Contacts::retrieve: operation added (`GET /v2/contacts/{id}`)\n      new #/paths/~1v2~1contacts~1{id}/get\n"),
        "{stdout}"
    );
}

#[test]
fn markdown_is_the_changelog_section_of_the_snapshot() {
    let out = run(&["diff", OLD, NEW, "--client", "Orq", "--format", "markdown"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let snapshot = std::fs::read_to_string(workspace("tests/tests/snapshots/diff__diff_orq.snap"))
        .expect("the snapshot of tests/tests/diff.rs");
    // The snapshot's body follows its `---` header.
    let body = snapshot.splitn(3, "---\n").nth(2).expect("a snapshot body");
    assert_eq!(text(&out.stdout).trim_end(), body.trim_end());
}

#[test]
fn json_is_for_tools() {
    let out = run(&["diff", OLD, NEW, "--client", "Orq", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for expected in [
        "\"summary\": {\n    \"breaking\": 1,\n    \"behavior\": 2,\n    \"additive\": 4\n  }",
        "\"kind\": \"error_status_added\"",
        "\"item\": \"requests::ContactsCreateError::Status409\"",
        "\"version\": \"2.1\"",
    ] {
        assert!(stdout.contains(expected), "{expected} in {stdout}");
    }
}

#[test]
fn deny_breaking_fails_only_on_a_change_that_breaks_the_build() {
    let out = run(&["diff", OLD, NEW, "--deny-breaking"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--deny-breaking"));
    let additive = run(&[
        "diff",
        "tests/fixtures/diff/servers-added/old.yaml",
        "tests/fixtures/diff/servers-added/new.yaml",
        "--deny-breaking",
    ]);
    assert!(additive.status.success(), "{}", text(&additive.stderr));
    let same = run(&["diff", OLD, OLD, "--deny-breaking"]);
    assert!(same.status.success());
    assert_eq!(
        text(&same.stdout),
        "spec/orq.yaml -> spec/orq.yaml: no change to the API\n"
    );
}

#[test]
fn a_side_that_cannot_be_read_is_status_2() {
    let out = run(&["diff", OLD, "spec/nope.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("spec/nope.yaml: cannot read the spec file"));
    let dir = tempfile::tempdir().expect("temp dir");
    let garbled = dir.path().join("api.surface");
    std::fs::write(&garbled, "# orq-codegen API surface 1\nfield x y {}\n").expect("write");
    let out = run(&["diff", garbled.to_str().expect("utf-8"), OLD]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("line 2:"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_surface_file_lives_with_generate_and_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("orq.surface");
    let surface = file.to_str().expect("utf-8 temp path");
    let check = |spec: &str| run(&["check", spec, "--client", "Orq", "--surface", surface]);

    // No file yet: `check` says so and fails; `ORQ_SURFACE=update` writes it.
    let missing = check(OLD);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stderr).contains("does not exist yet"),
        "{}",
        text(&missing.stderr)
    );
    let update = run_with(
        &["check", OLD, "--client", "Orq", "--surface", surface],
        true,
    );
    assert!(update.status.success(), "{}", text(&update.stderr));
    assert!(check(OLD).status.success());
    assert!(text(&check(OLD).stderr).is_empty());

    // The spec changes: `check` lists what changed for users, and fails until updated.
    let stale = check(NEW);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = text(&stale.stderr);
    assert!(
        stderr.contains("surface: the spec changed the SDK's API since "),
        "{stderr}"
    );
    assert!(
        stderr.contains("surface:   additive: groups::Contacts::retrieve: operation added"),
        "{stderr}"
    );
    assert!(stderr.contains("ORQ_SURFACE=update"), "{stderr}");

    // The recorded surface is a side of `diff`, as good as the spec it came from.
    let from_file = run(&["diff", surface, NEW, "--client", "Orq"]);
    let from_spec = run(&["diff", OLD, NEW, "--client", "Orq"]);
    let body = |out: &Output| {
        text(&out.stdout)
            .split_once('\n')
            .map(|(_, b)| b.to_owned())
    };
    assert_eq!(body(&from_file), body(&from_spec));

    // `generate` brings the file up to date with the code it writes.
    let code = dir.path().join("sdk.rs");
    let generate = run(&[
        "generate",
        NEW,
        "--client",
        "Orq",
        "-o",
        code.to_str().expect("utf-8"),
        "--surface",
        surface,
    ]);
    assert!(generate.status.success(), "{}", text(&generate.stderr));
    assert!(
        text(&generate.stderr).ends_with(&format!("surface: wrote {surface}\n")),
        "{}",
        text(&generate.stderr)
    );
    assert!(check(NEW).status.success());
}
