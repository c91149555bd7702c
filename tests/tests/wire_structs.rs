//! Models' serde impls on the wire (`wire_struct!`): the same JSON out, the same values in
//! and the same errors (kind, text and position) as serde's derive, which the generator
//! wrote before, for every shape of field (`fixtures/wire_structs.yaml`). The derive's
//! models are the fixture's `--models-only` output of the generator before the change
//! (`fixtures/wire_structs_derived.rs`). Compared through serde_json text, a
//! `serde_json::Value`, forms, random objects, and a real server on 127.0.0.1: the client
//! against a recording server, and the client against the generated mock server.

#[deny(warnings)]
#[allow(dead_code)]
mod api {
    orq_codegen::generate!(
        spec = "fixtures/wire_structs.yaml",
        client = "Api",
        mock = true
    );
}

/// The fixture's models with serde's derive, as the generator wrote them before.
#[allow(dead_code)]
mod derived {
    include!("../fixtures/wire_structs_derived.rs");
}

use orq_tests::{Recorder, Reply};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

type Ours = api::models::Shapes;
type Derived = derived::models::Shapes;

/// What a JSON text reads as: the value written back as JSON text, or the error's text.
fn read<T: DeserializeOwned + Serialize>(text: &str) -> Result<String, String> {
    serde_json::from_str::<T>(text)
        .map(|value| serde_json::to_string(&value).unwrap())
        .map_err(|err| err.to_string())
}

/// What a `serde_json::Value` reads as.
fn read_value<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, String> {
    serde_json::from_value::<T>(value)
        .map(|value| serde_json::to_value(&value).unwrap())
        .map_err(|err| err.to_string())
}

/// `text` reads alike through both models, as text and as a `Value`; what it read as.
fn same(text: &str) -> Result<String, String> {
    let ours = read::<Ours>(text);
    assert_eq!(ours, read::<Derived>(text), "{text}");
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        assert_eq!(
            read_value::<Ours>(value.clone()),
            read_value::<Derived>(value),
            "{text}"
        );
    }
    ours
}

/// Every field set, `readOnly` ones included, with unknown keys and an escaped key.
const FULL: &str = r#"{
  "n\u0061me": "n", "displayName": "Ann", "type": "person", "note": null,
  "payload": {"any": ["json", 1, null]}, "count": 3, "label": null, "id": 7, "seen": true,
  "tags": ["a", "b"], "kind": "huge", "inner": {"x": 1, "y": null, "z": 0},
  "option": {"some": "thing"}, "default": {"value": 1.5}, "secret": "s3cret",
  "extra": {"known": "k", "more": 2, "most": 3}, "unknown": {"deep": [1, {"x": 2}]}
}"#;

