//! A local stand-in for the orq.ai Contacts API (`POST /v2/contacts`), used by the
//! quickstart when no real endpoint is configured, and by tests.
//!
//! It implements what the REST reference documents: bearer authentication, the field
//! limits of the request body, "update or add" by `external_id`, `_id` as `contact_`
//! plus a ULID, and `created`/`updated` timestamps.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};

/// A running local server; it stops when dropped.
pub struct LocalServer {
    /// The address it listens on (always 127.0.0.1).
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl LocalServer {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Default)]
struct Store {
    /// Contacts by `external_id`.
    contacts: HashMap<String, Map<String, Value>>,
}

type Shared = Arc<Mutex<Store>>;

/// Start the server on an ephemeral port of 127.0.0.1.
pub async fn start() -> std::io::Result<LocalServer> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route("/v2/contacts", post(create_contact))
        .with_state(Shared::default());
    let task = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("local orq server stopped: {err}");
        }
    });
    Ok(LocalServer { addr, task })
}

fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({ "message": message.into(), "code": code })),
    )
        .into_response()
}

async fn create_contact(
    State(store): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if token.trim().is_empty() {
        return error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "missing or empty bearer token",
        );
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send application/json",
        );
    }
    let input: Map<String, Value> = match serde_json::from_slice(&body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "validation_error",
                "the body must be a JSON object",
            );
        }
        Err(err) => {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("invalid JSON: {err}"),
            );
        }
    };
    if let Err(message) = validate(&input) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
            message,
        );
    }
    let Some(external_id) = input
        .get("external_id")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
            "external_id is required",
        );
    };
    let now = Value::String(
        orq_client::chrono::Utc::now()
            .to_rfc3339_opts(orq_client::chrono::SecondsFormat::Millis, true),
    );
    let mut store = match store.lock() {
        Ok(store) => store,
        Err(poisoned) => poisoned.into_inner(),
    };
    let contact = store.contacts.entry(external_id).or_insert_with(|| {
        let mut fresh = Map::new();
        fresh.insert(
            "_id".into(),
            Value::String(format!("contact_{}", ulid::Ulid::new())),
        );
        fresh.insert("created".into(), now.clone());
        fresh
    });
    for (key, value) in input {
        contact.insert(key, value);
    }
    contact.insert("updated".into(), now);
    (StatusCode::OK, Json(Value::Object(contact.clone()))).into_response()
}

/// The limits of the REST reference.
fn validate(input: &Map<String, Value>) -> Result<(), String> {
    match input.get("external_id") {
        Some(Value::String(id)) if (1..=120).contains(&id.chars().count()) => {}
        Some(Value::String(_)) => return Err("external_id must be 1 to 120 characters".into()),
        Some(_) => return Err("external_id must be a string".into()),
        None => return Err("external_id is required".into()),
    }
    for key in ["display_name", "email", "avatar_url"] {
        match input.get(key) {
            None | Some(Value::Null) | Some(Value::String(_)) => {}
            Some(_) => return Err(format!("{key} must be a string or null")),
        }
    }
    if let Some(Value::String(email)) = input.get("email")
        && !email.contains('@')
    {
        return Err("email must be an email address".into());
    }
    if let Some(Value::String(url)) = input.get("avatar_url")
        && orq_client::url::Url::parse(url).is_err()
    {
        return Err("avatar_url must be a URL".into());
    }
    match input.get("tags") {
        None => {}
        Some(Value::Array(tags)) if tags.iter().all(Value::is_string) => {}
        Some(_) => return Err("tags must be an array of strings".into()),
    }
    match input.get("metadata") {
        None | Some(Value::Object(_)) => {}
        Some(_) => return Err("metadata must be an object".into()),
    }
    Ok(())
}
