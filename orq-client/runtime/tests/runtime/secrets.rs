//! Credentials never show up in Debug output or errors.

//! The tracing half lives in `tests/tracing.rs`, a test binary of its own: a
//! thread-local subscriber shares tracing's global callsite cache with every other
//! test thread, which made it flaky here.

use super::support::{QUERY_KEY, builder, get, once, refused_url};

fn assert_no_secret(text: &str) {
    assert!(!text.contains("s3cr3t"), "a secret leaked: {text}");
}

#[tokio::test]
async fn debug_and_errors_never_show_secrets() {
    let base = refused_url().await;
    let builder = builder(&base)
        .bearer("bearer-s3cr3t")
        .basic("ada", "password-s3cr3t")
        .api_key("key-s3cr3t")
        .api_key_for("query", "query-s3cr3t")
        .default_header("x-private", "header-s3cr3t");
    assert_no_secret(&format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_no_secret(&format!("{:?}", client.core));
    assert_no_secret(&format!("{client:?}"));

    // The key travels in the URL query; a transport error must not echo it.
    let mut request = get("/contacts");
    request.security(QUERY_KEY);
    assert_no_secret(&format!("{request:?}"));
    let options = once().header("x-call-secret", "call-s3cr3t");
    assert_no_secret(&format!("{options:?}"));
    let error = client.call_with(request, options).await.unwrap_err();
    assert_no_secret(&format!("{error:?}"));
    assert_no_secret(&error.to_string());
}
