//! Rust expressions for example values: what a user writes to pass a value of an IR
//! type, taken from the spec's `example` where it has one and a placeholder otherwise.
//! The usage docs put them in their code samples, which compile (orq's are doctests).

use serde_json::Value;

use crate::ir::{Api, Field, Presence, Ty, TypeDef, TypeKind};

/// How deep examples build nested models before falling back to JSON.
const MODEL_DEPTH: usize = 3;

/// Paths the expressions name.
pub struct Paths<'a> {
    /// The generated SDK's `models` module, e.g. `orq_client::models`.
    pub models: &'a str,
    /// Where the runtime's crates are re-exported (`chrono`, `url`, `uuid`, `serde_json`,
    /// `bytes`), e.g. `orq_client` or `orq_runtime`.
    pub reexports: &'a str,
}

/// What an expression is passed to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An `impl Into<T>` argument or setter: `"text"` is enough for a `String`.
    Into,
    /// A value of exactly `T` (inside a `vec![..]`, an `Option`, ...).
    Exact,
    /// A builder setter of a required or optional field, which also takes any
    /// iterator for an array (`["a", "b"]`), pairs or `json!` for a map, and text for
    /// a date, date-time or UUID.
    Setter,
    /// An item of a setter's array: `impl Into<T>`, or text for a date or UUID.
    Item,
    /// An operation's body argument, which also takes the model's builder unbuilt.
    Body,
}

/// An expression of type `ty` for the value named `name`, from `example` when given.
/// Expressions may use `?` on parse errors (the samples run in a `Result` function).
pub fn expr(
    api: &Api,
    paths: &Paths<'_>,
    ty: &Ty,
    name: &str,
    example: Option<&Value>,
    target: Target,
) -> String {
    Examples { api, paths }.expr(ty, name, example, target, 0)
}

struct Examples<'a> {
    api: &'a Api,
    paths: &'a Paths<'a>,
}

