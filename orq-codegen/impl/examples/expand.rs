//! Expand a spec as `generate!` does (tokens, no formatting), optionally with the build
//! setting `surface` on, and print what came out: for timing the setting against the
//! same expansion without it, in the profile the macro runs in.
//!
//! ```text
//! cargo run -p orq-codegen-impl --example expand -- SPEC [SURFACE_FILE]
//! ```
fn main() {
    let mut args = std::env::args().skip(1);
    let spec = args.next().unwrap_or_else(|| "spec/orq.yaml".into());
    let mut settings = orq_codegen_impl::Settings::new().with_client_name("Api");
    if let Some(surface) = args.next() {
        settings = settings.with_surface_file(surface);
    }
    let generated = orq_codegen_impl::expand_file(std::path::Path::new(&spec), &settings);
    let tokens = generated.tokens.into_iter().count();
    let surface = match &generated.surface {
        Some(check) => format!(
            ", surface {:?} with {} changes",
            check.recorded,
            check.changes.len()
        ),
        None => String::new(),
    };
    println!(
        "{tokens} top-level tokens, {} diagnostics{surface}",
        generated.diagnostics.len()
    );
}
