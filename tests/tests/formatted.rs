//! The formatted text of generated code (what `orq_codegen_impl::format_tokens` gives a
//! `build.rs` user) compiles under `#[deny(warnings)]` too. Written by `build.rs`; rustc
//! skips some lints (unused `mut`, unused labels) inside macro expansions, so the
//! `generate!` tests alone would not catch them. Each is generated with its `mock` module.
//! `cargo clippy --all-targets -- -D warnings` checks the same text, so the generated
//! code is clippy-clean as written to a file, not only inside the macro.

macro_rules! formatted {
    ($name:ident, $file:literal) => {
        #[deny(warnings)]
        #[allow(dead_code)]
        mod $name {
            include!(concat!(env!("OUT_DIR"), "/", $file));
        }
    };
}

formatted!(petstore, "petstore.rs");
formatted!(bodies, "bodies.rs");
formatted!(files, "files.rs");
formatted!(params, "params.rs");
formatted!(openapi31, "openapi31.rs");
formatted!(multifile, "multifile.rs");
formatted!(notes, "mock.rs");
formatted!(sse, "sse.rs");
formatted!(pages, "pages.rs");
formatted!(errors, "errors.rs");
formatted!(inheritance, "inheritance.rs");
formatted!(stream_or_json, "stream_or_json.rs");
formatted!(bookshop, "bookshop.rs");
formatted!(pointers, "pointers.rs");

#[test]
fn formatted_sdks_compile() {
    let _ = petstore::Petstore::builder();
    let _ = params::Params::builder();
    let _ = multifile::Multifile::builder();
    let _ = sse::Chat::builder();
    let _ = pages::Pages::builder();
    let _ = errors::Errors::builder();
    let _ = inheritance::Shelter::builder();
    let _ = stream_or_json::Completions::builder();
    let _ = bookshop::Bookshop::builder();
    let _ = pointers::Pointers::builder();
}

/// The mock server answers an event-stream operation with the handler's events (then
/// the sentinel) and a download with the handler's bytes, read back through the client.
#[tokio::test]
async fn mock_servers_stream_events_and_serve_downloads() {
    use sse::models::{ChatChunk, ChatRequest, Choice, Delta, Message};

    let server = sse::mock::MockServer::start().await;
    server.chat().completions(|_| async move {
        let chunk = |id: &str, text: &str| ChatChunk {
            id: id.into(),
            choices: vec![Choice {
                index: Some(0),
                delta: Some(Delta {
                    content: Some(text.into()),
                }),
            }],
        };
        Ok(vec![chunk("1", "Hel"), chunk("2", "lo\nthere")])
    });
    let body = ChatRequest::builder()
        .model("m")
        .messages([Message::builder()
            .role("user")
            .content("hi")
            .build()
            .unwrap()]);
    let mut events = server.client().chat().completions(body).await.unwrap();
    let mut text = String::new();
    let within = std::time::Duration::from_secs(10);
    while let Some(event) = tokio::time::timeout(within, events.next())
        .await
        .expect("the stream ends within 10 s")
    {
        let event = event.unwrap();
        text.extend(
            event.data.choices[0]
                .delta
                .as_ref()
                .and_then(|d| d.content.clone()),
        );
    }
    // Both chunks, then `[DONE]` ended the stream.
    assert_eq!(text, "Hello\nthere");
    // The handler got the request as sent (checked here: a failed assertion inside a
    // handler would only drop the connection).
    let requests = server.requests::<sse::mock::ChatCompletionsRequest>();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body.model, "m");

    let server = files::mock::MockServer::start().await;
    server
        .files()
        .download_file(|request| async move { Ok(format!("bytes of {}", request.id).into()) });
    let stream = server.client().files().download_file("a1").await.unwrap();
    assert_eq!(&stream.bytes().await.unwrap()[..], b"bytes of a1");
}
