//! The orq Contacts SDK against a real HTTP server on 127.0.0.1: the exact JSON on the
//! wire, headers, response mapping and errors.

use orq_client::models::{ApiErrorBody, CreateContactRequestBody, CreateContactResponseBody};
use orq_client::requests::{ContactsCreate, ContactsCreateError};
use orq_client::{CallOptions, Error, OptionalNullable, Orq, RetryConfig};
use orq_tests::{Recorder, Reply};
use serde_json::json;

fn contact_reply() -> Reply {
    Reply::json(
        200,
        json!({
            "_id": "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "external_id": "user_12345",
            "display_name": "Jane Smith",
            "email": null,
            "tags": ["premium"],
            "created": "2026-02-09T20:45:05.252Z",
            "updated": "2026-02-09T20:45:05.270Z"
        }),
    )
}

fn client(server: &Recorder) -> Orq {
    Orq::builder()
        .bearer("token-123")
        .server_url(server.url())
        .build()
        .expect("client builds")
}

/// The snippet of the issue, verbatim in spirit: value, explicit null, absent key.
#[tokio::test]
async fn sends_value_null_and_absent_exactly() {
    let server = Recorder::start(vec![contact_reply()], None).await;
    let orq = client(&server);
    let body = CreateContactRequestBody::builder()
        .external_id("user_12345")
        .display_name("Jane Smith")
        .email(OptionalNullable::Null)
        .tags(vec!["premium".to_string()])
        .build()
        .expect("valid body");
    let contact = orq.contacts().create(body).await.expect("created");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.uri, "/v2/contacts");
    assert_eq!(sent.header("authorization"), "Bearer token-123");
    assert_eq!(sent.header("content-type"), "application/json");
    assert!(
        sent.header("user-agent").starts_with("Orq/"),
        "{}",
        sent.header("user-agent")
    );
    // Byte-exact: key names, spec order, `null` for email, no avatar_url/metadata keys.
    assert_eq!(
        std::str::from_utf8(&sent.body).unwrap(),
        r#"{"external_id":"user_12345","display_name":"Jane Smith","email":null,"tags":["premium"]}"#
    );

    assert_eq!(contact.id, "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assert_eq!(contact.external_id, "user_12345");
    assert_eq!(
        contact.display_name,
        OptionalNullable::Value("Jane Smith".to_string())
    );
    assert_eq!(contact.email, OptionalNullable::Null);
    assert_eq!(contact.avatar_url, OptionalNullable::Unset);
    assert_eq!(contact.tags.as_deref(), Some(&["premium".to_string()][..]));
    assert_eq!(contact.metadata, None);
    assert_eq!(
        contact.created.map(|t| t.to_rfc3339()),
        Some("2026-02-09T20:45:05.252+00:00".to_string())
    );
}

#[tokio::test]
async fn every_field_of_the_docs_example_round_trips() {
    let server = Recorder::start(vec![contact_reply()], None).await;
    let orq = client(&server);
    // One expression: the operation takes the builder and builds it when called.
    orq.contacts()
        .create(
            CreateContactRequestBody::builder()
                .external_id("user_12345")
                .display_name("Jane Smith")
                .email("jane.smith@example.com")
                .avatar_url("https://example.com/avatars/jane-smith.jpg")
                .tags(["premium", "beta-user", "enterprise"])
                .metadata([
                    ("department", "Engineering"),
                    ("last_login", "2024-01-15T10:30:00Z"),
                ]),
        )
        .await
        .unwrap();
    let expected = json!({
        "external_id": "user_12345",
        "display_name": "Jane Smith",
        "email": "jane.smith@example.com",
        "avatar_url": "https://example.com/avatars/jane-smith.jpg",
        "tags": ["premium", "beta-user", "enterprise"],
        "metadata": {"department": "Engineering", "last_login": "2024-01-15T10:30:00Z"}
    });
    assert_eq!(server.requests()[0].json(), expected);
}

