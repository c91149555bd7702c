//! Compile-fail UI tests: one case per kind of spec problem, each with the exact
//! compiler output users see (`tests/ui/*.stderr`). All cases run in one trybuild
//! build. Regenerate the expected output with `TRYBUILD=overwrite`.

use std::path::{Path, PathBuf};

/// trybuild compiles the cases as a crate under `target/tests/trybuild/orq-tests`, and
/// that is the `CARGO_MANIFEST_DIR` the macro resolves `spec = ".."` against. Copying
/// the specs there lets the cases say `spec = "ui/specs/x.yaml"`, a short path that
/// shows the same in every checkout.
fn stage_specs() {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"));
    let staged = target.join("tests/trybuild/orq-tests/ui/specs");
    std::fs::create_dir_all(&staged).expect("create the staged spec folder");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/specs");
    for entry in std::fs::read_dir(&source).expect("read tests/ui/specs") {
        let path = entry.expect("spec entry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, staged.join(name)).expect("stage a spec");
        }
    }
}

#[test]
fn ui() {
    stage_specs();
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
