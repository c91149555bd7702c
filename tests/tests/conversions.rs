//! Values made every way, on the wire: a model received from the server and sent back
//! (as it is, through `From` into its builder, or read from JSON) never carries its
//! `readOnly` fields, at any depth, while serializing it anywhere else keeps them; a
//! `writeOnly` field may be missing from a response; a `format: password` field never
//! shows in `Debug`; `Default` on models whose fields are all optional, `From<Member>`
//! for a union, `set_x(Option<T>)` on model builders; and a declared error read by
//! naming its enum (`from_error`), with no request type in sight.

#[deny(warnings)]
#[allow(dead_code)]
mod accounts {
    orq_codegen::generate!(
        spec = "fixtures/conversions.yaml",
        client = "Accounts",
        mock = true
    );
}

use accounts::models::{Account, Cat, Member, Pet, Settings, builder};
use accounts::requests::AccountsCreateAccountError;
use orq_runtime::RetryConfig;
use orq_tests::{Recorder, Reply};
use serde_json::json;

async fn client(replies: Vec<Reply>) -> (Recorder, accounts::Accounts) {
    let server = Recorder::start(replies, None).await;
    let client = accounts::Accounts::builder()
        .server_url(server.url())
        .retry(RetryConfig::none())
        .build()
        .unwrap();
    (server, client)
}

/// An account as the server sends it: read-only fields at three depths, no password.
fn received() -> serde_json::Value {
    json!({
        "id": "a1",
        "name": "Ada",
        "created": "2024-01-15",
        "settings": {"theme": "dark", "updated": "2024-01-16"},
        "members": [{"name": "Grace", "joined": "2024-01-17"}],
    })
}

/// The same account without what only the server sets.
fn writable(name: &str) -> serde_json::Value {
    json!({
        "name": name,
        "settings": {"theme": "dark"},
        "members": [{"name": "Grace"}],
    })
}

#[tokio::test]
async fn read_only_fields_stay_home_however_the_value_was_made() {
    let reply = || Reply::json(200, received());
    let (server, client) = client(vec![reply(), reply(), reply(), reply()]).await;
    let account = client
        .accounts()
        .update_account("a1", builder::Account::default().name("Ada").password("pw"))
        .await
        .unwrap();
    // The write-only password is not in the response, and that is no error.
    assert_eq!(account.password, None);
    assert_eq!(account.id.as_deref(), Some("a1"));
    assert_eq!(
        account.members.as_ref().unwrap()[0].joined.as_deref(),
        Some("2024-01-17")
    );

    // Sent back as received.
    client
        .accounts()
        .update_account("a1", account.clone())
        .await
        .unwrap();
    // Edited through its builder.
    let edited = builder::Account::from(account.clone())
        .name("Ada L.")
        .password("pw");
    client
        .accounts()
        .update_account("a1", edited)
        .await
        .unwrap();
    // Read from JSON (a spec example, a file) and sent.
    let from_json: Account = serde_json::from_value(received()).unwrap();
    client
        .accounts()
        .update_account("a1", from_json)
        .await
        .unwrap();

    let sent = server.requests();
    assert_eq!(sent[0].json(), json!({"name": "Ada", "password": "pw"}));
    assert_eq!(sent[1].json(), writable("Ada"));
    let mut with_password = writable("Ada L.");
    with_password["password"] = json!("pw");
    assert_eq!(sent[2].json(), with_password);
    assert_eq!(sent[3].json(), writable("Ada"));

    // Anywhere but a request (a mock server's answer, a value saved), they are written.
    assert_eq!(serde_json::to_value(&account).unwrap(), received());
}

/// The typed mock server answers with read-only fields (a response, not a request), and
/// sees none in what the client sent.
#[tokio::test]
async fn the_mock_server_answers_with_read_only_fields() {
    let server = accounts::mock::MockServer::start().await;
    server.accounts().update_account(|request| async move {
        let sent = request.body;
        assert_eq!(sent.id, None, "the client never sends read-only fields");
        assert!(sent.created.is_unset());
        assert_eq!(sent.settings.and_then(|s| s.updated), None);
        let mut account: Account = serde_json::from_value(received()).unwrap();
        account.id = Some(request.id);
        Ok(account)
    });
    let received: Account = serde_json::from_value(received()).unwrap();
    let updated = server
        .client()
        .accounts()
        .update_account("a2", received)
        .await
        .unwrap();
    assert_eq!(updated.id.as_deref(), Some("a2"));
    assert_eq!(
        updated.created.as_value().map(String::as_str),
        Some("2024-01-15")
    );
    let settings = updated.settings.unwrap();
    assert_eq!(settings.updated.as_deref(), Some("2024-01-16"));
}

#[test]
fn passwords_never_show_in_debug() {
    let builder = Account::builder().name("Ada").password("hunter2");
    let account = builder.clone().build().unwrap();
    for shown in [format!("{builder:?}"), format!("{account:?}")] {
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("password: Some(<redacted>)"), "{shown}");
        assert!(shown.contains("\"Ada\""), "{shown}");
    }
}

#[test]
fn defaults_unions_and_optional_setters() {
    // Every field optional: `Default`, and struct update syntax from it.
    let settings = Settings {
        theme: Some("dark".into()),
        ..Default::default()
    };
    assert_eq!(Settings::default().theme, None);
    // `set_` setters take an `Option`; `None` leaves the field out.
    let theme: Option<String> = None;
    let built = Settings::builder()
        .theme("light")
        .set_theme(theme)
        .build()
        .unwrap();
    assert_eq!(built, Settings::default());
    let member = Member::builder().name("Grace").build().unwrap();
    let account = Account::builder()
        .name("Ada")
        .password("pw")
        .settings(settings.clone())
        .members([member])
        .set_settings(None)
        .build()
        .unwrap();
    assert_eq!(account.settings, None);
    // A union from any of its members.
    let pet: Pet = Cat { meows: true }.into();
    assert_eq!(serde_json::to_value(&pet).unwrap(), json!({"meows": true}));
}

#[tokio::test]
async fn a_declared_error_is_read_by_naming_its_enum() {
    let (_server, client) = client(vec![Reply::json(409, json!({"message": "taken"}))]).await;
    let body = Account::builder().name("Ada").password("pw");
    let err = client.accounts().create_account(body).await.unwrap_err();
    match AccountsCreateAccountError::from_error(&err) {
        Some(AccountsCreateAccountError::Status4xx(problem)) => {
            assert_eq!(problem.message, "taken")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
    let owned = AccountsCreateAccountError::try_from_error(err).unwrap();
    assert!(matches!(owned, AccountsCreateAccountError::Status4xx(_)));
}
