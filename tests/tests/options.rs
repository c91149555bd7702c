//! The macro options (`derive`, `client`, `tags`, `operations`, `replace`), each
//! snapshot-tested on the options fixture, and compiled through the macro itself.
//! Review changes with `cargo insta review`.

use std::path::Path;

use orq_codegen_impl::{Settings, format_tokens, generate_file};
use quote::ToTokens;

fn generate(settings: &Settings) -> syn::File {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/options.yaml");
    let tokens = generate_file(&spec, settings).unwrap_or_else(|d| panic!("{d:?}"));
    syn::parse2(tokens).expect("generated code parses")
}

/// The items' names, nested by module and impl: what was generated, in one screen.
fn outline(items: &[syn::Item], indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                out.push_str(&format!("{pad}mod {}\n", m.ident));
                if let Some((_, inner)) = &m.content {
                    outline(inner, indent + 1, out);
                }
            }
            syn::Item::Struct(s) => out.push_str(&format!("{pad}struct {}\n", s.ident)),
            syn::Item::Enum(e) => out.push_str(&format!("{pad}enum {}\n", e.ident)),
            syn::Item::Type(t) => out.push_str(&format!("{pad}type {}\n", t.ident)),
            syn::Item::Fn(f) => out.push_str(&format!("{pad}fn {}\n", f.sig.ident)),
            syn::Item::Impl(i) => {
                let trait_ = i.trait_.as_ref().map(|(path, _)| {
                    format!(
                        "{} for ",
                        path.to_token_stream().to_string().replace(' ', "")
                    )
                });
                let ty = i.self_ty.to_token_stream().to_string().replace(' ', "");
                out.push_str(&format!("{pad}impl {}{ty}\n", trait_.unwrap_or_default()));
                for inner in &i.items {
                    if let syn::ImplItem::Fn(f) = inner {
                        out.push_str(&format!("{pad}  fn {}\n", f.sig.ident));
                    }
                }
            }
            _ => {}
        }
    }
}

fn outline_of(file: &syn::File) -> String {
    let mut out = String::new();
    outline(&file.items, 0, &mut out);
    out
}

/// The named items of module `module` (or of the root for ""), formatted.
fn items_named(file: &syn::File, module: &str, names: &[&str]) -> String {
    let items = if module.is_empty() {
        &file.items
    } else {
        file.items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == module => m.content.as_ref().map(|(_, i)| i),
                _ => None,
            })
            .expect("module exists")
    };
    let wanted: Vec<syn::Item> = items
        .iter()
        .filter(|item| {
            let name = match item {
                syn::Item::Struct(s) => s.ident.to_string(),
                syn::Item::Enum(e) => e.ident.to_string(),
                syn::Item::Impl(i) => i.self_ty.to_token_stream().to_string(),
                _ => return false,
            };
            names.contains(&name.as_str())
        })
        .cloned()
        .collect();
    let file = syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: wanted,
    };
    format_tokens(&file.to_token_stream()).expect("formats")
}

#[test]
fn derive_adds_traits_to_every_model_once() {
    let file = generate(
        &Settings::new()
            .with_client_name("Shop")
            .with_derive("Eq")
            .with_derive("Hash"),
    );
    // `Eq` and `Hash` are already on enums: they are not derived twice.
    insta::assert_snapshot!("derive", items_named(&file, "models", &["Money", "Kind"]));
}

#[test]
fn client_renames_the_client_and_its_environment() {
    let file = generate(&Settings::new().with_client_name("Store"));
    insta::assert_snapshot!("client", items_named(&file, "", &["Store"]));
}

#[test]
fn env_prefix_overrides_the_environment_variables() {
    let file = generate(
        &Settings::new()
            .with_client_name("Shop")
            .with_env_prefix("PETS"),
    );
    let client = items_named(&file, "", &["Shop"]);
    assert!(client.contains("env_prefix: \"PETS\""), "{client}");
    // The fixture declares no credential: `from_env` reads only the server URL.
    assert!(client.contains("`PETS_SERVER_URL`"), "{client}");
    assert!(!client.contains("PETS_API_KEY"), "{client}");
    assert!(!client.contains("SHOP_"), "{client}");
}

