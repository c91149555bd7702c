//! Quickstart: create (or update) the contact of the orq.ai docs and print the response.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With `ORQ_API_KEY` set it calls the real API (`ORQ_SERVER_URL` overrides the server);
//! without, it starts a built-in local server on 127.0.0.1 that implements the endpoint:
//! the SDK's typed mock server (`orq_client::mock`) with the endpoint's logic as its
//! handler (`server.rs`).

mod server;

use orq_client::models::CreateContactRequestBody;
use orq_client::requests::ContactsCreateError;
use orq_client::{CallOptions, Orq, RetryConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the local server alive for the whole run (it stops when dropped).
    let (orq, _local) = match std::env::var("ORQ_API_KEY") {
        Ok(_) => {
            let orq = Orq::from_env()?;
            println!(
                "ORQ_API_KEY is set: calling {}",
                std::env::var("ORQ_SERVER_URL").unwrap_or_else(|_| Orq::DEFAULT_SERVER_URL.into())
            );
            (orq, None)
        }
        Err(_) => {
            let local = server::start().await?;
            println!(
                "ORQ_API_KEY is not set: using the built-in local server at {} (set ORQ_API_KEY to call the real API)",
                local.url()
            );
            // Pointed at the local server, with a test token.
            (local.client(), Some(local))
        }
    };

    let metadata = serde_json::json!({
        "department": "Engineering",
        "role": "Senior Developer",
        "subscription_tier": "premium",
        "last_login": "2024-01-15T10:30:00Z",
    });
    // Built here to see a broken limit before calling; an operation also takes the
    // builder itself and builds it when the call starts.
    let body = CreateContactRequestBody::builder()
        .external_id("user_12345")
        .display_name("Jane Smith")
        .email("jane.smith@example.com")
        .avatar_url(orq_client::Uri::new(
            "https://example.com/avatars/jane-smith.jpg",
        ))
        .tags(["premium", "beta-user", "enterprise"])
        .metadata(metadata)
        .build()?;

    // Per-call options, like the `retries` argument of the Python SDK.
    let options = CallOptions::new().retries(RetryConfig::default().retry_non_idempotent(true));
    // A request owns its client, so it can be spawned on another task.
    let request = orq.contacts().create(body).options(options);
    let contact = match tokio::spawn(request.send()).await? {
        Ok(contact) => contact,
        Err(err) => {
            // The declared error responses, by status; anything else (an undeclared status,
            // a transport error, a timeout) is in `err` itself.
            if let Some(ContactsCreateError::Status4xx(refused)) =
                ContactsCreateError::from_error(&err)
            {
                eprintln!("refused: {}", refused.message);
            }
            return Err(err.into());
        }
    };

    println!(
        "created contact {} (external_id {})",
        contact.id, contact.external_id
    );
    println!(
        "created at {:?}, updated at {:?}",
        contact.created, contact.updated
    );
    println!("{}", serde_json::to_string_pretty(&contact)?);
    Ok(())
}
