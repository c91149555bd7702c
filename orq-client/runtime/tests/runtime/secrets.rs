//! Credentials never show up in Debug output or errors.

//! The tracing half lives in `tests/tracing.rs`, a test binary of its own: a
//! thread-local subscriber shares tracing's global callsite cache with every other
//! test thread, which made it flaky here.

use serde_json::Value;

use super::support::{QUERY_KEY, Reply, builder, echo_server, get, once, refused_url, scripted};

fn assert_no_secret(text: &str) {
    assert!(!text.contains("s3cr3t"), "a secret leaked: {text}");
}

#[tokio::test]
async fn debug_and_errors_never_show_secrets() {
    let (base, _) = echo_server().await;
    let with_secrets = |base: &str| {
        builder(base)
            .bearer("bearer-s3cr3t")
            .basic("ada", "password-s3cr3t")
            .api_key("key-s3cr3t")
            .api_key_for("query", "query-s3cr3t")
            .default_header("x-private", "header-s3cr3t")
    };
    assert_no_secret(&format!("{:?}", with_secrets(&base)));
    let client = with_secrets(&base).build().unwrap();
    assert_no_secret(&format!("{:?}", client.core));
    assert_no_secret(&format!("{client:?}"));

    // A request holding secrets of its own (a header and a cookie
    // parameter), sent with a per-call secret header.
    let request = || {
        let mut request = get("/contacts");
        request.security(QUERY_KEY);
        request.header("x-param-token", "param-s3cr3t").unwrap();
        request.cookie("session", "cookie-s3cr3t");
        request
    };
    let options = || once().header("x-call-secret", "call-s3cr3t");
    assert_no_secret(&format!("{:?}", request()));
    assert_no_secret(&format!("{:?}", options()));

    // Every one of them really is sent, so the checks above are not vacuous.
    let echoed: Value = client
        .call_with(request(), options())
        .await
        .unwrap()
        .json()
        .unwrap();
    let echoed = echoed.to_string();
    for secret in [
        "bearer-s3cr3t",
        "query-s3cr3t",
        "header-s3cr3t",
        "param-s3cr3t",
        "cookie-s3cr3t",
        "call-s3cr3t",
    ] {
        assert!(echoed.contains(secret), "{secret} was not sent: {echoed}");
    }

    // The key travels in the URL query; a transport error must not echo it.
    let down = with_secrets(&refused_url().await).build().unwrap();
    let error = down.call_with(request(), options()).await.unwrap_err();
    assert_no_secret(&format!("{error:?}"));
    assert_no_secret(&error.to_string());
}

#[tokio::test]
async fn credential_and_session_headers_of_a_response_are_hidden_in_debug() {
    // What reqwest and http mark sensitive, and the credential and session headers
    // APIs commonly use.
    let names = [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "www-authenticate",
        "proxy-authenticate",
        "x-api-key",
        "api-key",
        "x-goog-api-key",
        "ocp-apim-subscription-key",
        "x-functions-key",
        "x-auth-token",
        "x-authorization",
        "x-access-token",
        "private-token",
        "x-csrf-token",
        "x-amz-security-token",
        "x-client-secret",
        "x-session-id",
        "x-password",
        "x-hub-signature-256",
        "x-credential",
    ];
    let mut reply = Reply::new(200, "ok");
    for (i, name) in names.iter().enumerate() {
        reply = reply.header(name, format!("value-{i}-s3cr3t"));
    }
    let reply = reply.header("x-request-id", "r-17");
    let (base, _) = scripted(vec![reply]).await;
    let response = builder(&base)
        .build()
        .unwrap()
        .call(get("/x"))
        .await
        .unwrap();
    // Every one arrived, so the check is not vacuous.
    for name in names {
        assert!(
            response.headers().contains_key(name),
            "{name} did not arrive"
        );
    }
    let debug = format!("{response:?}");
    assert_no_secret(&debug);
    // Other headers stay readable.
    assert!(debug.contains("r-17"), "{debug}");
}