/// The exact-typed forms of before keep working: owned `Vec<String>`, a
/// `serde_json::Map`, a `Uri`, and a built model passed to the operation.
#[tokio::test]
async fn exact_typed_and_pair_forms_send_the_same_json() {
    let server = Recorder::start(vec![contact_reply(); 3], None).await;
    let orq = client(&server);
    let metadata = json!({"department": "Engineering"});
    let exact = CreateContactRequestBody::builder()
        .external_id("u1")
        .avatar_url(orq_client::Uri::new("https://example.com/a.jpg"))
        .tags(vec!["premium".to_string(), "beta-user".to_string()])
        .metadata(metadata.as_object().cloned().unwrap())
        .build()
        .unwrap();
    orq.contacts().create(exact).await.unwrap();
    let tags: Vec<&str> = vec!["premium", "beta-user"];
    let pairs = CreateContactRequestBody::builder()
        .external_id("u1")
        .avatar_url("https://example.com/a.jpg")
        .tags(tags)
        .metadata([("department", "Engineering")]);
    orq.contacts().create(pairs).await.unwrap();
    // A `json!` object as it is.
    let value = CreateContactRequestBody::builder()
        .external_id("u1")
        .avatar_url("https://example.com/a.jpg")
        .tags(["premium", "beta-user"])
        .metadata(json!({"department": "Engineering"}));
    orq.contacts().create(value).await.unwrap();
    let sent = server.requests();
    assert_eq!(sent[0].json(), sent[1].json());
    assert_eq!(sent[0].json(), sent[2].json());
    assert_eq!(
        sent[1].json()["metadata"],
        json!({"department": "Engineering"})
    );
}

/// A builder that fails `build()` makes the call fail on await, before anything is
/// sent; a map setter given a JSON value that is no object is such a failure.
#[tokio::test]
async fn a_failing_builder_fails_the_call_before_sending() {
    let server = Recorder::start(vec![], Some(contact_reply())).await;
    let orq = client(&server);
    let call = orq
        .contacts()
        .create(CreateContactRequestBody::builder().metadata(json!(["not", "an", "object"])));
    let err = call.await.unwrap_err();
    let Error::InvalidRequest(invalid) = &err else {
        panic!("expected Error::InvalidRequest, got {err:?}")
    };
    let paths: Vec<(&str, &str)> = invalid
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.constraint))
        .collect();
    assert_eq!(paths, [("metadata", "type"), ("external_id", "required")]);
    assert!(
        invalid
            .to_string()
            .contains("must be a JSON object (got an array)"),
        "{invalid}"
    );
    let converted =
        CreateContactRequestBody::try_from(CreateContactRequestBody::builder().external_id("u1"))
            .unwrap();
    assert_eq!(converted.external_id, "u1");
    assert_eq!(
        server.requests().len(),
        0,
        "nothing invalid leaves the client"
    );
}

/// The spec's `default` for `created` is the date the docs were generated: a response
/// without the key must not gain it.
#[tokio::test]
async fn absent_response_fields_stay_absent() {
    let reply = Reply::json(200, json!({"_id": "contact_1", "external_id": "x"}));
    let server = Recorder::start(vec![reply], None).await;
    let body = CreateContactRequestBody::builder()
        .external_id("x")
        .build()
        .unwrap();
    let contact = client(&server).contacts().create(body).await.unwrap();
    assert_eq!(contact.created, None);
    assert_eq!(contact.updated, None);
    assert_eq!(contact.display_name, OptionalNullable::Unset);
    // Serializing the response again keeps absent keys absent.
    assert_eq!(
        serde_json::to_value(&contact).unwrap(),
        json!({"_id": "contact_1", "external_id": "x"})
    );
}

#[tokio::test]
async fn invalid_bodies_are_refused_before_sending() {
    let server = Recorder::start(vec![], Some(contact_reply())).await;
    let orq = client(&server);

    let missing = CreateContactRequestBody::builder()
        .display_name("no id")
        .build()
        .unwrap_err();
    assert_eq!(missing.violations.len(), 1);
    assert_eq!(missing.violations[0].path, "external_id");

    let too_long = CreateContactRequestBody::builder()
        .external_id("x".repeat(121))
        .build()
        .unwrap_err();
    assert!(too_long.to_string().contains("external_id"), "{too_long}");
    assert!(too_long.to_string().contains("120"), "{too_long}");

    let empty = CreateContactRequestBody::builder()
        .external_id("")
        .build()
        .unwrap_err();
    assert_eq!(empty.violations[0].constraint, "minLength");

    // Built by hand, bypassing the builder: the operation still refuses it.
    let by_hand = CreateContactRequestBody {
        external_id: String::new(),
        display_name: OptionalNullable::Unset,
        email: OptionalNullable::Unset,
        avatar_url: OptionalNullable::Unset,
        tags: None,
        metadata: None,
    };
    let err = orq.contacts().create(by_hand).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(
        server.requests().len(),
        0,
        "nothing invalid leaves the client"
    );
}

