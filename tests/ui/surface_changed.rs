// The spec changed the SDK's API since the surface file was recorded: the macro's warning
// lists the changes, and fails a crate that denies warnings until the file is updated.
#![deny(deprecated)]

mod sdk {
    orq_codegen::generate!(
        spec = "ui/specs/valid.yaml",
        client = "Api",
        surface = "ui/specs/valid.surface"
    );
}

fn main() {}
