mod sdk {
    orq_codegen::generate!(spec = "ui/specs/valid.yaml", client = "Api", features = "operations");
}

fn main() {}
