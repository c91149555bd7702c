mod sdk {
    orq_codegen::generate!(spec = "ui/specs/valid.yaml", clinet = "Api");
}

fn main() {}
