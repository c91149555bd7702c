mod sdk {
    orq_codegen::generate!(spec = "ui/specs/ref_cycle.yaml");
}

fn main() {
    // The client exists even though the spec has problems: one error, not a cascade.
    let _ = sdk::Client::builder();
    // The cyclic schemas fall back to JSON values; the rest still generated.
    let _: Option<sdk::models::Node> = None;
}