#[test]
fn tags_select_operations_by_their_first_tag() {
    // Not the untagged `health` either: it has no tag to select it by.
    let file = generate(&Settings::new().with_client_name("Shop").with_tag("admin"));
    insta::assert_snapshot!("tags", outline_of(&file));
}

#[test]
fn operations_select_operations_by_id() {
    let file = generate(
        &Settings::new()
            .with_client_name("Shop")
            .with_operation("listItems")
            .with_operation("reset")
            .with_operation("health"),
    );
    // The untagged `health` is a method of the client, not of a `default()` group.
    let outline = outline_of(&file);
    assert!(
        outline.contains("  impl super::Shop\n    fn health\n"),
        "{outline}"
    );
    insta::assert_snapshot!("operations", outline_of(&file));
}

#[test]
fn replace_uses_an_existing_type_for_a_schema() {
    let file = generate(
        &Settings::new()
            .with_client_name("Shop")
            .with_replacement("Money", "crate::shop::Money"),
    );
    let models = items_named(&file, "models", &["Item"]);
    assert!(models.contains("crate::shop::Money"), "{models}");
    let outline = outline_of(&file);
    assert!(!outline.contains("struct Money"), "{outline}");
    insta::assert_snapshot!("replace", models);
}

#[test]
fn models_only_keeps_the_types_and_nothing_else() {
    let file = generate(
        &Settings::new()
            .with_client_name("Shop")
            .with_models_only(true),
    );
    let outline = outline_of(&file);
    for absent in [
        "mod builder",
        "Validate",
        "mod requests",
        "mod funcs",
        "struct Shop",
    ] {
        assert!(!outline.contains(absent), "{absent} in {outline}");
    }
    insta::assert_snapshot!("models_only", outline);
}

/// The floor of the compile-cost benchmark, through the macro, compiled warning-free.
#[deny(warnings)]
#[allow(dead_code)]
mod floor {
    orq_codegen::generate!(spec = "fixtures/options.yaml", models_only = true);
}

#[test]
fn the_floor_reads_and_writes_the_models() {
    let json =
        serde_json::json!({"id": 1, "kind": "toy", "price": {"cents": 250, "currency": "EUR"}});
    let item: floor::models::Item = serde_json::from_value(json.clone()).expect("an item");
    assert_eq!(serde_json::to_value(&item).expect("json"), json);
}

/// The same options through the macro, compiled warning-free.
#[deny(warnings)]
#[allow(dead_code)]
mod through_the_macro {
    /// The replacement for the `Money` schema.
    #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
    pub struct Money {
        /// Amount in cents.
        pub cents: i64,
        /// ISO 4217 code.
        pub currency: String,
    }

    pub mod shop {
        orq_codegen::generate!(
            spec = "fixtures/options.yaml",
            client = "Shop",
            env_prefix = "STORE",
            derive = ["Eq", "Hash"],
            tags = ["items"],
            operations = ["getItem"],
            replace = { Money = "crate::through_the_macro::Money" },
        );
    }
}

#[test]
fn macro_options_shape_the_generated_api() {
    use std::collections::HashSet;
    use through_the_macro::Money;
    use through_the_macro::shop::{Shop, funcs, models};

    let shop = Shop::builder()
        .server_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    // `tags` and `operations`: only `getItem` was generated.
    let _request = funcs::items_get_item(&shop, 1);
    let _same = shop.items().get_item(1);
    // `replace`: the field has the user's type; `derive`: models go in a HashSet.
    let item: models::Item = serde_json::from_value(serde_json::json!({
        "id": 1, "kind": "toy", "price": {"cents": 250, "currency": "EUR"}
    }))
    .expect("an item");
    assert_eq!(
        item.price,
        Some(Money {
            cents: 250,
            currency: "EUR".into()
        })
    );
    let mut set = HashSet::new();
    set.insert(item.clone());
    assert!(set.contains(&item));
}
