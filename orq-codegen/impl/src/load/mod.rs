//! Loading: file -> YAML/JSON value -> version and depth checks -> other files bundled in
//! -> Swagger 2.0 conversion or 3.1 normalization -> `$ref`s to any place resolved ->
//! `openapiv3::OpenAPI`.
//!
//! - `syntax`: text -> JSON value (YAML or JSON), errors at line and column;
//! - `bundle`: `$ref`s to other files followed, their targets copied into the document;
//!   then `$ref`s to any place of the document resolved (`bundle::resolve_local`);
//! - `moves`: where those steps put parts of the document, for diagnostics;
//! - `walk`: the one traversal that finds every schema of a raw document;
//! - `swagger2`: Swagger 2.0 -> OpenAPI 3.0, every moved part recorded;
//! - `v31`: OpenAPI 3.1 -> 3.0 rewrites, so the 3.0 model can read 3.1 documents;
//! - `refine`: value -> OpenAPI model, every shape error located and explained.

mod bundle;
mod moves;
mod refine;
mod swagger2;
mod syntax;
mod v31;
mod walk;

use std::path::Path;

use serde_json::Value;

pub use bundle::Sources;

use crate::diag::{Diagnostics, Location, Ptr};
use crate::limits::{DOCUMENT_DEPTH, PARSE_STACK};
use refine::deserialize;
use syntax::{parse_json, parse_yaml};

/// Where the loader keeps a media type's `itemSchema` (OpenAPI 3.2), which the 3.0
/// model would drop; lowering reads it back.
pub(crate) const ITEM_SCHEMA: &str = "x-orq-item-schema";

/// A loaded spec: the OpenAPI model (`None` when the document could not be read), and
/// every file read for it.
#[derive(Debug)]
pub struct Loaded {
    pub api: Option<openapiv3::OpenAPI>,
    pub sources: Sources,
}

impl Loaded {
    fn failed(diags: &Diagnostics) -> Self {
        Loaded {
            api: None,
            sources: Sources::spec_only(diags.file()),
        }
    }
}

/// Read and parse the spec at `path`, and the files its `$ref`s point at. On failure the
/// reasons are in `diags`.
pub fn load(path: &Path, diags: &mut Diagnostics) -> Loaded {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            diags.push(
                Location::File,
                format!("cannot read the spec file: {err}"),
                "the path is relative to the calling crate's CARGO_MANIFEST_DIR; check that the file exists",
            );
            return Loaded::failed(diags);
        }
    };
    let mut loaded = read_str(&text, is_json(path), diags);
    loaded.sources.spec_read(crate::digest::of(text.as_bytes()));
    loaded
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
}

/// Parse spec text; `json` selects the JSON parser (YAML otherwise). For unit tests.
#[cfg(test)]
pub fn parse_str(text: &str, json: bool, diags: &mut Diagnostics) -> Option<openapiv3::OpenAPI> {
    read_str(text, json, diags).api
}

/// [`parse_str`] with the files read: `$ref`s to other files are relative to
/// `diags.file()`.
pub fn read_str(text: &str, json: bool, diags: &mut Diagnostics) -> Loaded {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("orq-codegen-parse".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, || parse_here(text, json, diags));
        match worker {
            Ok(handle) => Some(
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            ),
            Err(_) => None,
        }
    })
    .unwrap_or_else(|| {
        diags.push(
            Location::File,
            "could not start the thread that parses the spec",
            "retry the build; if it persists, the machine is out of threads or memory",
        );
        Loaded::failed(diags)
    })
}

fn parse_here(text: &str, json: bool, diags: &mut Diagnostics) -> Loaded {
    let mut sources = Sources::spec_only(diags.file());
    let api = parse_bundled(text, json, &mut sources, diags);
    Loaded { api, sources }
}

