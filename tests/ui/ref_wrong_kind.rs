mod sdk {
    orq_codegen::generate!(spec = "ui/specs/ref_wrong_kind.yaml");
}

fn main() {
    // The client exists even though the spec has problems: one error, not a cascade.
    let _ = sdk::Client::builder();
    // The operation still generated, without the parameter that was not one.
    let _ = sdk::Client::list_items;
}
