//! Credentials never show up in tracing: each call runs in an `orq.call` span with the
//! operation, method, path template, status, attempts, duration and the server's request
//! id, and no secret.
//!
//! A binary of its own with one test: a thread-local subscriber shares tracing's global
//! callsite interest cache with every other thread of the process, so running these next
//! to the other runtime tests was flaky.

#[path = "runtime/support.rs"]
#[allow(dead_code)]
mod support;

use std::fmt::{Debug, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use orq_runtime::__private::SecurityScheme;
use orq_runtime::CallOptions;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use support::{QUERY_KEY, builder, echo_server, get};

fn assert_no_secret(text: &str) {
    assert!(!text.contains("s3cr3t"), "a secret leaked: {text}");
}

/// A minimal subscriber writing every span field and event to a string.
#[derive(Clone, Default)]
struct Capture {
    text: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "\nspan {}:", span.metadata().name());
        span.record(&mut Fields(&mut text));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("\nrecord:");
        values.record(&mut Fields(&mut text));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("\nevent:");
        event.record(&mut Fields(&mut text));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn traces_record_calls_and_token_fetches_but_no_credentials() {
    call_span_has_the_call_but_no_credentials().await;
    oauth2_secrets_and_tokens_stay_out_of_traces_and_debug().await;
    call_span_records_the_request_id().await;
}

async fn call_span_records_the_request_id() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let (base, _) = support::scripted(vec![
        support::Reply::new(503, "busy").header("x-request-id", "req-first"),
        support::Reply::new(404, "gone").header("x-request-id", "req-last"),
    ])
    .await;
    let client = builder(&base).build().unwrap();
    let response = client.call(get("/things/1")).await.unwrap();
    assert_eq!(response.status().as_u16(), 404);

    let text = capture.text.lock().unwrap().clone();
    // The final response's id, with the attempts it took.
    assert!(text.contains("request_id=\"req-last\""), "{text}");
    assert!(!text.contains("req-first"), "{text}");
    assert!(text.contains("attempts=2"), "{text}");
}

async fn call_span_has_the_call_but_no_credentials() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let (base, _) = echo_server().await;
    let client = builder(&base)
        .bearer("bearer-s3cr3t")
        .api_key("query-s3cr3t")
        .build()
        .unwrap();
    let mut request = get("/contacts/c-1");
    request.template("/contacts/{id}");
    request.security(QUERY_KEY);
    request.cookie("session", "cookie-s3cr3t");
    let response = client
        .call_with(
            request,
            CallOptions::new().header("x-token", "header-s3cr3t"),
        )
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let text = capture.text.lock().unwrap().clone();
    assert!(
        text.contains("span orq.call: operation=\"get_thing\" method=GET"),
        "{text}"
    );
    // The template, never the concrete path (ids, emails).
    assert!(text.contains("path_template=\"/contacts/{id}\""), "{text}");
    assert!(!text.contains("c-1"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("attempts=1"), "{text}");
    assert!(text.contains("duration_ms="), "{text}");
    assert_no_secret(&text);
}

async fn oauth2_secrets_and_tokens_stay_out_of_traces_and_debug() {
    use axum::Router;
    use axum::routing::post;

    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let router = Router::new()
        .route(
            "/oauth/token",
            post(|| async {
                axum::Json(serde_json::json!({"access_token": "token-s3cr3t", "expires_in": 60}))
            }),
        )
        .fallback(|| async { "ok" });
    let base = support::serve(router).await;
    let client = builder(&base)
        .oauth2_client_credentials("app", "client-s3cr3t")
        .build()
        .unwrap();
    let mut request = get("/things");
    request.security(&[&[SecurityScheme::OAuth2 {
        scheme: "oauth",
        token_url: Some("/oauth/token"),
        scopes: &["read"],
    }]]);
    let response = client.call(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_no_secret(&format!("{client:?}"));

    let text = capture.text.lock().unwrap().clone();
    assert!(text.contains("span orq.oauth2_token"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert_no_secret(&text);
}
