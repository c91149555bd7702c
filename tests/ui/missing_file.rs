mod sdk {
    orq_codegen::generate!(spec = "ui/specs/does-not-exist.yaml");
}

fn main() {
    // The fallback client exists even when the spec could not be read.
    let _ = sdk::Client::builder();
}
