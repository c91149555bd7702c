mod sdk {
    orq_codegen::generate!(spec = "ui/specs/dangling_ref.yaml");
}

fn main() {
    // The client exists even though the spec has problems: one error, not a cascade.
    let _ = sdk::Client::builder();
    // The operation still generated; the broken `$ref` became a JSON value.
    let _ = sdk::funcs::default_list_items;
}
