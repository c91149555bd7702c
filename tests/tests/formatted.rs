//! The formatted text of generated code (what `orq_codegen_impl::format_tokens` gives a
//! `build.rs` user) compiles under `#[deny(warnings)]` too. Written by `build.rs`; rustc
//! skips some lints (unused `mut`, unused labels) inside macro expansions, so the
//! `generate!` tests alone would not catch them.
//!
//! Two clippy style lints are still allowed here: `i64::from(x)` on a value that is
//! already an `i64` (the same check code serves every integer width) and a `let value`
//! of unit type for operations whose success is empty.

macro_rules! formatted {
    ($name:ident, $file:literal) => {
        #[deny(warnings)]
        #[allow(dead_code, clippy::useless_conversion, clippy::let_unit_value)]
        mod $name {
            include!(concat!(env!("OUT_DIR"), "/", $file));
        }
    };
}

formatted!(petstore, "petstore.rs");
formatted!(bodies, "bodies.rs");
formatted!(params, "params.rs");
formatted!(openapi31, "openapi31.rs");

#[test]
fn formatted_sdks_compile() {
    let _ = petstore::Petstore::builder();
    let _ = params::Params::builder();
}
