//! Generates the SDKs into OUT_DIR. Editing a spec re-runs this script
//! (`generate_to_out_dir` prints `cargo:rerun-if-changed`); a spec problem fails the
//! build with every diagnostic printed as a `cargo:warning`.

use orq_codegen_impl::Settings;
use orq_codegen_impl::build::generate_to_out_dir;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    generate_to_out_dir(
        "../../../spec/orq.yaml",
        &Settings::new().with_client_name("Orq"),
        "orq.rs",
    )?;
    generate_to_out_dir(
        "../../../tests/fixtures/petstore.yaml",
        &Settings::new().with_client_name("Petstore"),
        "petstore.rs",
    )?;
    Ok(())
}
