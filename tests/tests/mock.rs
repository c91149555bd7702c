//! The typed mock server (setting `mock`) of a fixture SDK, driven through its client and
//! through raw HTTP: typed handlers, declared errors, validation, credentials, 501 for
//! operations without a handler, and the record of calls.

#[deny(warnings)]
#[allow(dead_code)]
mod notes {
    orq_codegen::generate!(spec = "fixtures/mock.yaml", client = "Notes", mock = true);
}

use notes::mock::{self, MockServer, Reply};
use notes::models::{Health, NewNote, Note, NoteList, Problem};
use notes::requests::NotesCreateNoteResponse;
use orq_runtime::reqwest;
use serde_json::json;

fn note(id: &str, title: &str) -> Note {
    Note {
        id: id.into(),
        title: title.into(),
        tags: None,
    }
}

#[tokio::test]
async fn a_typed_handler_gets_decoded_path_query_and_header_parameters() {
    let server = MockServer::start().await;
    server
        .notes()
        .get_note(|request| async move {
            let title = request.x_trace.unwrap_or_default();
            Ok(note(&request.note_id, &title))
        })
        .list_notes(|request| async move {
            let items = request
                .tag
                .unwrap_or_default()
                .iter()
                .map(|tag| note(tag, "tagged"))
                .collect();
            Ok(NoteList {
                items,
                total: request.limit.map(i64::from),
            })
        });
    let client = server.client();

    // The path variable arrives percent-decoded.
    let got = client
        .notes()
        .get_note("a b/c")
        .x_trace("trace-1")
        .await
        .unwrap();
    assert_eq!(got, note("a b/c", "trace-1"));

    let list = client
        .notes()
        .list_notes()
        .limit(2)
        .tag(vec!["x".to_string(), "y".to_string()])
        .await
        .unwrap();
    assert_eq!(list.total, Some(2));
    assert_eq!(
        list.items.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        ["x", "y"]
    );

    let seen = server.requests::<mock::NotesGetNoteRequest>();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].note_id, "a b/c");
    assert_eq!(seen[0].x_trace.as_deref(), Some("trace-1"));
    let calls = server.calls();
    assert_eq!(calls[0].path, "/notes/a%20b%2Fc");
    assert_eq!(calls[0].headers["authorization"], "Bearer mock-token");
    assert_eq!(calls[1].query.as_deref(), Some("limit=2&tag=x&tag=y"));
}