impl Examples<'_> {
    fn expr(
        &self,
        ty: &Ty,
        name: &str,
        example: Option<&Value>,
        target: Target,
        depth: usize,
    ) -> String {
        let rt = self.paths.reexports;
        let text = |fallback: &str| {
            example
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| fallback.to_owned())
        };
        // Setters and their items take dates and UUIDs as text, parsed by `build()`.
        let as_text = matches!(target, Target::Setter | Target::Item);
        match ty {
            Ty::String => {
                let literal = string_literal(&text(&format!("<{name}>")));
                match target {
                    Target::Exact => format!("{literal}.to_string()"),
                    _ => literal,
                }
            }
            Ty::DateTime if as_text => string_literal(&text("2024-01-15T10:30:00Z")),
            Ty::Date if as_text => string_literal(&text("2024-01-15")),
            Ty::Uuid if as_text => string_literal(&text("00000000-0000-0000-0000-000000000000")),
            Ty::Url if target != Target::Exact => string_literal(&text("https://example.com")),
            Ty::Bool => example.and_then(Value::as_bool).unwrap_or(true).to_string(),
            Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::U8 | Ty::U16 | Ty::U32 | Ty::U64 => {
                let unsigned = matches!(ty, Ty::U8 | Ty::U16 | Ty::U32 | Ty::U64);
                let value = example
                    .and_then(|v| {
                        if unsigned {
                            v.as_u64().map(|n| n.to_string())
                        } else {
                            v.as_i64().map(|n| n.to_string())
                        }
                    })
                    .unwrap_or_else(|| "1".to_owned());
                format!("{value}{}", int_suffix(ty))
            }
            Ty::F32 | Ty::F64 => {
                let value = example.and_then(Value::as_f64).unwrap_or(1.0);
                let suffix = if *ty == Ty::F32 { "f32" } else { "f64" };
                format!("{value:?}{suffix}")
            }
            Ty::DateTime => parsed(
                &text("2024-01-15T10:30:00Z"),
                &format!("{rt}::chrono::DateTime<{rt}::chrono::Utc>"),
            ),
            Ty::Date => parsed(&text("2024-01-15"), &format!("{rt}::chrono::NaiveDate")),
            Ty::Url => format!(
                "{rt}::Uri::new({})",
                string_literal(&text("https://example.com"))
            ),
            Ty::Uuid => parsed(
                &text("00000000-0000-0000-0000-000000000000"),
                &format!("{rt}::uuid::Uuid"),
            ),
            Ty::Base64 | Ty::Binary => {
                let path = if *ty == Ty::Base64 {
                    "Base64Bytes"
                } else {
                    "Binary"
                };
                format!("{rt}::{path}::from(b\"...\".to_vec())")
            }
            Ty::Bytes => format!("{rt}::Body::from(b\"...\")"),
            Ty::ByteStream => format!("{rt}::Body::from(b\"...\")"),
            Ty::File => format!("{rt}::FilePart::new(b\"...\").file_name(\"example.bin\")"),
            Ty::Json => format!("{rt}::serde_json::json!({})", json(example)),
            Ty::JsonObject if target == Target::Setter => format!(
                "{rt}::serde_json::json!({})",
                json(
                    example
                        .filter(|v| v.is_object())
                        .or(Some(&Value::Object(serde_json::Map::new())))
                )
            ),
            Ty::JsonObject => format!(
                "{rt}::serde_json::json!({}).as_object().cloned().unwrap_or_default()",
                json(
                    example
                        .filter(|v| v.is_object())
                        .or(Some(&Value::Object(serde_json::Map::new())))
                )
            ),
            Ty::Vec(item) if target == Target::Setter => {
                let mut items: Vec<String> = example
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .take(3)
                    .map(|v| self.expr(item, name, Some(v), Target::Item, depth))
                    .collect();
                if items.is_empty() {
                    items.push(self.expr(item, name, None, Target::Item, depth));
                }
                format!("[{}]", items.join(", "))
            }
            Ty::Map(value) if target == Target::Setter => {
                let mut pairs: Vec<String> = example
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .take(3)
                    .map(|(k, v)| {
                        let v = self.expr(value, name, Some(v), Target::Into, depth);
                        format!("({}, {v})", string_literal(k))
                    })
                    .collect();
                if pairs.is_empty() {
                    let v = self.expr(value, name, None, Target::Into, depth);
                    pairs.push(format!("(\"key\", {v})"));
                }
                format!("[{}]", pairs.join(", "))
            }
            Ty::Vec(item) => {
                let items: Vec<String> = example
                    .and_then(Value::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .take(3)
                            .map(|v| self.expr(item, name, Some(v), Target::Exact, depth))
                            .collect()
                    })
                    .unwrap_or_else(|| vec![self.expr(item, name, None, Target::Exact, depth)]);
                format!("vec![{}]", items.join(", "))
            }
            Ty::Map(_) => "::std::collections::BTreeMap::new()".to_owned(),
            Ty::Nullable(inner) => format!(
                "Some({})",
                self.expr(inner, name, example, Target::Exact, depth)
            ),
            Ty::Boxed(inner) => {
                let value = self.expr(inner, name, example, target, depth);
                match target {
                    Target::Exact => format!("Box::new({value})"),
                    _ => value,
                }
            }
            Ty::Named(type_name) => self.named(type_name, name, example, target, depth),
            Ty::External(path) => from_json(rt, path, example),
            Ty::Multipart => format!("{rt}::Multipart::new().text(\"field\", \"value\")"),
        }
    }

    fn named(
        &self,
        type_name: &str,
        name: &str,
        example: Option<&Value>,
        target: Target,
        depth: usize,
    ) -> String {
        let models = self.paths.models;
        let path = format!("{models}::{type_name}");
        let Some(def) = self.api.types.get(type_name) else {
            return from_json(self.paths.reexports, &path, example);
        };
        match &def.kind {
            TypeKind::Enum(e) => {
                let wanted = example.map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                let variant = e
                    .variants
                    .iter()
                    .find(|v| Some(&v.value) == wanted.as_ref())
                    .or(e.variants.first());
                let rt = self.paths.reexports;
                match variant {
                    // Fields and parameters hold string enums in `Open`, `From` a variant.
                    Some(v) if target == Target::Exact && !e.integer => {
                        format!("{rt}::Open::Known({path}::{})", v.rust_name)
                    }
                    Some(v) => format!("{path}::{}", v.rust_name),
                    None => from_json(rt, &path, example),
                }
            }
            TypeKind::Alias(ty, _) => self.expr(ty, name, example, target, depth + 1),
            TypeKind::Struct(_) if depth < MODEL_DEPTH => {
                let built = self.builder(def, &path, depth);
                // An operation takes the builder itself and builds it when called.
                match target {
                    Target::Body => built.trim_end_matches("\n    .build()?").to_owned(),
                    _ => built,
                }
            }
            // A union is its variant for the example's tag (or its first) around the
            // member's own example: `Pet::Cat(Cat::builder()...build()?)`. An untagged
            // union's example is decoded as it is (it picks its own member).
            TypeKind::Union(u)
                if depth < MODEL_DEPTH && (u.discriminator.is_some() || example.is_none()) =>
            {
                let tag = u
                    .discriminator
                    .as_ref()
                    .and_then(|property| example?.get(property)?.as_str());
                let variant = u
                    .variants
                    .iter()
                    .find(|v| tag.is_some_and(|tag| v.tags.iter().any(|t| t == tag)))
                    .or(u.variants.first());
                match variant {
                    Some(v) => {
                        let member = self.expr(&v.ty, name, example, Target::Exact, depth + 1);
                        if member.contains('\n') {
                            format!("{path}::{}(\n    {}\n)", v.rust_name, indent(&member))
                        } else {
                            format!("{path}::{}({member})", v.rust_name)
                        }
                    }
                    None => from_json(self.paths.reexports, &path, example),
                }
            }
            TypeKind::Struct(_) | TypeKind::Union(_) => {
                from_json(self.paths.reexports, &path, example)
            }
        }
    }

    /// `models::X::builder().field(value)....build()?`: the required fields, plus the
    /// optional ones the spec gives an example for at the top level.
    fn builder(&self, def: &TypeDef, path: &str, depth: usize) -> String {
        let TypeKind::Struct(s) = &def.kind else {
            return from_json(self.paths.reexports, path, None);
        };
        let mut out = format!("{path}::builder()");
        for f in s.fields.iter().filter(|f| shown(f, depth)) {
            let example = f.docs.example.as_deref().and_then(parse_example);
            let value = match f.presence {
                Presence::RequiredNullable => format!(
                    "Some({})",
                    self.expr(
                        &f.ty,
                        &f.json_name,
                        example.as_ref(),
                        Target::Exact,
                        depth + 1
                    )
                ),
                Presence::OptionalNullable => self.expr(
                    &f.ty,
                    &f.json_name,
                    example.as_ref(),
                    Target::Into,
                    depth + 1,
                ),
                Presence::Required | Presence::Optional => self.expr(
                    &f.ty,
                    &f.json_name,
                    example.as_ref(),
                    Target::Setter,
                    depth + 1,
                ),
            };
            out.push_str(&format!("\n    .{}({})", f.rust_name, indent(&value)));
        }
        out.push_str("\n    .build()?");
        out
    }
}

