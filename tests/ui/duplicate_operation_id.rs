mod sdk {
    orq_codegen::generate!(spec = "ui/specs/duplicate_operation_id.yaml");
}

fn main() {
    // The client exists even though the spec has problems: one error, not a cascade.
    let _ = sdk::Client::builder();
    let _ = sdk::funcs::default_list;
}