#[test]
fn every_shape_reads_and_writes_like_the_derive() {
    let full = same(FULL).unwrap();
    assert_eq!(
        full,
        r#"{"name":"n","displayName":"Ann","type":"person","note":null,"payload":{"any":["json",1,null]},"count":3,"label":null,"id":7,"seen":true,"tags":["a","b"],"kind":"huge","inner":{"x":1,"y":null},"option":{"some":"thing"},"default":{"value":1.5},"secret":"s3cret","extra":{"known":"k","more":2,"most":3}}"#
    );
    // Only the required ones: a required nullable one reads as `None` and any JSON as
    // `null` when missing; absent optional ones stay out.
    assert_eq!(
        same(r#"{"type":"t","displayName":"d","name":"n"}"#).unwrap(),
        r#"{"name":"n","displayName":"d","type":"t","note":null,"payload":null}"#
    );
    // Absent, `null` and a value of an optional nullable field, nested.
    for inner in [r#"{"x":1}"#, r#"{"x":1,"y":null}"#, r#"{"x":1,"y":"v"}"#] {
        let text = format!(r#"{{"name":"n","displayName":"d","type":"t","inner":{inner}}}"#);
        let read = same(&text).unwrap();
        assert!(read.contains(&format!(r#""inner":{inner}"#)), "{read}");
    }
    let errors = [
        (
            r#"{"displayName":"d","type":"t"}"#,
            "missing field `name` at line 1 column 30",
        ),
        (
            r#"{"name":"n","displayName":"d","type":"t","inner":{"y":"v"}}"#,
            "missing field `x` at line 1 column 58",
        ),
        (
            r#"{"name":"n","displayName":"d","type":"t","name":"m"}"#,
            "duplicate field `name` at line 1 column 47",
        ),
        (
            r#"{"name":"n","displayName":"d","type":"t","inner":{"x":1,"x":2}}"#,
            "duplicate field `x` at line 1 column 59",
        ),
        (
            r#"{"name":"n","displayName":"d","type":"t","count":1.5}"#,
            "invalid type: floating point `1.5`, expected i64 at line 1 column 52",
        ),
        (
            r#"{"name":"n","displayName":"d","type":"t","inner":{"x":"1"}}"#,
            "invalid type: string \"1\", expected i32 at line 1 column 57",
        ),
        (
            r#"{"name":"n","displayName":"d","type":null}"#,
            "invalid type: null, expected a string at line 1 column 41",
        ),
        (
            r#"{"name":"n","displayName":"d","type":"t","extra":{"more":"x"}}"#,
            "invalid type: string \"x\", expected i64 at line 1 column 61",
        ),
        (
            r#"{"name":"n","displayName":"d","type":"t","default":{}}"#,
            "missing field `value` at line 1 column 53",
        ),
        (
            r#"{"name":"n","displayName":"d","type":"t","inner":7}"#,
            "invalid type: integer `7`, expected struct Inner at line 1 column 50",
        ),
        (
            "[]",
            "invalid type: sequence, expected struct Shapes at line 1 column 2",
        ),
        (
            r#"{"name":"n","displayName":"d","type":"t""#,
            "EOF while parsing an object at line 1 column 40",
        ),
    ];
    for (text, message) in errors {
        if text == "[]" {
            // The derive reads a struct from a sequence of its fields; `wire_struct!`
            // does not (no API sends one for an object schema).
            assert_eq!(read::<Ours>(text), Err(message.to_owned()));
            continue;
        }
        assert_eq!(same(text), Err(message.to_owned()), "{text}");
    }
}

/// A key from the fixture's JSON names, unknown ones, near misses and an escaped one.
fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "name",
        "displayName",
        "type",
        "note",
        "payload",
        "count",
        "label",
        "id",
        "seen",
        "tags",
        "kind",
        "inner",
        "option",
        "default",
        "secret",
        "extra",
        "Name",
        "display_name",
        "unknown",
        "",
        "n\\u0061me",
        "x",
    ])
    .prop_map(str::to_owned)
}

/// JSON values of every kind, with shapes the fixture's fields take more often.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-z]{0,3}".prop_map(Value::from),
        prop::sample::select(vec!["small", "large", "huge"]).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::vec((key(), inner), 0..4).prop_map(|entries| {
                Value::Object(entries.into_iter().map(no_sequence_struct).collect())
            }),
        ]
    })
}

/// The derive reads a struct from a sequence of its fields and `wire_struct!` does not
/// (see `every_shape_reads_and_writes_like_the_derive`): no array where a struct goes.
fn no_sequence_struct((key, value): (String, Value)) -> (String, Value) {
    let is_struct = ["inner", "option", "default", "extra"].contains(&key.as_str());
    match value {
        Value::Array(items) if is_struct => (key, Value::from(items.len())),
        value => (key, value),
    }
}

