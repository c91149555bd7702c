mod sdk {
    orq_codegen::generate!(spec = "ui/specs/swagger_version.yaml");
}

fn main() {
    // The client exists even though the spec has problems: one error, not a cascade.
    let _ = sdk::Client::builder();
}
