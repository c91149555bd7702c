//! Every public spec under `$ORQ_SPECS_DIR/corpus` (Box, Twilio, the OpenAPI
//! Initiative's 3.0 and 3.1 examples) expands and compiles under `#![deny(warnings)]`,
//! all in this one crate (`build.rs` writes one module per file). Runs when
//! `ORQ_SPECS_DIR` points at `../shared/specs` (`.ci/run` sets it).
#![cfg(corpus)]

include!(concat!(env!("OUT_DIR"), "/corpus.rs"));

#[test]
fn every_corpus_spec_gives_a_client() {
    let dir = std::path::Path::new(env!("ORQ_SPECS_DIR_AT_BUILD")).join("corpus");
    let on_disk = std::fs::read_dir(&dir).expect("the corpus folder").count();
    assert_eq!(
        SPECS.len(),
        on_disk,
        "every file in {} is compiled",
        dir.display()
    );
    for (file, builds) in SPECS {
        builds().unwrap_or_else(|err| panic!("{file}: {err}"));
    }
}
