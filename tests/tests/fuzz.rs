//! Never panic: mutated specs go through parse -> lower -> emit -> format, and every run
//! must end in code or diagnostics, never in a panic or a stack overflow.
//!
//! The normal test run tries a few hundred cases (a few seconds). Run longer with
//! `ORQ_FUZZ_CASES=100000 cargo test --release -p orq-tests --test fuzz`; a failure
//! prints the minimized spec text that caused it.

use std::path::{Path, PathBuf};

use orq_codegen_impl::{Location, Settings, expand_str, format_tokens};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};

/// The real specs the mutations start from.
fn seeds() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = [
        "spec/orq.yaml",
        "tests/fixtures/petstore.yaml",
        "tests/fixtures/bodies.yaml",
        "tests/fixtures/openapi31.yaml",
        "tests/fixtures/refs/pointers.yaml",
        "tests/fixtures/swagger2/bookshop.yaml",
    ];
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(root.join(f)).expect("read a seed spec");
            serde_yaml::from_str(&text).expect("seed specs are valid YAML")
        })
        .collect()
}

fn cases() -> u32 {
    std::env::var("ORQ_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(128)
}

/// Values that tend to reach unusual code paths.
fn interesting_value() -> impl Strategy<Value = Value> {
    let strings = prop::sample::select(vec![
        "",
        "#/components/schemas/Pet",
        "#/components/schemas/Missing",
        "#/components/schemas/",
        "#/components/parameters/x",
        "#/components/responses/x",
        "#/components/requestBodies/x",
        "#/paths/~1pets",
        "#/components/schemas/Pet/properties/tags",
        "#/components/schemas/Tag/allOf/0",
        "#/paths/~1tags/get/parameters/0",
        "#/paths/~1books",
        "#/definitions/Book",
        "#/parameters/bookBody",
        "#/responses/Error",
        "#",
        "other.yaml#/A",
        "{id}",
        "/a/{b}/{",
        "3.0.3",
        "3.1.0",
        "2.0",
        "object",
        "array",
        "string",
        "integer",
        "number",
        "boolean",
        "null",
        "date-time",
        "binary",
        "byte",
        "application/json",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "text/plain",
        "path",
        "query",
        "header",
        "cookie",
        "bearer",
        "basic",
        "digest",
        "apiKey",
        "http",
        "oauth2",
        "Self",
        "self",
        "type",
        "1",
        "-",
        "_",
        "ünïcödé",
        "a b",
        "[",
        "(?=x)",
        "^[a-z]+$",
        "4XX",
        "default",
        "200",
    ]);
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![0.5f64, -1.0, 1e300, 0.0]).prop_map(Value::from),
        strings.prop_map(Value::from),
        Just(Value::Array(Vec::new())),
        Just(Value::Object(Map::new())),
    ]
}

/// Random small JSON shapes.
fn random_shape() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "type",
        "properties",
        "items",
        "$ref",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "nullable",
        "required",
        "additionalProperties",
        "schema",
        "content",
        "responses",
        "parameters",
        "name",
        "in",
        "format",
        "description",
        "get",
        "post",
        "x",
    ]);
    interesting_value().prop_recursive(4, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..4).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    })
}