/// A value that fits the field `key` (most of the time, so that many objects decode).
fn fitting(key: &str) -> BoxedStrategy<Value> {
    let text = || "[a-z]{0,3}".prop_map(Value::from);
    let maybe_null = |value: BoxedStrategy<Value>| prop_oneof![Just(Value::Null), value].boxed();
    match key {
        "name" | "displayName" | "type" | "kind" => text().boxed(),
        "note" | "label" | "secret" => maybe_null(text().boxed()),
        "count" | "id" => any::<i64>().prop_map(Value::from).boxed(),
        "seen" => maybe_null(any::<bool>().prop_map(Value::from).boxed()),
        "tags" => prop::collection::vec(text(), 0..3)
            .prop_map(Value::from)
            .boxed(),
        "inner" => (
            any::<i32>(),
            prop::option::of(prop::option::of("[a-z]{0,2}")),
        )
            .prop_map(|(x, y)| match y {
                None => json!({"x": x}),
                Some(y) => json!({"y": y, "x": x}),
            })
            .boxed(),
        "option" => text().prop_map(|some| json!({"some": some})).boxed(),
        "default" => (-1e3f64..1e3)
            .prop_map(|value| json!({"value": value}))
            .boxed(),
        "extra" => (text(), any::<i64>())
            .prop_map(|(known, more)| json!({"known": known, "more": more}))
            .boxed(),
        _ => value().boxed(),
    }
}

/// An object's text from its entries, which may repeat a key: mostly the required
/// fields, and values that fit their field three times in four.
fn object() -> impl Strategy<Value = String> {
    let required = prop::collection::vec(prop::option::weighted(0.9, "[a-z]{0,2}"), 3);
    let entry = key().prop_flat_map(|key| {
        let value = prop_oneof![3 => fitting(&key), 1 => value()];
        (Just(key), value)
    });
    let others = prop::collection::vec(entry.prop_map(no_sequence_struct), 0..6);
    (required, others)
        .prop_flat_map(|(required, others)| {
            let mut entries: Vec<(String, Value)> = ["name", "displayName", "type"]
                .into_iter()
                .zip(required)
                .filter_map(|(key, value)| Some((key.to_owned(), Value::from(value?))))
                .collect();
            entries.extend(others);
            Just(entries).prop_shuffle()
        })
        .prop_map(|entries| {
            let fields: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect();
            format!("{{{}}}", fields.join(","))
        })
}

