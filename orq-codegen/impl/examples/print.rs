//! Print the formatted SDK generated from a spec: `cargo run -p orq-codegen-impl --example print -- spec/orq.yaml Orq`.
fn main() {
    let mut args = std::env::args().skip(1);
    let spec = args.next().unwrap_or_else(|| "spec/orq.yaml".into());
    let client = args.next().unwrap_or_else(|| "Client".into());
    let settings = orq_codegen_impl::Settings::new().with_client_name(client);
    match orq_codegen_impl::generate_file(std::path::Path::new(&spec), &settings) {
        Ok(tokens) => match orq_codegen_impl::format_tokens(&tokens) {
            Ok(text) => print!("{text}"),
            Err(err) => {
                eprintln!("generated code does not parse: {err}");
                std::process::exit(1);
            }
        },
        Err(diagnostics) => {
            for d in diagnostics {
                eprintln!("error: {d}");
            }
            std::process::exit(1);
        }
    }
}