/// One change to the document at a node picked by `route`.
#[derive(Clone, Debug)]
enum Mutation {
    Remove,
    Replace(Value),
    /// Replace with a copy of another node of the same document.
    CopyFrom(Vec<usize>),
    WrapInList,
    WrapInMap(String),
    Nest(usize),
    SetKey(String, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let keys = prop::sample::select(vec![
        "$ref",
        "type",
        "nullable",
        "required",
        "allOf",
        "items",
        "properties",
        "enum",
        "format",
        "pattern",
        "minimum",
        "maxLength",
        "additionalProperties",
        "operationId",
        "tags",
        "parameters",
        "requestBody",
        "responses",
        "content",
        "schema",
        "security",
        "servers",
        "discriminator",
        "readOnly",
        "x-speakeasy-retries",
    ]);
    prop_oneof![
        2 => Just(Mutation::Remove),
        3 => prop_oneof![interesting_value(), random_shape()].prop_map(Mutation::Replace),
        2 => prop::collection::vec(any::<usize>(), 0..8).prop_map(Mutation::CopyFrom),
        1 => Just(Mutation::WrapInList),
        1 => keys.clone().prop_map(|k| Mutation::WrapInMap(k.to_string())),
        1 => (1usize..40).prop_map(Mutation::Nest),
        3 => (keys, prop_oneof![interesting_value(), random_shape()])
            .prop_map(|(k, v)| Mutation::SetKey(k.to_string(), v)),
    ]
}

/// Follow `route` down the document (each step picks a child by index modulo the
/// number of children) and return the node reached.
fn walk<'a>(mut node: &'a mut Value, route: &[usize]) -> &'a mut Value {
    for step in route {
        let len = match &*node {
            Value::Object(m) => m.len(),
            Value::Array(a) => a.len(),
            _ => 0,
        };
        if len == 0 {
            break;
        }
        node = match node {
            Value::Object(m) => match m.values_mut().nth(step % len) {
                Some(child) => child,
                None => unreachable!("index is below the length"),
            },
            Value::Array(a) => &mut a[step % len],
            _ => unreachable!("only containers have children"),
        };
    }
    node
}

fn apply(doc: &mut Value, route: &[usize], mutation: &Mutation) {
    let copy = match mutation {
        Mutation::CopyFrom(from) => Some(walk(doc, from).clone()),
        _ => None,
    };
    if let (Mutation::Remove, Some((last, parent))) = (mutation, route.split_last()) {
        let parent = walk(doc, parent);
        match parent {
            Value::Object(m) if !m.is_empty() => {
                let key = m.keys().nth(last % m.len()).cloned();
                if let Some(key) = key {
                    m.remove(&key);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                let len = a.len();
                a.remove(last % len);
            }
            _ => {}
        }
        return;
    }
    let node = walk(doc, route);
    match mutation {
        Mutation::Remove => *node = Value::Null,
        Mutation::Replace(v) => *node = v.clone(),
        Mutation::CopyFrom(_) => *node = copy.unwrap_or(Value::Null),
        Mutation::WrapInList => *node = Value::Array(vec![node.take()]),
        Mutation::WrapInMap(key) => {
            *node = Value::Object(Map::from_iter([(key.clone(), node.take())]));
        }
        Mutation::Nest(depth) => {
            let mut inner = node.take();
            for _ in 0..*depth {
                inner = serde_json::json!({ "type": "object", "properties": { "p": inner } });
            }
            *node = inner;
        }
        Mutation::SetKey(key, value) => match node {
            Value::Object(m) => {
                m.insert(key.clone(), value.clone());
            }
            other => *other = Value::Object(Map::from_iter([(key.clone(), value.clone())])),
        },
    }
}

/// How the mutated document reaches the generator.
#[derive(Clone, Debug)]
enum Text {
    Yaml,
    Json,
    /// YAML cut off after this many bytes (mod length).
    Truncated(usize),
    /// YAML with a byte spliced in at a position (mod length).
    Spliced(usize, char),
}

fn text_form() -> impl Strategy<Value = Text> {
    prop_oneof![
        6 => Just(Text::Yaml),
        3 => Just(Text::Json),
        1 => any::<usize>().prop_map(Text::Truncated),
        1 => (any::<usize>(), prop::sample::select(vec![':', '{', '[', '-', '"', '\'', '\t', '&', '*', '!', '#', '\n', ' ']))
            .prop_map(|(at, c)| Text::Spliced(at, c)),
    ]
}

fn render(doc: &Value, form: &Text) -> (String, &'static str) {
    let yaml = || serde_yaml::to_string(doc).unwrap_or_default();
    let cut = |text: String, at: usize| {
        let mut at = if text.is_empty() { 0 } else { at % text.len() };
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text[..at].to_string()
    };
    match form {
        Text::Yaml => (yaml(), "spec.yaml"),
        Text::Json => (
            serde_json::to_string_pretty(doc).unwrap_or_default(),
            "spec.json",
        ),
        Text::Truncated(at) => (cut(yaml(), *at), "spec.yaml"),
        Text::Spliced(at, c) => {
            let text = yaml();
            let head = cut(text.clone(), *at);
            let tail = &text[head.len()..];
            (format!("{head}{c}{tail}"), "spec.yaml")
        }
    }
}

/// Generate and format; fail on anything but code or located diagnostics.
fn must_not_panic(text: &str, file: &str, settings: &Settings) -> Result<(), TestCaseError> {
    let started = std::time::Instant::now();
    let generated = expand_str(text, Path::new(file), settings);
    prop_assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "generation took {:?}",
        started.elapsed()
    );
    // The code emitted next to the errors (the fallback) must always be valid Rust.
    let formatted = format_tokens(&generated.tokens);
    prop_assert!(
        formatted.is_ok(),
        "generated code does not parse: {:?}",
        formatted.err()
    );
    for d in &generated.diagnostics {
        prop_assert_eq!(&d.file, &PathBuf::from(file));
        prop_assert!(!d.message.is_empty());
        if let Location::Pointer(p) = &d.location {
            prop_assert!(p.starts_with('#'), "pointer {p}");
        }
    }
    Ok(())
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        // Shrinking a failure re-runs the generator; bound it so a failure reports fast.
        max_shrink_iters: 512,
        ..Config::default()
    })
}

