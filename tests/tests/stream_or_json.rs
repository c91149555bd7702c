//! One status answered as JSON or as server-sent events (`fixtures/stream_or_json.yaml`,
//! in the style of OpenAI's `/chat/completions`): the SDK has both forms of each such
//! operation, called against an axum server on 127.0.0.1 that chooses as the real APIs
//! do, by the body's `stream` flag, or by `Accept` where the body has none.

#[deny(warnings)]
#[allow(dead_code)]
mod completions {
    orq_codegen::generate!(
        spec = "fixtures/stream_or_json.yaml",
        client = "Completions",
        mock = true
    );
}

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use completions::models::{
    CreateChatCompletionRequest, CreateChatCompletionResponse, CreateChatCompletionStreamResponse,
    CreateCompletionRequest, CreateModerationRequest, Message, Moderation,
};
use completions::requests::{ChatCreateChatCompletion, ChatCreateChatCompletionStream};
use orq_runtime::{Error, OptionalNullable};
use serde_json::{Value, json};

/// What the server saw: the `Accept` header and the JSON body of each request.
type Seen = Arc<Mutex<Vec<(String, Value)>>>;

const CHUNKS: &str = "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n\
                      data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n\
                      data: [DONE]\n\n";

/// Answers a chat completion, a completion or a moderation as JSON or as events; a chat
/// message `fail` is a 400 either way.
async fn answer(path: String, headers: HeaderMap, body: Bytes, seen: Seen) -> Response {
    let accept = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    seen.lock().unwrap().push((accept.clone(), body.clone()));
    if body["prompt"] == "busy" {
        return (StatusCode::CONFLICT, "<p>busy</p>").into_response();
    }
    if body["messages"][0]["content"] == "fail" {
        let error = json!({"message": "the model refuses"});
        return (StatusCode::BAD_REQUEST, axum::Json(error)).into_response();
    }
    let events = match path.as_str() {
        // Like the real API: the flag decides, whatever `Accept` says.
        "/chat/completions" | "/completions" => body["stream"] == json!(true),
        _ => accept.contains("text/event-stream"),
    };
    let (json, stream) = match path.as_str() {
        "/chat/completions" => (
            json!({"id": "c1", "choices": [{"message": {"role": "assistant", "content": "Hello"}}]}),
            CHUNKS.to_owned(),
        ),
        "/completions" => (
            json!({"text": "Hello"}),
            "data: {\"text\":\"Hel\"}\n\ndata: {\"text\":\"lo\"}\n\ndata: [DONE]\n\n".to_owned(),
        ),
        _ => (
            json!({"flagged": false}),
            "data: {\"flagged\":false}\n\ndata: {\"flagged\":true}\n\ndata: [DONE]\n\n".to_owned(),
        ),
    };
    if events {
        ([("content-type", "text/event-stream")], stream).into_response()
    } else {
        axum::Json(json).into_response()
    }
}

async fn server() -> (completions::Completions, Seen) {
    let seen: Seen = Arc::default();
    let state = seen.clone();
    let app = Router::new().fallback(
        move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
            let seen = state.clone();
            async move { answer(uri.path().to_owned(), headers, body, seen).await }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = completions::Completions::builder()
        .server_url(format!("http://{addr}"))
        .bearer("token")
        .build()
        .unwrap();
    (client, seen)
}

fn chat(stream: Option<bool>) -> completions::models::builder::CreateChatCompletionRequest {
    let hello = Message::builder()
        .role("user")
        .content("Hello")
        .build()
        .unwrap();
    let request = CreateChatCompletionRequest::builder()
        .model("gpt-4o")
        .messages([hello]);
    match stream {
        Some(stream) => request.stream(stream),
        None => request,
    }
}

/// The text of the chunks of a stream of chat completion chunks.
async fn text(mut events: orq_runtime::EventStream<CreateChatCompletionStreamResponse>) -> String {
    let mut text = String::new();
    while let Some(event) = events.next().await {
        let chunk = event.unwrap().data;
        let delta = chunk.choices[0].delta.as_ref();
        text.push_str(delta.and_then(|d| d.content.as_deref()).unwrap_or(""));
    }
    text
}

#[tokio::test]
async fn the_plain_method_reads_json_and_its_stream_form_reads_events() {
    let (client, seen) = server().await;
    let completion: CreateChatCompletionResponse = client
        .chat()
        .create_chat_completion(chat(None))
        .await
        .unwrap();
    assert_eq!(completion.id, "c1");
    let events = client
        .chat()
        .create_chat_completion_stream(chat(None))
        .await
        .unwrap();
    assert_eq!(text(events).await, "Hello");
    let seen = seen.lock().unwrap();
    // The JSON form asks for JSON and leaves the flag as the caller set it (unset).
    assert_eq!(seen[0].0, "application/json");
    assert_eq!(seen[0].1.get("stream"), None);
    // The stream form sets the flag and asks for events.
    assert_eq!(seen[1].0, "text/event-stream");
    assert_eq!(seen[1].1["stream"], json!(true));
    assert_eq!(seen[1].1["model"], "gpt-4o");
}

#[tokio::test]
async fn the_stream_form_sends_stream_true_whatever_the_caller_set() {
    let (client, seen) = server().await;
    let events = client
        .chat()
        .create_chat_completion_stream(chat(Some(false)))
        .await
        .unwrap();
    assert_eq!(text(events).await, "Hello");
    // A plain optional flag (`Option<bool>`) too, through the standalone function.
    let mut events = completions::funcs::completions_create_completion_stream(
        &client,
        CreateCompletionRequest::builder().prompt("Say hello"),
    )
    .await
    .unwrap();
    let mut parts = Vec::new();
    while let Some(event) = events.next().await {
        parts.push(event.unwrap().data.text);
    }
    assert_eq!(parts, ["Hel", "lo"]);
    let json = client
        .completions()
        .create_completion(CreateCompletionRequest::builder().prompt("Say hello"))
        .await
        .unwrap();
    assert_eq!(json.text, "Hello");
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].1["stream"], json!(true));
    assert_eq!(seen[1].1["stream"], json!(true));
    assert_eq!(seen[2].1.get("stream"), None);
}