fn parse_bundled(
    text: &str,
    json: bool,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<openapiv3::OpenAPI> {
    if text.trim().is_empty() {
        diags.push(
            Location::File,
            "the spec file is empty",
            "write an OpenAPI 3.0 document (`openapi: 3.0.3`, `info`, `paths`)",
        );
        return None;
    }
    let mut value = if json {
        parse_json(text, diags)?
    } else {
        parse_yaml(text, diags)?
    };
    let version = check_version(&value, diags)?;
    // Before anything recursive reads the document: bundling, the 3.1 rewrite, the
    // schema check and the OpenAPI deserializer all recurse once per level.
    if let Some(at) = too_deep(&value) {
        diags.error(
            &at,
            format!("the document nests deeper than {DOCUMENT_DEPTH} levels"),
            "move deeply nested inline schemas to `components.schemas` and `$ref` them",
        );
        return None;
    }
    let file = diags.file().to_path_buf();
    *sources = bundle::bundle(&mut value, &file, diags);
    // Targets copied in place (path items) add the depth of their file.
    if sources.files.len() > 1
        && let Some(at) = too_deep(&value)
    {
        diags.error(
            &at,
            format!("the document nests deeper than {DOCUMENT_DEPTH} levels once the files its `$ref`s point at are read"),
            "move deeply nested inline schemas to `components.schemas` and `$ref` them",
        );
        return None;
    }
    let mut value = match version {
        Version::V20 => {
            let (value, moves) = swagger2::convert(value, diags);
            sources.moved(moves);
            value
        }
        Version::V30 => value,
        Version::V31 => v31::normalize(value),
    };
    let moves = bundle::resolve_local(&mut value, diags);
    let copied = !moves.is_empty();
    sources.moved(moves);
    // Targets copied in place add their depth where they are copied.
    if copied && let Some(at) = too_deep(&value) {
        diags.error(
            &at,
            format!("the document nests deeper than {DOCUMENT_DEPTH} levels once `$ref`s are replaced by their targets"),
            "refer to the nested objects from fewer levels deep",
        );
        return None;
    }
    keep_item_schemas(&mut value);
    deserialize(value, diags)
}

/// Moves each response media type's `itemSchema` (OpenAPI 3.2: the schema of one
/// server-sent event's data) to an extension key, which the 3.0 model keeps.
fn keep_item_schemas(doc: &mut Value) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let mut responses: Vec<&mut Value> = Vec::new();
    for (key, section) in root.iter_mut() {
        let section = match (key.as_str(), section) {
            ("components", Value::Object(components)) => components.get_mut("responses"),
            ("paths", paths) => Some(paths),
            _ => None,
        };
        match (key.as_str(), section) {
            ("components", Some(Value::Object(shared))) => responses.extend(shared.values_mut()),
            ("paths", Some(Value::Object(paths))) => {
                for item in paths.values_mut().filter_map(Value::as_object_mut) {
                    for op in item.values_mut() {
                        if let Some(Value::Object(by_status)) = op.get_mut("responses") {
                            responses.extend(by_status.values_mut());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for response in responses {
        let Some(Value::Object(content)) = response.get_mut("content") else {
            continue;
        };
        for media in content.values_mut().filter_map(Value::as_object_mut) {
            if let Some(item) = media.remove("itemSchema") {
                media.insert(ITEM_SCHEMA.to_owned(), item);
            }
        }
    }
}

/// The OpenAPI versions read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    /// Swagger 2.0, converted to 3.0 once its files are bundled.
    V20,
    V30,
    V31,
}

/// The pointer of the first node nested deeper than [`DOCUMENT_DEPTH`], found without recursion.
fn too_deep(value: &Value) -> Option<Ptr> {
    // Almost every document is within the limit: find that out without building a
    // pointer per node, and only then look for where.
    let mut stack = vec![(value, 0usize)];
    let mut deeper = false;
    while let Some((node, depth)) = stack.pop() {
        if depth > DOCUMENT_DEPTH {
            deeper = true;
            break;
        }
        match node {
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    if !deeper {
        return None;
    }
    let mut stack = vec![(value, Ptr::root(), 0usize)];
    while let Some((node, at, depth)) = stack.pop() {
        if depth > DOCUMENT_DEPTH {
            return Some(at);
        }
        match node {
            Value::Object(map) => {
                stack.extend(map.iter().map(|(k, v)| (v, at.at(k), depth + 1)));
            }
            Value::Array(items) => {
                stack.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (v, at.at(i), depth + 1)),
                );
            }
            _ => {}
        }
    }
    None
}

/// The document's OpenAPI version, when it is one this generator reads.
fn check_version(value: &Value, diags: &mut Diagnostics) -> Option<Version> {
    let Some(root) = value.as_object() else {
        diags.error(
            &Ptr::root(),
            "the document is not a mapping",
            "an OpenAPI document starts with `openapi: 3.0.3`, `info:` and `paths:`",
        );
        return None;
    };
    if let Some(swagger) = root.get("swagger") {
        let version = swagger_version(swagger);
        if version == "2.0" || version == "2" {
            return Some(Version::V20);
        }
        diags.error(
            &Ptr::root().at("swagger"),
            format!("Swagger {version} documents are not supported"),
            "orq-codegen reads Swagger 2.0 and OpenAPI 3.0 and 3.1 documents: convert this one to one of those",
        );
        return None;
    }
    let at = Ptr::root().at("openapi");
    let version = match root.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(other) => {
            diags.error(
                &at,
                format!("`openapi` must be a string such as \"3.0.3\", found {other}"),
                "quote the version: `openapi: \"3.0.3\"`",
            );
            return None;
        }
        None => {
            diags.error(
                &Ptr::root(),
                "the document has no `openapi` version field",
                "add `openapi: 3.0.3` at the top of the document",
            );
            return None;
        }
    };
    if version.starts_with("3.0.") || version == "3.0" {
        Some(Version::V30)
    } else if version.starts_with("3.1.") || version == "3.1" {
        Some(Version::V31)
    } else {
        diags.error(
            &at,
            format!("OpenAPI version {version} is not supported"),
            "orq-codegen reads OpenAPI 3.0.x and 3.1.x documents",
        );
        None
    }
}

fn swagger_version(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str, json: bool) -> Vec<String> {
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        assert!(parse_str(text, json, &mut d).is_none());
        d.into_vec().into_iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn integer_response_keys_are_accepted() {
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        let api = parse_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
            false,
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(api.is_some());
    }

    #[test]
    fn syntax_and_shape_errors_are_located() {
        assert_eq!(
            errors("", false),
            [
                "x.yaml: the spec file is empty\n  help: write an OpenAPI 3.0 document (`openapi: 3.0.3`, `info`, `paths`)"
            ]
        );
        let yaml = &errors("a: b: c", false)[0];
        assert!(
            yaml.starts_with("x.yaml:1:") && yaml.contains("YAML syntax error"),
            "{yaml}"
        );
        assert!(errors("{\"a\": }", true)[0].starts_with("x.yaml:1:7: JSON syntax error"));
        assert!(
            errors("swagger: '1.2'", false)[0].contains("Swagger 1.2 documents are not supported")
        );
        assert!(errors("openapi: 4.0.0", false)[0].contains("version 4.0.0 is not supported"));
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        let pruned = parse_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n",
            false,
            &mut d,
        );
        assert!(pruned.is_some(), "the rest of the document is still read");
        let shape = &d.into_vec()[0].to_string();
        assert!(shape.starts_with("x.yaml at #/paths: "), "{shape}");
    }

    #[test]
    fn every_shape_error_is_reported_and_the_rest_is_kept() {
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: []\n  /b:\n    get:\n      parameters: 3\n      responses: {}\n  /c:\n    get:\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n    Bad: 7\n";
        let api = parse_str(text, false, &mut d).expect("pruned document");
        let found: Vec<String> = d.into_vec().into_iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[1].starts_with("x.yaml at #/paths/~1a/get/responses: "),
            "{found:#?}"
        );
        assert!(
            found[2].starts_with("x.yaml at #/paths/~1b/get/parameters: "),
            "{found:#?}"
        );
        assert!(
            found[0].starts_with("x.yaml at #/components/schemas/Bad: "),
            "{found:#?}"
        );
        assert!(api.paths.paths.contains_key("/c"));
    }

    #[test]
    fn a_mistake_deep_in_nested_schemas_is_found_fast() {
        let mut schema = serde_json::json!({"type": "object", "required": "yes"});
        for _ in 0..30 {
            schema = serde_json::json!({"type": "object", "properties": {"p": schema}});
        }
        let doc = serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Deep": schema}}
        });
        let started = std::time::Instant::now();
        let mut d = Diagnostics::new(Path::new("x.json"));
        assert!(parse_str(&doc.to_string(), true, &mut d).is_some());
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let found = d.into_vec();
        assert_eq!(found.len(), 1);
        let Location::Pointer(at) = &found[0].location else {
            panic!("{found:?}")
        };
        assert_eq!(at.matches("/properties/p").count(), 30, "{at}");
    }

    #[test]
    fn numbers_beyond_64_bits_are_valid_yaml_and_fit_the_model() {
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    N: {type: integer, minimum: -9223372036854776000, maximum: 99999999999999999999}\n";
        let api = parse_str(text, false, &mut d).expect("not a syntax error");
        let found = d.into_vec();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(!found[0].is_error());
        assert!(
            found[0].to_string().contains("N/maximum: `maximum: "),
            "{found:?}"
        );
        let schema = api.components.unwrap().schemas["N"]
            .clone()
            .into_item()
            .unwrap();
        let openapiv3::SchemaKind::Type(openapiv3::Type::Integer(n)) = schema.schema_kind else {
            panic!("still an integer: {schema:?}")
        };
        assert_eq!((n.minimum, n.maximum), (Some(i64::MIN), None));
    }

    #[test]
    fn a_scalar_of_the_wrong_kind_is_a_wrong_type() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S: {type: string, maxLength: ten}\n";
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        parse_str(text, false, &mut d);
        let found = d.into_vec();
        assert!(
            found[0]
                .message
                .starts_with("this value has the wrong type: "),
            "{found:?}"
        );
    }

    #[test]
    fn operations_without_responses_are_valid_in_3_1() {
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {operationId: a}\n";
        let api = parse_str(text, false, &mut d).expect("reads");
        assert!(d.is_empty(), "{d:?}");
        assert!(api.paths.paths.contains_key("/a"));
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let mut text =
            String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-deep: ");
        text.push_str(&"[".repeat(120));
        text.push_str(&"]".repeat(120));
        let found = errors(&text, false);
        assert!(found[0].contains("nests deeper"), "{found:?}");
    }
}
