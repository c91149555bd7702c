//! Enables `cfg(docspace)` when the DocSpace spec is available: CI sets
//! `ORQ_DOCSPACE_SPEC` (see `.ci/run`); a fresh clone without `../shared` skips those tests.

fn main() {
    println!("cargo:rustc-check-cfg=cfg(docspace)");
    println!("cargo:rerun-if-env-changed=ORQ_DOCSPACE_SPEC");
    if let Some(path) = std::env::var_os("ORQ_DOCSPACE_SPEC")
        && std::path::Path::new(&path).is_file()
    {
        println!("cargo:rustc-cfg=docspace");
    }
}