#[tokio::test]
async fn api_errors_keep_status_headers_raw_body_and_parsed_model() {
    let reply = Reply::json(
        422,
        json!({"message": "external_id is taken", "code": "conflict"}),
    )
    .header("x-request-id", "req-1");
    let server = Recorder::start(vec![reply], None).await;
    let body = CreateContactRequestBody::builder()
        .external_id("dup")
        .build()
        .unwrap();
    let err = client(&server).contacts().create(body).await.unwrap_err();
    let Error::Api {
        status,
        headers,
        body,
        ..
    } = &err
    else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(status.as_u16(), 422);
    assert_eq!(headers.get("x-request-id").unwrap(), "req-1");
    // What to quote to the API's support, and how the call went.
    assert_eq!(err.request_id(), Some("req-1"));
    assert!(
        err.to_string()
            .contains("422 Unprocessable Entity (request id req-1)"),
        "{err}"
    );
    assert_eq!(err.attempts(), 1);
    assert!(err.is_client_error() && !err.is_not_found() && !err.is_rate_limited());
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(body).unwrap()["code"],
        "conflict"
    );
    let Some(ContactsCreateError::Status4xx(model)) = err.api_error::<ContactsCreate>() else {
        panic!("a 422 is the declared 4XX body: {err:?}")
    };
    assert_eq!(model.message, "external_id is taken");
    assert_eq!(model.code.as_deref(), Some("conflict"));
    // By value too, with the model's type fixed by the operation.
    let parsed = err.into_api_error::<ContactsCreate>().ok();
    assert!(matches!(
        parsed,
        Some(ContactsCreateError::Status4xx(ApiErrorBody { .. }))
    ));
}

#[tokio::test]
async fn non_json_server_errors_keep_the_raw_body() {
    let server = Recorder::start(vec![Reply::text(502, "<html>bad gateway</html>")], None).await;
    let body = CreateContactRequestBody::builder()
        .external_id("x")
        .build()
        .unwrap();
    // A 502 is retried by the spec's policy for `create`; this test is about one answer.
    let once = CallOptions::new().retries(RetryConfig::none());
    let err = client(&server)
        .contacts()
        .create(body)
        .options(once)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(
        err.raw_body().map(|b| b.to_vec()),
        Some(b"<html>bad gateway</html>".to_vec())
    );
    assert!(err.api_error::<ContactsCreate>().is_none());
}

#[tokio::test]
async fn standalone_function_form() {
    let server = Recorder::start(vec![contact_reply()], None).await;
    let orq = client(&server);
    let body = CreateContactRequestBody::builder()
        .external_id("user_12345")
        .build()
        .unwrap();
    let contact: CreateContactResponseBody = orq_client::funcs::contacts_create(&orq, body)
        .await
        .unwrap();
    assert_eq!(contact.external_id, "user_12345");
    assert_eq!(server.requests()[0].uri, "/v2/contacts");
}

/// `contacts.create` is an upsert keyed by `external_id` (seed 003), so the spec declares
/// `x-speakeasy-retries` for it: a 503 is retried although it is a POST. Seed 001's
/// per-call `retries` replace that policy for one call.
#[tokio::test]
async fn spec_and_per_call_retries() {
    let unavailable = Reply::json(503, json!({"message": "try again"}));
    let server = Recorder::start(
        vec![unavailable.clone(), unavailable],
        Some(contact_reply()),
    )
    .await;
    let orq = client(&server);
    let body = CreateContactRequestBody::builder()
        .external_id("user_12345")
        .build()
        .unwrap();

    // Retries turned off for this call: the first 503 comes back.
    let err = orq
        .contacts()
        .create(body.clone())
        .options(CallOptions::new().retries(RetryConfig::none()))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests().len(), 1);

    // The spec's policy: the second 503 is retried, then the contact is stored.
    let contact = orq
        .contacts()
        .create(body.clone())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(contact.external_id, "user_12345");
    assert_eq!(contact.attempts(), 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    // Both attempts of the retried POST carry one idempotency key; the call that could
    // not be retried carries none.
    let keys: Vec<&str> = requests
        .iter()
        .map(|r| r.header("idempotency-key"))
        .collect();
    assert_eq!(keys[0], "");
    assert_eq!(keys[1].len(), 36, "a UUID: {keys:?}");
    assert_eq!(keys[1], keys[2]);

    // A key of the caller's own, per call.
    orq.contacts()
        .create(body)
        .idempotency_key("upsert-user_12345")
        .await
        .unwrap();
    assert_eq!(
        server.requests()[3].header("idempotency-key"),
        "upsert-user_12345"
    );
}

