mod sdk {
    orq_codegen::generate!(spec = "ui/specs/valid.yaml", client = "my client");
}

fn main() {}