#[test]
fn mutated_specs_never_panic() {
    let seeds = seeds();
    let strategy = (
        0..seeds.len(),
        prop::collection::vec(
            (prop::collection::vec(any::<usize>(), 0..10), mutation()),
            1..6,
        ),
        text_form(),
    );
    let settings = Settings::new().with_client_name("Fuzz");
    runner()
        .run(&strategy, |(seed, mutations, form)| {
            let mut doc = seeds[seed].clone();
            for (route, m) in &mutations {
                apply(&mut doc, route, m);
            }
            let (text, file) = render(&doc, &form);
            must_not_panic(&text, file, &settings)
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn random_documents_never_panic() {
    let settings = Settings::new();
    let strategy = (random_shape(), prop::bool::ANY);
    runner()
        .run(&strategy, |(mut doc, json)| {
            if let Value::Object(m) = &mut doc {
                m.insert("openapi".into(), Value::from("3.0.3"));
            }
            let (text, file) = render(&doc, if json { &Text::Json } else { &Text::Yaml });
            must_not_panic(&text, file, &settings)
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn arbitrary_text_never_panics() {
    let settings = Settings::new();
    runner()
        .run(&(".{0,200}", prop::bool::ANY), |(text, json)| {
            must_not_panic(&text, if json { "x.json" } else { "x.yaml" }, &settings)
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

/// Deep nesting in every form the parsers accept ends in a diagnostic, not a stack
/// overflow, even on a test thread's small stack.
#[test]
fn deep_nesting_is_a_diagnostic() {
    let settings = Settings::new();
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    for depth in [50, 100, 1_000, 100_000] {
        let flow = format!("{head}x: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        let block: String = (0..depth.min(2_000))
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        let block = format!("{head}x:\n{block}");
        let json = format!(
            "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"x\": {}{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let mut schema = String::from("{\"type\": \"string\"}");
        for _ in 0..depth.min(5_000) {
            schema = format!("{{\"type\": \"object\", \"properties\": {{\"p\": {schema}}}}}");
        }
        let schemas = format!(
            "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
        );
        for (text, file) in [
            (flow, "deep.yaml"),
            (block, "deep.yaml"),
            (json, "deep.json"),
            (schemas, "deep.json"),
        ] {
            let started = std::time::Instant::now();
            let generated = expand_str(&text, Path::new(file), &settings);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "depth {depth} of {file} took {:?}",
                started.elapsed()
            );
            assert!(format_tokens(&generated.tokens).is_ok());
            if depth >= 100 {
                assert!(
                    !generated.diagnostics.is_empty(),
                    "depth {depth} of {file} was accepted"
                );
            }
        }
    }
}
