//! OAuth2 client credentials against a real token endpoint and API on
//! 127.0.0.1: one fetch for many calls, refresh on expiry and on 401, token
//! endpoint errors surfaced.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{any, post};
use orq_runtime::__private::SecurityScheme;
use orq_runtime::{ClientCredentials, Error};
use serde_json::json;

use super::support::{TestClient, builder, get, serve};

const CLIENT_CREDENTIALS: &[&[SecurityScheme]] = &[&[SecurityScheme::OAuth2 {
    scheme: "oauth",
    token_url: Some("/oauth/token"),
    scopes: &["write", "read"],
}]];

/// The token endpoint's and the API's shared state.
#[derive(Default)]
struct Auth {
    /// Token requests: (Authorization header, form body).
    token_requests: Vec<(String, String)>,
    /// Tokens the API accepts.
    valid: BTreeSet<String>,
    /// `expires_in` of issued tokens.
    expires_in: Option<u64>,
    /// Answer token requests with this status and body instead.
    refuse: Option<(u16, String)>,
    /// The API refuses every token.
    reject_all: bool,
    /// `Authorization` headers the API saw.
    api_requests: Vec<String>,
}

type Shared = Arc<Mutex<Auth>>;

async fn token_endpoint(
    State(auth): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let mut auth = auth.lock().unwrap();
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    auth.token_requests
        .push((authorization, String::from_utf8_lossy(&body).into_owned()));
    if let Some((status, body)) = auth.refuse.clone() {
        return (
            StatusCode::from_u16(status).unwrap(),
            [("content-type", "application/json")],
            body,
        )
            .into_response();
    }
    let token = format!("tok-{}", auth.token_requests.len());
    auth.valid.insert(token.clone());
    let mut answer = json!({"access_token": token, "token_type": "Bearer"});
    if let Some(expires_in) = auth.expires_in {
        answer["expires_in"] = json!(expires_in);
    }
    axum::Json(answer).into_response()
}

async fn api(State(auth): State<Shared>, headers: HeaderMap) -> axum::response::Response {
    let mut auth = auth.lock().unwrap();
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    auth.api_requests.push(authorization.clone());
    let token = authorization.strip_prefix("Bearer ").unwrap_or("");
    if auth.valid.contains(token) && !auth.reject_all {
        axum::Json(json!({"token": token})).into_response()
    } else {
        (StatusCode::UNAUTHORIZED, "invalid token").into_response()
    }
}

async fn server(auth: &Shared) -> String {
    let router = Router::new()
        .route("/oauth/token", post(token_endpoint))
        .route("/api/{*rest}", any(api))
        .with_state(auth.clone());
    serve(router).await
}

/// A client of the API behind `base` that authenticates with client credentials.
fn client_credentials_client(base: &str, id: &str, secret: &str) -> TestClient {
    builder(&format!("{base}/api"))
        .oauth2_client_credentials(id, secret)
        .build()
        .unwrap()
}

fn secured(path: &str) -> orq_runtime::__private::RequestSpec {
    let mut request = get(path);
    request.security(CLIENT_CREDENTIALS);
    request
}

#[tokio::test]
async fn one_token_serves_many_calls() {
    let auth = Shared::default();
    auth.lock().unwrap().expires_in = Some(3600);
    let base = server(&auth).await;
    let client = client_credentials_client(&base, "my-client", "my secret");

    // Concurrent calls first, on a client with no token yet: they share one
    // fetch (the fault table holds the token endpoint's answer to make the
    // overlap certain).
    let mut concurrent = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let client = client.clone();
        concurrent.spawn(async move { client.call(secured("/things")).await });
    }
    while let Some(joined) = concurrent.join_next().await {
        assert_eq!(joined.unwrap().unwrap().status(), 200);
    }
    for _ in 0..3 {
        let response = client.call(secured("/things")).await.unwrap();
        assert_eq!(response.status(), 200);
    }

    let auth = auth.lock().unwrap();
    assert_eq!(auth.token_requests.len(), 1, "{:?}", auth.token_requests);
    let (authorization, body) = &auth.token_requests[0];
    // RFC 6749 2.3.1: id and secret form-encoded, then basic auth.
    assert_eq!(authorization, "Basic bXktY2xpZW50Om15K3NlY3JldA==");
    assert_eq!(body, "grant_type=client_credentials&scope=read+write");
    assert_eq!(auth.api_requests.len(), 19);
    assert!(auth.api_requests.iter().all(|a| a == "Bearer tok-1"));

    let debug = format!("{client:?}");
    assert!(
        !debug.contains("my secret") && !debug.contains("tok-1"),
        "{debug}"
    );
}