#[tokio::test]
async fn without_a_flag_in_the_body_accept_alone_chooses() {
    let (client, seen) = server().await;
    let body = || CreateModerationRequest::builder().input("I like cats");
    let verdict: Moderation = client.create_moderation(body()).await.unwrap();
    assert!(!verdict.flagged);
    let mut events = client.create_moderation_stream(body()).await.unwrap();
    let mut verdicts = Vec::new();
    while let Some(event) = events.next().await {
        verdicts.push(event.unwrap().data.flagged);
    }
    assert_eq!(verdicts, [false, true]);
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0],
        ("application/json".into(), json!({"input": "I like cats"}))
    );
    assert_eq!(
        seen[1],
        ("text/event-stream".into(), json!({"input": "I like cats"}))
    );
}

#[tokio::test]
async fn both_forms_share_the_declared_errors() {
    let (client, _) = server().await;
    let empty = || {
        CreateChatCompletionRequest::builder()
            .model("gpt-4o")
            .messages(Vec::<Message>::new())
    };
    // `minItems: 1` is checked before sending, by both forms.
    let err = client
        .chat()
        .create_chat_completion_stream(empty())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    // A 400 from the server is the same typed error for either form.
    let fail = || {
        let fail = Message::builder()
            .role("user")
            .content("fail")
            .build()
            .unwrap();
        CreateChatCompletionRequest::builder()
            .model("gpt-4o")
            .messages([fail])
    };
    let err = client
        .chat()
        .create_chat_completion_stream(fail())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    let expected = "the model refuses";
    let parsed = err.api_error::<ChatCreateChatCompletionStream>();
    assert!(
        matches!(parsed, Some(completions::requests::ChatCreateChatCompletionError::Status400(e)) if e.message == expected),
        "{err:?}"
    );
    assert!(err.api_error::<ChatCreateChatCompletion>().is_some());
    let err = client
        .chat()
        .create_chat_completion(fail())
        .await
        .unwrap_err();
    assert!(err.api_error::<ChatCreateChatCompletionStream>().is_some());
}

/// An operation whose declared errors have no body: both forms read them as the
/// runtime's `DeclaredStatus`, bound to the JSON form's builder, with the raw body kept.
#[tokio::test]
async fn both_forms_share_a_bodiless_declared_error() {
    use completions::requests::{
        CompletionsCreateCompletion, CompletionsCreateCompletionError,
        CompletionsCreateCompletionStream,
    };
    let (client, _) = server().await;
    let busy = || CreateCompletionRequest::builder().prompt("busy");
    let err = client
        .completions()
        .create_completion_stream(busy())
        .await
        .unwrap_err();
    let declared = CompletionsCreateCompletionError::from_error(&err).expect("declared");
    assert_eq!(declared.status(), 409);
    assert_eq!(err.raw_body().map(|b| &b[..]), Some(&b"<p>busy</p>"[..]));
    assert!(
        err.api_error::<CompletionsCreateCompletionStream>()
            .is_some()
    );
    assert!(err.api_error::<CompletionsCreateCompletion>().is_some());
    // Another operation's error type does not read it.
    assert!(err.api_error::<ChatCreateChatCompletionStream>().is_none());
    let err = client
        .completions()
        .create_completion(busy())
        .await
        .unwrap_err();
    let declared = CompletionsCreateCompletionError::try_from_error(err).expect("declared");
    assert_eq!(declared.status(), 409);
}

/// The typed mock server answers each form with its own handler, chosen by `Accept`.
#[tokio::test]
async fn the_mock_server_routes_each_form_to_its_handler() {
    use completions::mock::{
        ChatCreateChatCompletionRequest, ChatCreateChatCompletionStreamRequest, MockServer,
    };
    let server = MockServer::start().await;
    server
        .chat()
        .create_chat_completion(|_| async {
            Ok(CreateChatCompletionResponse {
                id: "json".into(),
                choices: Vec::new(),
            })
        })
        .create_chat_completion_stream(
            |request: ChatCreateChatCompletionStreamRequest| async move {
                assert_eq!(request.body.stream, OptionalNullable::Value(true));
                Ok(vec![
                    CreateChatCompletionStreamResponse {
                        id: "s1".into(),
                        choices: Vec::new(),
                    },
                    CreateChatCompletionStreamResponse {
                        id: "s2".into(),
                        choices: Vec::new(),
                    },
                ])
            },
        );
    let client = server.client();
    let json = client
        .chat()
        .create_chat_completion(chat(None))
        .await
        .unwrap();
    assert_eq!(json.id, "json");
    let mut events = client
        .chat()
        .create_chat_completion_stream(chat(None))
        .await
        .unwrap();
    let mut ids = Vec::new();
    while let Some(event) = events.next().await {
        ids.push(event.unwrap().data.id);
    }
    assert_eq!(ids, ["s1", "s2"]);
    assert_eq!(
        server.requests::<ChatCreateChatCompletionRequest>().len(),
        1
    );
    let streamed = server.requests::<ChatCreateChatCompletionStreamRequest>();
    assert_eq!(streamed[0].body.stream, OptionalNullable::Value(true));
    // Both are the spec's one operation.
    let calls = server.calls();
    assert!(
        calls
            .iter()
            .all(|c| c.operation == Some("createChatCompletion"))
    );
}