#[tokio::test]
async fn a_declared_error_reply_is_an_api_error_with_its_model() {
    let server = MockServer::start().await;
    server.notes().get_note(|request| async move {
        Err(Reply::status(404).json(&Problem {
            message: Some(format!("no note {}", request.note_id)),
            code: Some("not_found".into()),
        }))
    });
    let err = server.client().notes().get_note("n1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let Some(notes::requests::NotesGetNoteError::Status404(problem)) =
        err.api_error::<notes::requests::NotesGetNote>()
    else {
        panic!("the declared error model expected: {err:?}");
    };
    assert_eq!(problem.message.as_deref(), Some("no note n1"));
    assert_eq!(server.calls()[0].status.as_u16(), 404);
}

#[tokio::test]
async fn mixed_successes_text_bodies_and_empty_answers_reach_the_client() {
    let server = MockServer::start().await;
    server
        .notes()
        .create_note(|request| async move {
            if request.body.title == "later" {
                return Ok(NotesCreateNoteResponse::Status202);
            }
            Ok(NotesCreateNoteResponse::Status201(Note {
                id: "n1".into(),
                title: request.body.title,
                tags: request.body.tags,
            }))
        })
        .delete_note(|_| async { Ok(()) });
    server
        .system()
        .get_key(|request| async move { Ok(format!("key of {}", request.name)) })
        .get_status(|_| async { Ok(Health { ok: true }) });
    let client = server.client();

    let body = NewNote::builder().title("first").build().unwrap();
    let created = client
        .notes()
        .create_note(body)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert!(matches!(&*created, NotesCreateNoteResponse::Status201(n) if n.title == "first"));
    let later = NewNote::builder().title("later").build().unwrap();
    let later = client.notes().create_note(later).await.unwrap();
    assert_eq!(later, NotesCreateNoteResponse::Status202);

    client.notes().delete_note("n1").await.unwrap();
    // `{name}.txt`: a variable with a literal after it in one segment; an API key scheme.
    assert_eq!(client.system().get_key("ops").await.unwrap(), "key of ops");
    assert_eq!(server.calls()[3].headers["x-api-key"], "mock-api-key");
    // `security: []`: no credentials needed.
    let anonymous = notes::Notes::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    assert!(anonymous.system().get_status().await.unwrap().ok);
}

#[tokio::test]
async fn an_invalid_request_gets_400_with_the_violations_and_is_recorded() {
    let server = MockServer::start().await;
    // The handler never sees an invalid request: checked below by what it received.
    server.notes().create_note(|request| async move {
        Ok(NotesCreateNoteResponse::Status201(note(
            "n1",
            &request.body.title,
        )))
    });
    let http = reqwest::Client::new();
    let send = |body: serde_json::Value| {
        http.post(format!("{}/notes", server.url()))
            .bearer_auth("t")
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };

    // Over `maxLength: 20`: the SDK would refuse to send it; a raw call gets through.
    let answer = send(json!({"title": "x".repeat(21)})).await.unwrap();
    assert_eq!(answer.status().as_u16(), 400);
    let problem: serde_json::Value =
        serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(problem["violations"][0]["path"], "body.title");
    assert_eq!(problem["violations"][0]["constraint"], "maxLength");

    // A wrong type, and a missing required field.
    let answer = send(json!({"title": 7})).await.unwrap();
    assert_eq!(answer.status().as_u16(), 400);
    let answer = send(json!({"tags": []})).await.unwrap();
    assert_eq!(answer.status().as_u16(), 400);

    let calls = server.calls();
    assert_eq!(calls.len(), 3);
    assert!(calls.iter().all(|c| c.operation == Some("createNote")));
    assert!(calls.iter().all(|c| c.status.as_u16() == 400));
    assert_eq!(calls[0].violations[0].constraint, "maxLength");
    assert_eq!(calls[1].violations[0].path, "body.title");
    assert!(
        calls[2].violations[0].message.contains("title"),
        "{:?}",
        calls[2]
    );
    assert!(server.requests::<mock::NotesCreateNoteRequest>().is_empty());
    // The raw body stays available for assertions.
    assert_eq!(calls[1].json(), Some(json!({"title": 7})));
}

#[tokio::test]
async fn missing_credentials_unknown_routes_and_unregistered_operations() {
    let server = MockServer::start().await;
    server
        .notes()
        .get_note(|r| async move { Ok(note(&r.note_id, "t")) });
    let http = reqwest::Client::new();

    // Bearer required, none sent.
    let answer = http
        .get(format!("{}/notes/n1", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 401);
    // No such route.
    let answer = http
        .get(format!("{}/nowhere", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 404);
    // A declared operation without a handler: 501 naming it, through the client.
    let err = server.client().notes().list_notes().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(501));
    let text = String::from_utf8_lossy(err.raw_body().unwrap()).into_owned();
    assert!(text.contains("listNotes"), "{text}");

    let calls = server.calls();
    let summary: Vec<_> = calls
        .iter()
        .map(|c| (c.operation, c.status.as_u16()))
        .collect();
    assert_eq!(
        summary,
        [
            (Some("getNote"), 401),
            (None, 404),
            (Some("listNotes"), 501)
        ]
    );
    // Header values (credentials) stay out of Debug output.
    server.client().notes().get_note("n2").await.unwrap();
    let debug = format!("{:?}", server.calls()[3]);
    assert!(!debug.contains("mock-token"), "{debug}");
    server.clear_calls();
    assert!(server.calls().is_empty());
}

#[tokio::test]
async fn debug_output_hides_credentials_in_headers_and_the_query() {
    let server = MockServer::start().await;
    server
        .system()
        .list_exports(|_| async { Ok(vec!["a".to_owned()]) });
    let exports = server.client().system().list_exports().await.unwrap();
    assert_eq!(exports, ["a"]);
    let call = &server.calls()[0];
    // The key was sent in the query, so the check below is not vacuous.
    assert_eq!(call.query.as_deref(), Some("api_key=mock-api-key"));
    let debug = format!("{call:?}");
    assert!(!debug.contains("mock-api-key"), "{debug}");
    assert!(debug.contains("api_key"), "{debug}");
}

#[tokio::test]
async fn a_panicking_handler_is_answered_500_and_recorded() {
    let server = MockServer::start().await;
    server
        .notes()
        .get_note(|request| async move {
            if request.note_id == "boom" {
                panic!("the handler failed on {}", request.note_id);
            }
            Ok(note(&request.note_id, "t"))
        })
        // A handler that panics before it returns its future.
        .delete_note(|_| {
            panic!("the handler failed at once");
            #[allow(unreachable_code)]
            async {
                Ok(())
            }
        });
    let client = server.client();
    let error = client.notes().get_note("boom").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500), "{error:?}");
    let body = String::from_utf8_lossy(error.raw_body().unwrap()).into_owned();
    assert!(body.contains("the handler failed on boom"), "{body}");
    let error = client.notes().delete_note("n1").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500), "{error:?}");
    // The server goes on.
    assert_eq!(client.notes().get_note("n1").await.unwrap().id, "n1");
    let calls = server.calls();
    let statuses: Vec<_> = calls.iter().map(|c| c.status.as_u16()).collect();
    assert_eq!(statuses, [500, 500, 200]);
    assert_eq!(calls[0].operation, Some("getNote"));
}

