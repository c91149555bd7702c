//! Enables `cfg(docspace)` when the DocSpace spec is available: CI sets
//! `ORQ_DOCSPACE_SPEC` (see `.ci/run`); a fresh clone without `../shared` skips those tests.
//! Enables `cfg(prism)` when `ORQ_PRISM` names the Prism executable (the conformance test).
//! Likewise `cfg(corpus)` when `ORQ_SPECS_DIR` names a folder with a `corpus/`.

fn main() {
    formatted_fixtures();
    feature_subsets();
    usage_fixtures();
    corpus();
    println!("cargo:rustc-check-cfg=cfg(docspace)");
    println!("cargo:rustc-check-cfg=cfg(prism)");
    println!("cargo:rerun-if-env-changed=ORQ_PRISM");
    if let Some(path) = std::env::var_os("ORQ_PRISM")
        && std::path::Path::new(&path).is_file()
    {
        println!("cargo:rustc-cfg=prism");
    }
    println!("cargo:rerun-if-env-changed=ORQ_DOCSPACE_SPEC");
    if let Some(path) = std::env::var_os("ORQ_DOCSPACE_SPEC")
        && std::path::Path::new(&path).is_file()
    {
        println!("cargo:rustc-cfg=docspace");
    }
}

/// Writes the prettyplease text of each fixture's SDK (what a `build.rs` user of
/// orq-codegen-impl gets) to `OUT_DIR`, for `tests/formatted.rs` to compile: rustc skips
/// some lints inside macro expansions, so the macro tests alone would miss them.
fn formatted_fixtures() {
    let Some(out) = std::env::var_os("OUT_DIR") else {
        return;
    };
    for (fixture, spec, client) in [
        ("petstore", "fixtures/petstore.yaml", "Petstore"),
        ("bodies", "fixtures/bodies.yaml", "Bodies"),
        ("files", "fixtures/files.yaml", "Files"),
        ("params", "fixtures/params.yaml", "Params"),
        ("openapi31", "fixtures/openapi31.yaml", "V31"),
        ("multifile", "fixtures/multifile/openapi.yaml", "Multifile"),
        ("mock", "fixtures/mock.yaml", "Notes"),
        ("sse", "fixtures/sse.yaml", "Chat"),
        ("pages", "fixtures/pages.yaml", "Pages"),
        ("errors", "fixtures/errors.yaml", "Errors"),
        ("inheritance", "fixtures/inheritance.yaml", "Shelter"),
        (
            "stream_or_json",
            "fixtures/stream_or_json.yaml",
            "Completions",
        ),
        ("bookshop", "fixtures/swagger2/bookshop.yaml", "Bookshop"),
        ("pointers", "fixtures/refs/pointers.yaml", "Pointers"),
        ("statuses", "fixtures/statuses.yaml", "Statuses"),
    ] {
        // With the typed mock server, so that its module is checked on every shape too.
        let settings = orq_codegen_impl::Settings::new()
            .with_client_name(client)
            .with_mock(true);
        let generated = orq_codegen_impl::expand_file(std::path::Path::new(spec), &settings);
        // The spec and every file its `$ref`s point at.
        for file in &generated.files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        let text = generated
            .into_result()
            .ok()
            .and_then(|tokens| orq_codegen_impl::format_tokens(&tokens).ok())
            .unwrap_or_else(|| format!("compile_error!(\"{spec} does not generate\");"));
        let _ = std::fs::write(
            std::path::Path::new(&out).join(format!("{fixture}.rs")),
            text,
        );
    }
}