/// Whether an example sets the field: required ones always, optional ones with an
/// example at the top level only (nested models stay short).
fn shown(f: &Field, depth: usize) -> bool {
    // The builder sets the discriminator itself.
    if f.read_only || f.tag.is_some() {
        return false;
    }
    f.required_in_request || (depth == 0 && f.docs.example.is_some())
}

/// The spec's example as JSON (the IR keeps it rendered).
pub fn parse_example(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

fn int_suffix(ty: &Ty) -> &'static str {
    match ty {
        Ty::I8 => "i8",
        Ty::I16 => "i16",
        Ty::I32 => "i32",
        Ty::I64 => "i64",
        Ty::U8 => "u8",
        Ty::U16 => "u16",
        Ty::U32 => "u32",
        _ => "u64",
    }
}

fn parsed(text: &str, ty: &str) -> String {
    format!("{}.parse::<{ty}>()?", string_literal(text))
}

fn from_json(reexports: &str, path: &str, example: Option<&Value>) -> String {
    format!(
        "{reexports}::serde_json::from_value::<{path}>({reexports}::serde_json::json!({}))?",
        json(example)
    )
}

fn json(example: Option<&Value>) -> String {
    example.map_or_else(|| "null".to_owned(), Value::to_string)
}

/// A Rust string literal (escaped by `Debug`, which writes valid Rust escapes).
fn string_literal(text: &str) -> String {
    format!("{text:?}")
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n    ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Settings;

    const PATHS: Paths<'static> = Paths {
        models: "sdk::models",
        reexports: "sdk",
    };

    fn api() -> Api {
        let (api, diags) = crate::test_api(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Color: {type: string, enum: [red, green]}
    Pet:
      type: object
      required: [name, color]
      properties:
        name: {type: string, example: Rex}
        color: {$ref: '#/components/schemas/Color'}
        tags: {type: array, items: {type: string}, example: [a, b]}
        age: {type: integer, format: int32}
"#,
            &Settings::new(),
        );
        assert!(diags.is_empty(), "{diags:?}");
        api
    }

    fn example(ty: &Ty, example: Option<Value>, target: Target) -> String {
        expr(&api(), &PATHS, ty, "value", example.as_ref(), target)
    }

    #[test]
    fn scalars_use_the_example_or_a_placeholder() {
        assert_eq!(example(&Ty::String, None, Target::Into), "\"<value>\"");
        let id = Some(Value::from("u1"));
        assert_eq!(
            example(&Ty::String, id, Target::Exact),
            "\"u1\".to_string()"
        );
        assert_eq!(
            example(&Ty::I32, Some(Value::from(7)), Target::Into),
            "7i32"
        );
        assert_eq!(example(&Ty::F64, None, Target::Into), "1.0f64");
        assert_eq!(
            example(&Ty::Url, None, Target::Into),
            "\"https://example.com\""
        );
        assert_eq!(
            example(&Ty::Url, None, Target::Exact),
            "sdk::Uri::new(\"https://example.com\")"
        );
        assert_eq!(
            example(&Ty::Uuid, None, Target::Setter),
            "\"00000000-0000-0000-0000-000000000000\"",
            "setters parse text in build()"
        );
    }

    #[test]
    fn arrays_take_exact_items() {
        let tags = Some(serde_json::json!(["x", "y"]));
        assert_eq!(
            example(&Ty::Vec(Box::new(Ty::String)), tags, Target::Into),
            "vec![\"x\".to_string(), \"y\".to_string()]"
        );
        let tags = Some(serde_json::json!(["x", "y"]));
        assert_eq!(
            example(&Ty::Vec(Box::new(Ty::String)), tags, Target::Setter),
            "[\"x\", \"y\"]",
            "setters take any iterator of convertible items"
        );
        let metadata = Some(serde_json::json!({"k": "v"}));
        assert_eq!(
            example(&Ty::JsonObject, metadata, Target::Setter),
            "sdk::serde_json::json!({\"k\":\"v\"})"
        );
        assert_eq!(
            example(&Ty::Map(Box::new(Ty::String)), None, Target::Setter),
            "[(\"key\", \"<value>\")]"
        );
    }

    #[test]
    fn enums_pick_the_example_variant() {
        let ty = Ty::Named("Color".into());
        assert_eq!(
            example(&ty, Some(Value::from("green")), Target::Into),
            "sdk::models::Color::Green"
        );
        assert_eq!(example(&ty, None, Target::Into), "sdk::models::Color::Red");
        assert_eq!(
            example(&ty, None, Target::Exact),
            "sdk::Open::Known(sdk::models::Color::Red)",
            "fields hold string enums open"
        );
    }

    #[test]
    fn models_are_built_with_required_fields_and_examples() {
        assert_eq!(
            example(&Ty::Named("Pet".into()), None, Target::Into),
            "sdk::models::Pet::builder()\n    .name(\"Rex\")\n    .color(sdk::models::Color::Red)\n    .tags([\"a\", \"b\"])\n    .build()?"
        );
        assert_eq!(
            example(&Ty::Named("Pet".into()), None, Target::Body),
            "sdk::models::Pet::builder()\n    .name(\"Rex\")\n    .color(sdk::models::Color::Red)\n    .tags([\"a\", \"b\"])",
            "an operation takes the builder unbuilt"
        );
    }

    #[test]
    fn a_union_is_the_variant_its_example_tags_built_from_its_member() {
        let (api, diags) = crate::test_api(
            r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Animal:
      type: object
      required: [kind, name]
      properties: {kind: {type: string}, name: {type: string}}
      discriminator: {propertyName: kind, mapping: {cat: Cat, dog: Dog}}
    Cat: {allOf: [{$ref: "#/components/schemas/Animal"}]}
    Dog: {allOf: [{$ref: "#/components/schemas/Animal"}]}
"##,
            &Settings::new(),
        );
        assert!(diags.is_empty(), "{diags:?}");
        let animal = Ty::Named("Animal".into());
        let dog = serde_json::json!({"kind": "dog", "name": "Rex"});
        // The tag is the builder's to set; the example's other values are used.
        assert_eq!(
            expr(&api, &PATHS, &animal, "animal", Some(&dog), Target::Into),
            "sdk::models::Animal::Dog(\n    sdk::models::Dog::builder()\n        .name(\"<name>\")\n        .build()?\n)"
        );
        assert!(
            expr(&api, &PATHS, &animal, "animal", None, Target::Into)
                .starts_with("sdk::models::Animal::Cat(")
        );
    }

    #[test]
    fn what_has_no_typed_form_is_read_from_json() {
        let ty = Ty::External("my::Thing".into());
        assert_eq!(
            example(&ty, Some(serde_json::json!({"a": 1})), Target::Into),
            "sdk::serde_json::from_value::<my::Thing>(sdk::serde_json::json!({\"a\":1}))?"
        );
    }
}