#[tokio::test]
async fn a_request_body_over_the_limit_is_answered_413_and_recorded() {
    let server = MockServer::start().await;
    server.notes().create_note(|request| async move {
        Ok(NotesCreateNoteResponse::Status201(note(
            "n1",
            &request.body.title,
        )))
    });
    // Past the default limit (32 MiB).
    let answer = reqwest::Client::new()
        .post(format!("{}/notes", server.url()))
        .bearer_auth("t")
        .header("content-type", "application/json")
        .body(vec![b' '; (32 << 20) + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 413);
    let calls = server.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].status.as_u16(), 413);
    assert_eq!(calls[0].operation, Some("createNote"));
    assert!(calls[0].body.is_empty(), "the body is not kept");
    // A lower limit, for a chunked body (no length to refuse it by).
    server.set_max_request_bytes(1024);
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(vec![b' '; 2048])]);
    let answer = reqwest::Client::new()
        .post(format!("{}/notes", server.url()))
        .bearer_auth("t")
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 413);
    assert_eq!(server.calls()[1].status.as_u16(), 413);
    assert!(server.requests::<mock::NotesCreateNoteRequest>().is_empty());
}

/// The orq SDK's mock server (`orq_client::mock`, feature `mock`).
mod orq {
    use orq_client::mock::{self, MockServer, Reply};
    use orq_client::models::{ApiErrorBody, CreateContactRequestBody, CreateContactResponseBody};
    use orq_client::requests::{ContactsCreate, ContactsCreateError};
    use orq_client::{Error, OptionalNullable};
    use orq_runtime::reqwest;
    use serde_json::json;

    fn contact(request: mock::ContactsCreateRequest) -> CreateContactResponseBody {
        CreateContactResponseBody {
            id: "contact_1".into(),
            external_id: request.body.external_id,
            display_name: request.body.display_name,
            email: OptionalNullable::Unset,
            avatar_url: OptionalNullable::Unset,
            tags: None,
            metadata: None,
            created: None,
            updated: None,
        }
    }

    #[tokio::test]
    async fn contacts_create_through_the_client() {
        let server = MockServer::start().await;
        server.contacts().create(|request| async move {
            if request.body.external_id == "taken" {
                return Err(Reply::status(409).json(&ApiErrorBody {
                    message: "external_id is taken".into(),
                    code: Some("conflict".into()),
                }));
            }
            Ok(contact(request))
        });
        let orq = server.client();
        let body = CreateContactRequestBody::builder()
            .external_id("user_1")
            .display_name("Jane")
            .build()
            .unwrap();
        let created = orq.contacts().create(body).await.unwrap();
        assert_eq!(created.external_id, "user_1");
        assert_eq!(created.display_name, OptionalNullable::Value("Jane".into()));

        let taken = CreateContactRequestBody::builder()
            .external_id("taken")
            .build()
            .unwrap();
        let err = orq.contacts().create(taken).await.unwrap_err();
        assert!(matches!(err, Error::Api { .. }), "{err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
        let Some(ContactsCreateError::Status4xx(model)) = err.api_error::<ContactsCreate>() else {
            panic!("the declared 4XX body expected: {err:?}");
        };
        assert_eq!(model.code.as_deref(), Some("conflict"));

        // Calls in order, with the bearer token of `client()` and the typed bodies.
        let calls = server.calls();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].headers["authorization"], "Bearer mock-token");
        let bodies: Vec<String> = server
            .requests::<mock::ContactsCreateRequest>()
            .into_iter()
            .map(|r| r.body.external_id)
            .collect();
        assert_eq!(bodies, ["user_1", "taken"]);
        assert_eq!(
            calls[1]
                .request::<mock::ContactsCreateRequest>()
                .map(|r| r.body.external_id.as_str()),
            Some("taken")
        );
    }

    #[tokio::test]
    async fn an_external_id_over_120_characters_gets_400() {
        let server = MockServer::start().await;
        server
            .contacts()
            .create(|request| async move { Ok(contact(request)) });
        let answer = reqwest::Client::new()
            .post(format!("{}/v2/contacts", server.url()))
            .bearer_auth("t")
            .header("content-type", "application/json")
            .body(json!({"external_id": "x".repeat(121)}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 400);
        let calls = server.calls();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].operation, Some("CreateContact"));
        assert_eq!(calls[0].status.as_u16(), 400);
        assert_eq!(calls[0].violations[0].path, "body.external_id");
        assert_eq!(calls[0].violations[0].constraint, "maxLength");
    }
}