/// The fixture of the setting `features_per_tag` (`fixtures/features.yaml`, with its
/// mock server), formatted, once per subset of its features, as `OUT_DIR/features.rs`
/// for `tests/features.rs` to compile under `#[deny(warnings)]`: one `pub mod` per subset,
/// where `feature = "x"` reads `all()` (true) when `x` is in the subset and `any()`
/// (false) otherwise, which is how rustc evaluates the gates with those cargo features on.
/// Every subset compiles in this one crate, with no cargo build per subset.
fn feature_subsets() {
    let Some(out) = std::env::var_os("OUT_DIR") else {
        return;
    };
    let spec = std::path::Path::new("fixtures/features.yaml");
    println!("cargo:rerun-if-changed={}", spec.display());
    let settings = orq_codegen_impl::Settings::new()
        .with_client_name("Shop")
        .with_mock(true)
        .with_features_per_tag(true);
    let generated = orq_codegen_impl::check_file(spec, &settings)
        .ok()
        .and_then(|checked| {
            let features = checked.api.features?;
            let features: Vec<String> = features.all().map(str::to_string).collect();
            let tokens = orq_codegen_impl::generate_file(spec, &settings).ok()?;
            Some((features, orq_codegen_impl::format_tokens(&tokens).ok()?))
        });
    let Some((features, code)) = generated else {
        let _ = std::fs::write(
            std::path::Path::new(&out).join("features.rs"),
            "compile_error!(\"fixtures/features.yaml does not generate\");",
        );
        return;
    };
    let mut text =
        format!("/// The features of the fixture.\npub const FEATURES: &[&str] = &{features:?};\n");
    for mask in 0..1u32 << features.len() {
        let on: Vec<&str> = (0..features.len())
            .filter(|bit| mask & (1 << bit) != 0)
            .map(|bit| features[bit].as_str())
            .collect();
        let mut subset = code.clone();
        for feature in &features {
            let value = if on.contains(&feature.as_str()) {
                "all()"
            } else {
                "any()"
            };
            subset = subset.replace(&format!("feature = \"{feature}\""), value);
        }
        let module = match on.is_empty() {
            true => "none".to_string(),
            false => on.join("_").replace('-', "_"),
        };
        text.push_str(&format!(
            "/// Features on: {on:?}.\n#[deny(warnings)]\npub mod {module} {{\n{subset}\n}}\n"
        ));
    }
    let _ = std::fs::write(std::path::Path::new(&out).join("features.rs"), text);
}

/// The fixture SDKs whose usage docs `src/lib.rs` compiles as doctests: (spec, client,
/// module of `orq_tests::usage_sdks`). Keep in step with `usage_sdks` in `src/lib.rs`.
const USAGE_FIXTURES: &[(&str, &str, &str)] = &[
    ("fixtures/petstore.yaml", "Petstore", "petstore"),
    ("fixtures/bodies.yaml", "Bodies", "bodies"),
    ("fixtures/files.yaml", "Files", "files"),
    ("fixtures/params.yaml", "Params", "params"),
    ("fixtures/openapi31.yaml", "V31", "openapi31"),
    ("fixtures/errors.yaml", "Errors", "errors"),
    ("fixtures/types/composition.yaml", "Api", "composition"),
    ("fixtures/types/constraints.yaml", "Api", "constraints"),
    ("fixtures/types/formats.yaml", "Api", "formats"),
    ("fixtures/types/presence.yaml", "Api", "presence"),
    ("fixtures/types/recursion.yaml", "Api", "recursion"),
    ("fixtures/sse.yaml", "Chat", "sse"),
    ("fixtures/pages.yaml", "Pages", "pages"),
    ("fixtures/inheritance.yaml", "Shelter", "inheritance"),
    (
        "fixtures/stream_or_json.yaml",
        "Completions",
        "stream_or_json",
    ),
    ("fixtures/types/scalar_all_of.yaml", "Api", "scalar_all_of"),
];