#[test]
fn random_objects_read_alike() {
    let cases = std::env::var("ORQ_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let decoded = std::cell::Cell::new(0);
    runner
        .run(&object(), |text| {
            let ours = read::<Ours>(&text);
            prop_assert_eq!(&ours, &read::<Derived>(&text), "{}", text);
            decoded.set(decoded.get() + usize::from(ours.is_ok()));
            if let Ok(value) = serde_json::from_str::<Value>(&text) {
                prop_assert_eq!(
                    read_value::<Ours>(value.clone()),
                    read_value::<Derived>(value),
                    "{}",
                    text
                );
            }
            Ok(())
        })
        .unwrap();
    // The inputs reach both sides: some decode, some do not.
    let decoded = decoded.get();
    assert!(decoded > 0 && decoded < cases as usize, "{decoded}");
}

/// `value` as the derive's model writes it in a request: `readOnly` fields left out.
fn derived_request_text(value: &Derived) -> String {
    let mut request = serde_json::to_value(value).unwrap();
    let json = request.as_object_mut().unwrap();
    json.remove("id");
    json.remove("seen");
    let without: Derived = serde_json::from_value(request).unwrap();
    serde_json::to_string(&without).unwrap()
}

#[tokio::test]
async fn the_client_sends_and_reads_what_the_derive_did() {
    let json = |body: &str| Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    };
    let broken = r#"{"name":"n","displayName":"d","type":"t","inner":{"x":"one"}}"#;
    let server = Recorder::start(vec![json(FULL), json(broken)], None).await;
    let client = api::Api::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let ours: Ours = serde_json::from_str(FULL).unwrap();
    let derived: Derived = serde_json::from_str(FULL).unwrap();

    // Sent: the derive's JSON text, `readOnly` fields left out.
    let got = client.shapes().put_shapes(ours.clone()).await.unwrap();
    let sent = std::str::from_utf8(&server.requests()[0].body)
        .unwrap()
        .to_owned();
    assert_eq!(sent, derived_request_text(&derived));
    assert!(
        !sent.contains("\"id\"") && !sent.contains("\"seen\""),
        "{sent}"
    );
    // Read: the same value the derive reads, `readOnly` fields kept.
    assert_eq!(
        serde_json::to_string(&got).unwrap(),
        serde_json::to_string(&derived).unwrap()
    );
    assert_eq!(got, ours);
    assert_eq!(got.id, Some(7));

    // A body that does not fit: where, and the derive's message and position.
    let error = client.shapes().put_shapes(ours).await.unwrap_err();
    let derived_error = serde_json::from_str::<Derived>(broken).unwrap_err();
    match error {
        orq_runtime::Error::Decode { path, source, .. } => {
            assert_eq!(path, "inner.x");
            assert_eq!(source.to_string(), derived_error.to_string());
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn form_bodies_are_the_derives() {
    let server = Recorder::start(
        vec![Reply::json(200, json!({"grant": "g", "stamp": "st"}))],
        None,
    )
    .await;
    let client = api::Api::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let form: api::models::Form =
        serde_json::from_value(json!({"grant": "code", "limit": 2, "scope": "a b", "stamp": "x"}))
            .unwrap();
    let back = client.shapes().send_form(form).await.unwrap();
    assert_eq!(back.stamp.as_deref(), Some("st"));
    let sent = std::str::from_utf8(&server.requests()[0].body)
        .unwrap()
        .to_owned();
    assert_eq!(sent, "grant=code&limit=2&scope=a+b");
    // serde_urlencoded reads and writes the model as it did the derive's.
    for text in [
        sent.as_str(),
        "grant=g&grant=h",
        "limit=2",
        "grant=g&limit=two",
        "scope=s&grant=g&other=1&stamp=t",
    ] {
        let ours = serde_urlencoded::from_str::<api::models::Form>(text)
            .map(|form| serde_urlencoded::to_string(&form).unwrap())
            .map_err(|e| e.to_string());
        let derived = serde_urlencoded::from_str::<derived::models::Form>(text)
            .map(|form| serde_urlencoded::to_string(&form).unwrap())
            .map_err(|e| e.to_string());
        assert_eq!(ours, derived, "{text}");
    }
}

#[tokio::test]
async fn the_mock_server_decodes_and_answers_alike() {
    use api::mock::MockServer;

    let server = MockServer::start().await;
    server.shapes().put_shapes(|request| async move {
        let mut stored = request.body;
        stored.id = Some(42);
        Ok(stored)
    });
    let client = server.client();
    let ours: Ours = serde_json::from_str(FULL).unwrap();
    let stored = client.shapes().put_shapes(ours.clone()).await.unwrap();
    // The handler got what was sent (no `readOnly` field); its answer keeps `id`.
    let received = &server.requests::<api::mock::ShapesPutShapesRequest>()[0].body;
    assert_eq!(received.id, None);
    assert_eq!(received.seen, orq_runtime::OptionalNullable::Unset);
    assert_eq!(received.extra, ours.extra);
    assert_eq!(stored.id, Some(42));

    // Raw requests the mock refuses say what the derive said, and where.
    let http = orq_runtime::reqwest::Client::new();
    for body in [
        r#"{"name":"n","name":"m","displayName":"d","type":"t"}"#,
        r#"{"displayName":"d","type":"t"}"#,
        r#"{"name":"n","displayName":"d","type":"t","inner":{"x":1,"y":7}}"#,
        r#"{"name":"n","displayName":"d","type":"t","extra":{"more":"x"}}"#,
    ] {
        let mut json = serde_json::Deserializer::from_str(body);
        let derived = serde_path_to_error::deserialize::<_, Derived>(&mut json).unwrap_err();
        let path = match derived.path().to_string() {
            root if root == "." => "body".to_owned(),
            path => format!("body.{path}"),
        };
        let message = derived.into_inner().to_string();
        let answer = http
            .post(format!("{}/shapes", server.url()))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 400);
        let problem: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
        assert_eq!(problem["violations"][0]["path"], path, "{problem}");
        assert_eq!(problem["violations"][0]["message"], message, "{problem}");
    }
}