/// `send_with_response()` gives the server's request id and the attempts with the value.
#[tokio::test]
async fn responses_carry_the_request_id() {
    let server =
        Recorder::start(vec![contact_reply().header("x-request-id", "req-ok")], None).await;
    let body = CreateContactRequestBody::builder()
        .external_id("user_12345")
        .build()
        .unwrap();
    let created = client(&server)
        .contacts()
        .create(body)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(created.request_id(), Some("req-ok"));
    assert_eq!(created.attempts(), 1);
}

/// A client with other defaults sharing the pool, and an endpoint the spec leaves out.
#[tokio::test]
async fn client_variants_and_raw_requests() {
    let server = Recorder::start(vec![], Some(Reply::json(200, json!({"ok": true})))).await;
    let orq = client(&server);
    let quick = orq
        .to_builder()
        .timeout(std::time::Duration::from_secs(2))
        .default_header("x-team", "billing")
        .build()
        .unwrap();
    let value: serde_json::Value = quick
        .request(orq_client::http::Method::GET, "/v2/contacts/beta/export")
        .query("format", "csv")
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(value["ok"], true);
    let sent = &server.requests()[0];
    assert_eq!(sent.uri, "/v2/contacts/beta/export?format=csv");
    // The spec's bearer credential and the derived client's header.
    assert_eq!(sent.header("authorization"), "Bearer token-123");
    assert_eq!(sent.header("x-team"), "billing");
}

/// `Orq::from_env()`: ORQ_API_KEY and ORQ_SERVER_URL, as in the TypeScript and Python SDKs.
#[tokio::test]
async fn from_env_reads_key_and_server() {
    let server = Recorder::start(vec![contact_reply()], None).await;
    // SAFETY: this is the only test in this binary that touches the environment.
    unsafe {
        std::env::set_var("ORQ_API_KEY", "env-key");
        std::env::set_var("ORQ_SERVER_URL", server.url());
    }
    let orq = Orq::from_env().expect("configured from env");
    let body = CreateContactRequestBody::builder()
        .external_id("user_12345")
        .build()
        .unwrap();
    orq.contacts().create(body).await.unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        "Bearer env-key"
    );
    // The key never shows in Debug output.
    assert!(!format!("{orq:?}").contains("env-key"));
}

/// The quickstart's local server (the typed mock server with an upsert handler) implements
/// the endpoint: ULID ids, update by `external_id`, timestamps.
#[path = "../../orq-client/examples/quickstart/server.rs"]
mod local_server;

#[tokio::test]
async fn local_server_implements_the_endpoint() {
    let local = local_server::start().await.unwrap();
    let orq = Orq::builder()
        .bearer("k")
        .server_url(local.url())
        .build()
        .unwrap();
    let body = CreateContactRequestBody::builder()
        .external_id("user_12345")
        .display_name("Jane")
        .build()
        .unwrap();
    let first = orq.contacts().create(body).await.unwrap();
    let ulid = first.id.strip_prefix("contact_").expect("contact_ prefix");
    assert_eq!(ulid.len(), 26);
    assert!(first.created.is_some() && first.updated.is_some());
    assert_eq!(first.display_name, OptionalNullable::Value("Jane".into()));

    // Update by external_id keeps the id and creation time.
    let again = CreateContactRequestBody::builder()
        .external_id("user_12345")
        .display_name(OptionalNullable::Null)
        .build()
        .unwrap();
    let second = orq.contacts().create(again).await.unwrap();
    assert_eq!(second.id, first.id);
    assert_eq!(second.created, first.created);
    assert_eq!(second.display_name, OptionalNullable::Null);

    // Without a token the mock server answers 401 with an error body the SDK parses.
    let anonymous = Orq::builder().server_url(local.url()).build().unwrap();
    let body = CreateContactRequestBody::builder()
        .external_id("x")
        .build()
        .unwrap();
    let err = anonymous.contacts().create(body).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let Some(ContactsCreateError::Status4xx(model)) = err.api_error::<ContactsCreate>() else {
        panic!("expected the 4XX body, got {err:?}");
    };
    assert!(model.message.contains("credentials"), "{}", model.message);
}