/// Writes `OUT_DIR/usage/{module}.md`: every group page `orq-codegen docs` writes for the
/// fixture, one after the other, with the SDK named as `orq_tests::usage_sdks::{module}`.
fn usage_fixtures() {
    let Some(out) = std::env::var_os("OUT_DIR") else {
        return;
    };
    let dir = std::path::Path::new(&out).join("usage");
    let _ = std::fs::create_dir_all(&dir);
    for (spec, client, module) in USAGE_FIXTURES {
        println!("cargo:rerun-if-changed={spec}");
        let settings = orq_codegen_impl::Settings::new().with_client_name(*client);
        let options = orq_codegen_impl::DocsOptions {
            sdk_path: format!("orq_tests::usage_sdks::{module}"),
            runtime_path: "orq_runtime".into(),
        };
        let text = match orq_codegen_impl::usage_docs_file(
            std::path::Path::new(spec),
            &settings,
            &options,
        ) {
            Ok(pages) => pages
                .iter()
                .filter(|(name, _)| name.starts_with("sdks/"))
                .map(|(_, page)| page.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            Err(_) => format!("```rust\ncompile_error!(\"{spec} does not generate\");\n```\n"),
        };
        let _ = std::fs::write(dir.join(format!("{module}.md")), text);
    }
}

/// One module per file of `$ORQ_SPECS_DIR/corpus`, each expanding `generate!` on it, for
/// `tests/corpus.rs` to compile in one crate (one build, whatever the number of specs);
/// likewise one per Swagger 2.0 document under `$ORQ_SPECS_DIR/swagger2` (a document split
/// over files is compiled from its entry, the file that says `swagger:`).
fn corpus() {
    println!("cargo:rustc-check-cfg=cfg(corpus)");
    println!("cargo:rerun-if-env-changed=ORQ_SPECS_DIR");
    let (Some(dir), Some(out)) = (
        std::env::var_os("ORQ_SPECS_DIR"),
        std::env::var_os("OUT_DIR"),
    ) else {
        return;
    };
    let dir = std::path::Path::new(&dir);
    let corpus = dir.join("corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        return;
    };
    println!("cargo:rerun-if-changed={}", corpus.display());
    println!("cargo:rustc-env=ORQ_SPECS_DIR_AT_BUILD={}", dir.display());
    let mut specs: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_spec_file(p))
        .collect();
    specs.sort();
    let corpus_code = modules(&specs, &corpus, "spec", "SPECS");
    let _ = std::fs::write(std::path::Path::new(&out).join("corpus.rs"), corpus_code);
    let swagger2 = dir.join("swagger2");
    let mut documents = Vec::new();
    swagger2_documents(&swagger2, &mut documents);
    documents.sort();
    println!("cargo:rerun-if-changed={}", swagger2.display());
    let swagger2_code = modules(&documents, &swagger2, "swagger2", "SWAGGER2");
    let _ = std::fs::write(
        std::path::Path::new(&out).join("swagger2.rs"),
        swagger2_code,
    );
    println!("cargo:rustc-cfg=corpus");
}

fn is_spec_file(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
}

/// Every file under `dir` (recursively) that is a Swagger 2.0 document's entry.
fn swagger2_documents(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            swagger2_documents(&path, out);
        } else if is_spec_file(&path)
            && std::fs::read_to_string(&path).is_ok_and(|text| {
                // Some documents indent everything under `---`.
                text.lines().any(|line| {
                    let line = line.trim_start();
                    line.starts_with("swagger:") || line.starts_with("\"swagger\"")
                })
            })
        {
            out.push(path);
        }
    }
}

/// One module per spec (named `{prefix}_{path under dir}`), each expanding `generate!` on
/// it, and `const {list}`: every spec's path under `dir` and its client's builder.
fn modules(
    specs: &[std::path::PathBuf],
    dir: &std::path::Path,
    prefix: &str,
    list: &str,
) -> String {
    let mut code = String::new();
    let mut names = Vec::new();
    for spec in specs {
        let relative = spec.strip_prefix(dir).unwrap_or(spec);
        let shown = relative.display().to_string();
        let stem = shown
            .rsplit_once('.')
            .map(|(stem, _)| stem.to_string())
            .unwrap_or_else(|| shown.clone());
        let module: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let module = format!("{prefix}_{module}");
        code.push_str(&format!(
            "#[deny(warnings)]\n#[allow(dead_code)]\npub mod {module} {{\n    orq_codegen::generate!(spec = {:?}, client = \"Api\", mock = true);\n    pub fn client_builds() -> Result<(), String> {{\n        Api::builder().server_url(\"http://127.0.0.1:9\").build().map(drop).map_err(|e| e.to_string())\n    }}\n}}\n",
            spec.display().to_string()
        ));
        names.push(format!(
            "({shown:?}, {module}::client_builds as ClientBuilds)"
        ));
    }
    code.push_str(&format!(
        "/// Builds a spec's client (against 127.0.0.1).\npub type ClientBuilds = fn() -> Result<(), String>;\n/// Every spec and its client's builder.\npub const {list}: &[(&str, ClientBuilds)] = &[{}];\n",
        names.join(", ")
    ));
    code
}
