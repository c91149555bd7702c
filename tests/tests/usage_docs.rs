//! The orq SDK's usage docs under `orq-client/docs/` are what `orq-codegen docs` writes
//! for `spec/orq.yaml`, as insta does for code: a stale page fails here. Update them with
//!
//! ```text
//! ORQ_UPDATE_DOCS=1 cargo test -p orq-tests --test usage_docs
//! ```
//!
//! (or `cargo run -p orq-codegen-cli -- docs spec/orq.yaml -o orq-client/docs --client Orq
//! --sdk-path orq_client --runtime-path orq_client`). Their examples compile as doctests of
//! orq-client.

use std::path::Path;

use orq_codegen_impl::{DocsOptions, Settings, sync_usage_docs, usage_docs_file};

#[test]
fn the_orq_usage_docs_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let options = DocsOptions {
        sdk_path: "orq_client".into(),
        runtime_path: "orq_client".into(),
    };
    let settings = Settings::new().with_client_name("Orq");
    let pages = usage_docs_file(&root.join("spec/orq.yaml"), &settings, &options)
        .expect("spec/orq.yaml generates");
    let update = std::env::var_os("ORQ_UPDATE_DOCS").is_some();
    let stale = sync_usage_docs(&root.join("orq-client/docs"), &pages, !update)
        .expect("read orq-client/docs");
    assert!(
        update || stale.is_empty(),
        "the usage docs are stale: {stale:?}; run `ORQ_UPDATE_DOCS=1 cargo test -p orq-tests --test usage_docs`"
    );
    for page in [
        "README.md",
        "sdks/contacts/README.md",
        "models/createcontactrequestbody.md",
    ] {
        assert!(pages.contains_key(page), "{page} is generated");
    }
}
