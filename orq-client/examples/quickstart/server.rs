//! A local stand-in for the orq.ai Contacts API (`POST /v2/contacts`), used by the
//! quickstart when no real endpoint is configured, and by tests.
//!
//! It is the SDK's typed mock server (`orq_client::mock`, cargo feature `mock`) with one
//! handler: the mock server routes the request, checks that a bearer token was sent,
//! decodes the body and checks the spec's limits (answering 400 with the violations), so
//! the handler is only what the REST reference documents beyond the schema: "update or
//! add" by `external_id`, `_id` as `contact_` plus a ULID, and `created`/`updated`
//! timestamps.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use orq_client::OptionalNullable;
use orq_client::mock::MockServer;
use orq_client::models::{CreateContactRequestBody, CreateContactResponseBody};

/// Contacts by `external_id`.
type Store = Arc<Mutex<HashMap<String, CreateContactResponseBody>>>;

/// Starts the server on an ephemeral port of 127.0.0.1; it stops when dropped.
pub async fn start() -> std::io::Result<MockServer> {
    let server = MockServer::try_start().await?;
    let store = Store::default();
    server.contacts().create(move |request| {
        let store = store.clone();
        async move { Ok(upsert(&store, request.body)) }
    });
    Ok(server)
}

/// Adds the contact, or updates the one with the same `external_id`: fields the request
/// sets (a value or `null`) replace the stored ones, absent fields are kept.
fn upsert(store: &Store, input: CreateContactRequestBody) -> CreateContactResponseBody {
    // Milliseconds, as the API writes them.
    let now = Some(orq_client::chrono::SubsecRound::trunc_subsecs(
        orq_client::chrono::Utc::now(),
        3,
    ));
    let mut store = store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let contact =
        store
            .entry(input.external_id.clone())
            .or_insert_with(|| CreateContactResponseBody {
                id: format!("contact_{}", ulid::Ulid::new()),
                external_id: input.external_id.clone(),
                display_name: OptionalNullable::Unset,
                email: OptionalNullable::Unset,
                avatar_url: OptionalNullable::Unset,
                tags: None,
                metadata: None,
                created: now,
                updated: None,
            });
    fn set<T>(stored: &mut OptionalNullable<T>, sent: OptionalNullable<T>) {
        if !sent.is_unset() {
            *stored = sent;
        }
    }
    set(&mut contact.display_name, input.display_name);
    set(&mut contact.email, input.email);
    set(&mut contact.avatar_url, input.avatar_url);
    if input.tags.is_some() {
        contact.tags = input.tags;
    }
    if input.metadata.is_some() {
        contact.metadata = input.metadata;
    }
    contact.updated = now;
    contact.clone()
}
