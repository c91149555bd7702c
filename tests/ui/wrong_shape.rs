mod sdk {
    orq_codegen::generate!(spec = "ui/specs/wrong_shape.yaml");
}

fn main() {
    // The client exists even though the spec has problems: one error, not a cascade.
    let _ = sdk::Client::builder();
    // `health` had no problem: it still generated.
    let _ = sdk::funcs::default_health;
}
