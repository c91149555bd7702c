mod sdk {
    orq_codegen::generate!(
        spec = "ui/specs/valid.yaml",
        client = "Api",
        derive = ["not a path"],
        tags = ["itmes"],
        operations = ["listItem"],
        replace = { Itme = "String" },
    );
}

fn main() {
    let _ = sdk::Api::builder();
}