#[tokio::test]
async fn an_expired_token_is_replaced() {
    let auth = Shared::default();
    auth.lock().unwrap().expires_in = Some(1);
    let base = server(&auth).await;
    let client = client_credentials_client(&base, "id", "secret");

    client.call(secured("/a")).await.unwrap();
    client.call(secured("/b")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    client.call(secured("/c")).await.unwrap();

    let auth = auth.lock().unwrap();
    assert_eq!(auth.token_requests.len(), 2);
    assert_eq!(
        auth.api_requests,
        ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    );
}

#[tokio::test]
async fn a_401_fetches_a_new_token_once() {
    let auth = Shared::default();
    let base = server(&auth).await;
    let client = client_credentials_client(&base, "id", "secret");

    client.call(secured("/a")).await.unwrap();
    // The server revokes the token before it expires.
    auth.lock().unwrap().valid.clear();
    let response = client.call(secured("/b")).await.unwrap();
    assert_eq!(response.status(), 200);
    {
        let auth = auth.lock().unwrap();
        assert_eq!(auth.token_requests.len(), 2);
        assert_eq!(
            auth.api_requests,
            ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
        );
    }

    // A server that refuses every token: one refresh, then the 401 is returned.
    auth.lock().unwrap().reject_all = true;
    let response = client.call(secured("/c")).await.unwrap();
    assert_eq!(response.status(), 401);
    let auth = auth.lock().unwrap();
    assert_eq!(auth.token_requests.len(), 3, "exactly one refresh");
    assert_eq!(auth.api_requests.len(), 5);
}

#[tokio::test]
async fn token_endpoint_errors_are_clear_and_stop_the_call() {
    let auth = Shared::default();
    auth.lock().unwrap().refuse = Some((
        401,
        json!({"error": "invalid_client", "error_description": "unknown client"}).to_string(),
    ));
    let base = server(&auth).await;
    let client = client_credentials_client(&base, "id", "s3cr3t");

    let error = client.call(secured("/a")).await.unwrap_err();
    let Error::Token {
        status,
        ref message,
        ref body,
        ..
    } = error
    else {
        panic!("expected Error::Token, got {error:?}");
    };
    assert_eq!(status, Some(StatusCode::UNAUTHORIZED));
    assert!(
        message.contains("invalid_client: unknown client"),
        "{message}"
    );
    assert!(!body.is_empty());
    let display = error.to_string();
    assert!(
        display.starts_with("OAuth2 token request to http://127.0.0.1:")
            && display.contains("/oauth/token failed: the token endpoint answered 401"),
        "{display}"
    );
    assert!(!format!("{display} {error:?}").contains("s3cr3t"));
    let auth = auth.lock().unwrap();
    assert!(auth.api_requests.is_empty(), "the API was not called");
    assert_eq!(auth.token_requests.len(), 1, "a refusal is not retried");
}

#[tokio::test]
async fn settings_override_the_spec_and_bearer_is_the_fallback() {
    const NO_FLOW: &[&[SecurityScheme]] = &[&[SecurityScheme::OAuth2 {
        scheme: "oauth",
        token_url: None,
        scopes: &["read"],
    }]];
    let auth = Shared::default();
    let base = server(&auth).await;

    // A scheme without a client-credentials flow: a bearer token of your own.
    auth.lock().unwrap().valid.insert("mine".into());
    let with_bearer = builder(&format!("{base}/api"))
        .bearer("mine")
        .build()
        .unwrap();
    let mut request = get("/a");
    request.security(NO_FLOW);
    assert_eq!(with_bearer.call(request).await.unwrap().status(), 200);

    // Or client credentials with a token URL, scopes and secret placement of your own.
    let client = builder(&format!("{base}/api"))
        .oauth2(
            ClientCredentials::new("id", "pw")
                .token_url(format!("{base}/oauth/token"))
                .scopes(["admin"])
                .secret_in_body(true),
        )
        .build()
        .unwrap();
    let mut request = get("/b");
    request.security(NO_FLOW);
    assert_eq!(client.call(request).await.unwrap().status(), 200);
    let auth = auth.lock().unwrap();
    assert_eq!(
        auth.token_requests,
        [(
            String::new(),
            "grant_type=client_credentials&scope=admin&client_id=id&client_secret=pw".to_owned()
        )]
    );
}

/// A token endpoint that accepts connections and closes them unanswered:
/// every attempt of the call fetches again (the failure is transient).
#[tokio::test]
async fn a_token_endpoint_that_drops_connections_is_retried() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(socket);
        }
    });
    let client = client_credentials_client(&base, "id", "secret");

    let error = client.call(secured("/a")).await.unwrap_err();
    let Error::Token {
        status, transient, ..
    } = error
    else {
        panic!("expected Error::Token, got {error:?}");
    };
    assert_eq!(status, None);
    assert!(transient, "a dropped connection may heal");
    assert!(
        accepted.load(std::sync::atomic::Ordering::SeqCst) > 1,
        "the fetch was retried"
    );
}

/// A refusal (4XX) is not transient: one token request, no retry.
#[tokio::test]
async fn a_token_refusal_is_not_transient() {
    let auth = Shared::default();
    auth.lock().unwrap().refuse = Some((400, "{}".into()));
    let base = server(&auth).await;
    let client = client_credentials_client(&base, "id", "secret");
    let error = client.call(secured("/a")).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Token {
                transient: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(auth.lock().unwrap().token_requests.len(), 1);
}
