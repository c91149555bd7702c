//! Every public spec under `$ORQ_SPECS_DIR/corpus` (Box, Twilio, the OpenAPI
//! Initiative's 3.0 and 3.1 examples), and every Swagger 2.0 document under
//! `$ORQ_SPECS_DIR/swagger2` (the OpenAPI Initiative's 2.0 examples, one of them split
//! over files), expands and compiles under `#![deny(warnings)]`, all in this one crate
//! (`build.rs` writes one module per document). Runs when `ORQ_SPECS_DIR` points at
//! `../shared/specs` (`.ci/run` sets it).
#![cfg(corpus)]

mod corpus {
    include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
}

mod swagger2 {
    include!(concat!(env!("OUT_DIR"), "/swagger2.rs"));
}

use corpus::SPECS;

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

#[test]
fn every_swagger_2_document_gives_a_client() {
    let dir = std::path::Path::new(env!("ORQ_SPECS_DIR_AT_BUILD")).join("swagger2");
    let documents: Vec<&str> = swagger2::SWAGGER2.iter().map(|(file, _)| *file).collect();
    assert!(
        [
            "petstore.yaml",
            "petstore-minimal.yaml",
            "petstore-separate/spec/swagger.yaml"
        ]
        .iter()
        .all(|d| documents.contains(d)),
        "the Swagger 2.0 documents of {} are found: {documents:?}",
        dir.display()
    );
    for (file, builds) in swagger2::SWAGGER2 {
        builds().unwrap_or_else(|err| panic!("{file}: {err}"));
    }
}
