//! What goes on the wire: credentials, user agent, headers, bodies.

use orq_runtime::__private::{ApiKeyLocation, SecurityScheme};
use orq_runtime::{CallOptions, Error};
use serde_json::{Value, json};

use super::support::{builder, echo_server, get, post};

const BEARER: &[&[SecurityScheme]] = &[&[SecurityScheme::Bearer]];
const HEADER_KEY: SecurityScheme = SecurityScheme::ApiKey {
    scheme: "headerKey",
    name: "X-Api-Key",
    location: ApiKeyLocation::Header,
};
const QUERY_KEY: SecurityScheme = SecurityScheme::ApiKey {
    scheme: "queryKey",
    name: "api_key",
    location: ApiKeyLocation::Query,
};
const COOKIE_KEY: SecurityScheme = SecurityScheme::ApiKey {
    scheme: "cookieKey",
    name: "asc_auth_key",
    location: ApiKeyLocation::Cookie,
};

async fn echoed(response: Result<orq_runtime::Response, Error>) -> Value {
    response.unwrap().json().unwrap()
}

#[tokio::test]
async fn bearer_token_and_user_agent_are_sent() {
    let (base, hits) = echo_server().await;
    let client = builder(&base).bearer("tok-123").build().unwrap();

    let mut request = get("/contacts");
    request.security(BEARER);
    let seen = echoed(client.call(request).await).await;
    assert_eq!(seen["headers"]["authorization"], "Bearer tok-123");
    assert_eq!(seen["headers"]["user-agent"], "runtime-test/1.0");

    // An operation without security sends no credentials.
    let seen = echoed(client.call(get("/public")).await).await;
    assert_eq!(seen["headers"].get("authorization"), None);
    assert_eq!(hits.count(), 2);
}

#[tokio::test]
async fn basic_and_api_keys_go_where_the_scheme_says() {
    let (base, _) = echo_server().await;
    let client = builder(&base)
        .basic("Aladdin", "open sesame")
        .api_key("generic-key")
        .api_key_for("queryKey", "query-key")
        .build()
        .unwrap();

    let mut request = get("/basic");
    request.security(&[&[SecurityScheme::Basic]]);
    let seen = echoed(client.call(request).await).await;
    assert_eq!(
        seen["headers"]["authorization"],
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );

    let mut request = get("/keys");
    request.security(&[&[HEADER_KEY, QUERY_KEY, COOKIE_KEY]]);
    request.cookie("theme", "dark mode");
    let seen = echoed(client.call(request).await).await;
    assert_eq!(seen["headers"]["x-api-key"], "generic-key");
    assert_eq!(seen["uri"], "/keys?api_key=query-key");
    assert_eq!(
        seen["headers"]["cookie"],
        "theme=dark%20mode; asc_auth_key=generic-key"
    );
}

#[tokio::test]
async fn first_alternative_with_credentials_wins() {
    let (base, _) = echo_server().await;
    let client = builder(&base).api_key("k").build().unwrap();
    let mut request = get("/alt");
    request.security(&[&[SecurityScheme::Bearer], &[HEADER_KEY]]);
    let seen = echoed(client.call(request).await).await;
    assert_eq!(seen["headers"].get("authorization"), None);
    assert_eq!(seen["headers"]["x-api-key"], "k");
}

#[tokio::test]
async fn headers_layer_and_bodies_carry_content_type() {
    let (base, _) = echo_server().await;
    let client = builder(&format!("{base}/api/v2/"))
        .default_header("x-tenant", "acme")
        .default_header("x-trace", "client")
        .build()
        .unwrap();

    let mut request = post("/contacts");
    request.header("x-trace", "request").unwrap();
    request.header("x-only-request", "1").unwrap();
    request.json(&json!({ "external_id": "c-1" })).unwrap();
    let options = CallOptions::new().header("x-trace", "call");
    let seen = echoed(client.call_with(request, options).await).await;

    assert_eq!(seen["method"], "POST");
    assert_eq!(
        seen["uri"], "/api/v2/contacts",
        "the server URL's base path is kept"
    );
    assert_eq!(seen["headers"]["x-tenant"], "acme");
    assert_eq!(seen["headers"]["x-trace"], "call");
    assert_eq!(seen["headers"]["x-only-request"], "1");
    assert_eq!(seen["headers"]["content-type"], "application/json");
    assert_eq!(seen["body"], r#"{"external_id":"c-1"}"#);

    let mut request = post("/upload");
    request.body(b"raw bytes".to_vec(), "application/octet-stream");
    let seen = echoed(client.call(request).await).await;
    assert_eq!(seen["headers"]["content-type"], "application/octet-stream");
    assert_eq!(seen["body"], "raw bytes");
}

#[test]
fn from_env_names_the_missing_variable() {
    let error = builder("http://127.0.0.1:1").from_env().unwrap_err();
    assert_eq!(
        error.to_string(),
        "configuration error: environment variable ORQ_RUNTIME_TEST_UNSET_API_KEY is not set"
    );
}

#[tokio::test]
async fn a_reqwest_client_of_your_own_is_used() {
    let (base, _) = echo_server().await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-from-my-client", "yes".parse().unwrap());
    let mine = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = builder(&base)
        .reqwest_client(mine)
        .bearer("tok")
        .build()
        .unwrap();
    let mut request = get("/mine");
    request.security(BEARER);
    let seen = echoed(client.call(request).await).await;
    assert_eq!(seen["headers"]["x-from-my-client"], "yes");
    assert_eq!(seen["headers"]["authorization"], "Bearer tok");
}
