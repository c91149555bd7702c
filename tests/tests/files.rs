//! Binary bodies as streams and typed multipart forms, on the wire: downloads read as
//! they arrive (to a file, bounded `bytes()`, a connection cut mid-body), uploads from
//! a file or a stream (and which of them a 503 retries), and multipart models checked
//! by axum's `Multipart` extractor.

#[deny(warnings)]
#[allow(dead_code)]
mod files {
    orq_codegen::generate!(spec = "fixtures/files.yaml", client = "Files");
}

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Multipart as AxumMultipart, State};
use axum::routing::post;
use files::models::{NewDocument, NewDocumentAuthor, NewDocumentRevisionsItem};
use futures_util::StreamExt;
use orq_runtime::{BackoffConfig, Body, Error, FilePart, Multipart, RetryConfig};
use orq_tests::{Recorder, Reply};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MIB: usize = 1024 * 1024;

fn fast_retry() -> RetryConfig {
    RetryConfig::backoff(BackoffConfig {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        exponent: 1.5,
        max_elapsed_time: Duration::from_secs(5),
    })
}

fn client(url: &str) -> files::Files {
    files::Files::builder()
        .server_url(url)
        .retry(fast_retry())
        .build()
        .unwrap()
}

/// 5 MiB of a repeating pattern (so an offset error shows).
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn binary_reply(body: Vec<u8>) -> Reply {
    Reply {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/octet-stream".into()),
            ("x-file-version".into(), "7".into()),
        ],
        body,
    }
}

/// The names in `dir`, sorted.
fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_download_streams_to_a_file_past_the_response_limit() {
    let body = pattern(5 * MIB);
    let server = Recorder::start(vec![binary_reply(body.clone())], None).await;
    // A 1 MiB response limit: a body read whole (5 MiB) would be refused.
    let client = files::Files::builder()
        .server_url(server.url())
        .max_response_bytes(MIB as u64)
        .build()
        .unwrap();
    let download = client.files().download_file("a").await.unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["x-file-version"], "7");
    assert_eq!(download.content_length(), Some(body.len() as u64));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.bin");
    let written = download.save(&path).await.unwrap();
    assert_eq!(written, body.len() as u64);
    assert!(std::fs::read(&path).unwrap() == body, "the file differs");
    assert_eq!(entries(dir.path()), ["a.bin"]);
    assert_eq!(server.requests()[0].uri, "/files/a/content");
}

#[tokio::test]
async fn a_503_before_the_headers_of_a_download_is_retried() {
    let unavailable = Reply::json(503, json!({"title": "busy"}));
    let server = Recorder::start(vec![unavailable, binary_reply(pattern(1000))], None).await;
    let download = client(&server.url())
        .files()
        .download_file("a")
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap().to_vec(), pattern(1000));
    assert_eq!(server.requests().len(), 2);
}

/// A raw server that sends the first `first` bytes of `body`, then the rest once `more`
/// is notified (a client that waits for the whole body before handing out a chunk
/// never gets one).
async fn handshake_server(body: Vec<u8>, first: usize) -> (String, Arc<tokio::sync::Notify>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let more = Arc::new(tokio::sync::Notify::new());
    let wait = more.clone();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(&body[..first]).await.unwrap();
        wait.notified().await;
        socket.write_all(&body[first..]).await.unwrap();
        let _ = socket.shutdown().await;
    });
    (base, more)
}

#[tokio::test]
async fn a_download_is_a_stream_of_chunks_handed_out_as_they_arrive() {
    let body = pattern(MIB);
    let (base, more) = handshake_server(body.clone(), 1000).await;
    let within = Duration::from_secs(10);
    let client = client(&base);
    let mut stream = tokio::time::timeout(within, client.files().download_file("a"))
        .await
        .expect("the stream is handed out with the headers")
        .unwrap();
    let mut read = Vec::new();
    // The first bytes arrive before the server sends the rest.
    while read.is_empty() {
        let chunk = tokio::time::timeout(within, stream.next())
            .await
            .expect("a chunk is handed out before the whole body has arrived");
        read.extend_from_slice(&chunk.unwrap().unwrap());
    }
    assert!(read.len() <= 1000, "{} bytes", read.len());
    more.notify_one();
    while let Some(chunk) = tokio::time::timeout(within, stream.next()).await.unwrap() {
        read.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(stream.received(), body.len() as u64);
    assert!(read == body);
}

#[tokio::test]
async fn bytes_reads_a_download_whole_within_the_limit() {
    let body = pattern(MIB);
    let server = Recorder::start(vec![binary_reply(body.clone())], None).await;
    let whole = client(&server.url())
        .files()
        .download_file("a")
        .await
        .unwrap()
        .bytes()
        .await;
    assert!(whole.unwrap() == body);
}

#[tokio::test]
async fn bytes_over_the_response_limit_is_refused_with_status_and_headers() {
    let server = Recorder::start(vec![binary_reply(pattern(2 * MIB))], None).await;
    let client = files::Files::builder()
        .server_url(server.url())
        .max_response_bytes(MIB as u64)
        .build()
        .unwrap();
    let download = client.files().download_file("a").await.unwrap();
    let error = download.bytes().await.unwrap_err();
    let Error::ResponseTooLarge {
        status,
        headers,
        limit,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((status.as_u16(), *limit), (200, MIB as u64));
    assert_eq!(headers["x-file-version"], "7");
}

#[tokio::test]
async fn an_error_status_is_an_api_error_with_the_body() {
    let server = Recorder::start(vec![Reply::json(404, json!({"title": "gone"}))], None).await;
    let error = client(&server.url())
        .files()
        .download_file("a")
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        error.raw_body().map(|b| b.to_vec()),
        Some(br#"{"title":"gone"}"#.to_vec())
    );
    let Some(files::requests::FilesDownloadFileError::Status404(problem)) =
        error.api_error::<files::requests::FilesDownloadFile>()
    else {
        panic!("expected the declared 404 body, got {error:?}");
    };
    assert_eq!(problem.title.as_deref(), Some("gone"));
}

/// A raw server that announces 1000 bytes, sends 600 and closes.
async fn cut_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1000\r\n\r\n";
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&[b'x'; 600]).await;
                // FIN after the bytes, and the socket kept a moment, so no reset
                // discards what was sent.
                let _ = socket.shutdown().await;
                tokio::time::sleep(Duration::from_millis(200)).await;
            });
        }
    });
    base
}

#[tokio::test]
async fn a_connection_cut_mid_download_is_an_error_item_after_the_bytes_read() {
    let base = cut_server().await;
    let mut stream = client(&base).files().download_file("a").await.unwrap();
    let mut read = 0;
    let error = loop {
        match stream.next().await {
            Some(Ok(chunk)) => read += chunk.len(),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without an error after {read} bytes"),
        }
    };
    assert_eq!(read, 600, "{error:?}");
    let Error::Interrupted {
        received, status, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((*received, status.as_u16()), (600, 200));
    assert!(
        stream.next().await.is_none(),
        "the stream ends after the error"
    );
    // The same through `save`: the error, and no partial file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.bin");
    let download = client(&base).files().download_file("a").await.unwrap();
    let error = download.save(&path).await.unwrap_err();
    assert!(
        matches!(error, Error::Interrupted { received: 600, .. }),
        "{error:?}"
    );
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[tokio::test]
async fn a_failed_download_keeps_the_good_file_and_leaves_no_temporary_file() {
    let base = cut_server().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.bin");
    std::fs::write(&path, b"the good copy").unwrap();
    let download = client(&base).files().download_file("a").await.unwrap();
    let error = download.save(&path).await.unwrap_err();
    assert!(
        matches!(error, Error::Interrupted { received: 600, .. }),
        "{error:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"the good copy");
    assert_eq!(entries(dir.path()), ["report.bin"]);
    // A download that completes replaces it, and leaves nothing beside it.
    let server = Recorder::start(vec![binary_reply(pattern(1000))], None).await;
    let download = client(&server.url())
        .files()
        .download_file("a")
        .await
        .unwrap();
    assert_eq!(download.save(&path).await.unwrap(), 1000);
    assert!(std::fs::read(&path).unwrap() == pattern(1000));
    assert_eq!(entries(dir.path()), ["report.bin"]);
}

#[tokio::test]
async fn format_binary_under_any_media_type_is_a_byte_stream() {
    let server = Recorder::start(vec![binary_reply(vec![0xff, 0, 0x89])], None).await;
    let image = client(&server.url()).files().get_image("x").await.unwrap();
    assert_eq!(image.bytes().await.unwrap().to_vec(), vec![0xff, 0, 0x89]);
}

#[tokio::test]
async fn a_binary_variant_of_a_response_enum_is_read_whole() {
    use files::requests::FilesGetThumbnailResponse as Thumbnail;
    let accepted = Reply {
        status: 202,
        headers: Vec::new(),
        body: Vec::new(),
    };
    let server = Recorder::start(vec![binary_reply(vec![1, 2]), accepted], None).await;
    let client = client(&server.url());
    let thumbnail = client.files().get_thumbnail("a").await.unwrap();
    assert_eq!(thumbnail, Thumbnail::Status200(vec![1u8, 2].into()));
    let pending = client.files().get_thumbnail("a").await.unwrap();
    assert_eq!(pending, Thumbnail::Status202);
}

fn stored() -> Reply {
    Reply::json(200, json!({"size": 3}))
}

#[tokio::test]
async fn uploads_from_bytes_a_file_and_a_stream() {
    let server = Recorder::start(vec![stored(), stored(), stored()], None).await;
    let client = client(&server.url());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upload.bin");
    let content = pattern(3 * MIB);
    std::fs::write(&path, &content).unwrap();

    client
        .files()
        .upload_file("a", vec![1u8, 2, 3])
        .await
        .unwrap();
    client
        .files()
        .upload_file("b", Body::path(&path))
        .await
        .unwrap();
    let chunks = content
        .chunks(64 * 1024)
        .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
        .collect::<Vec<_>>();
    let stored = client
        .files()
        .upload_file("c", Body::stream(futures_util::stream::iter(chunks)))
        .await
        .unwrap();
    assert_eq!(stored.size, Some(3));

    let seen = server.requests();
    assert_eq!(seen[0].body.to_vec(), vec![1, 2, 3]);
    assert_eq!(seen[0].header("content-type"), "application/octet-stream");
    assert!(seen[1].body.to_vec() == content, "the file arrived changed");
    // A file's size is known: sent with a length, not chunked.
    assert_eq!(seen[1].header("content-length"), content.len().to_string());
    assert!(
        seen[2].body.to_vec() == content,
        "the stream arrived changed"
    );
    assert_eq!(seen[2].header("transfer-encoding"), "chunked");
}

#[tokio::test]
async fn an_open_file_uploads_from_its_cursor() {
    let server = Recorder::start(vec![stored()], None).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("open.bin");
    std::fs::write(&path, b"header:payload").unwrap();
    let mut file = tokio::fs::File::open(&path).await.unwrap();
    let mut skip = [0u8; 7];
    file.read_exact(&mut skip).await.unwrap();
    client(&server.url())
        .files()
        .upload_file("a", file)
        .await
        .unwrap();
    assert_eq!(server.requests()[0].body.to_vec(), b"payload".to_vec());
}

#[tokio::test]
async fn a_503_on_a_file_upload_is_retried_with_the_file_sent_again() {
    let unavailable = Reply::json(503, json!({"title": "busy"}));
    let server = Recorder::start(vec![unavailable, stored()], None).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("retry.bin");
    std::fs::write(&path, pattern(100_000)).unwrap();
    client(&server.url())
        .files()
        .upload_file("a", Body::path(&path))
        .await
        .unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|r| r.body.to_vec() == pattern(100_000)));
}

#[tokio::test]
async fn a_503_on_a_stream_upload_is_not_retried() {
    let unavailable = Reply::json(503, json!({"title": "busy"}));
    let server = Recorder::start(vec![unavailable, stored()], None).await;
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(b"once".to_vec())]);
    let error = client(&server.url())
        .files()
        .upload_file("a", Body::stream(chunks))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests().len(), 1, "a stream is sent once");
}

#[tokio::test]
async fn a_missing_upload_file_is_an_io_error_naming_it() {
    let server = Recorder::start(vec![stored()], None).await;
    let error = client(&server.url())
        .files()
        .upload_file("a", Body::path("/nonexistent/orq-upload.bin"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("orq-upload.bin"), "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_upload_by_path_refuses_what_is_not_a_regular_file() {
    let server = Recorder::start(vec![], Some(stored())).await;
    let client = client(&server.url());
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success(), "mkfifo");
    // A directory, a FIFO (opening it would wait for a writer), and a /proc file (its
    // size says 0, it holds text).
    for path in [dir.path().to_owned(), fifo, "/proc/self/status".into()] {
        let upload = client.files().upload_file("a", Body::path(&path));
        let error = tokio::time::timeout(Duration::from_secs(10), upload)
            .await
            .unwrap_or_else(|_| panic!("{}: the upload hangs", path.display()))
            .unwrap_err();
        assert!(
            matches!(error, Error::Io { .. }),
            "{}: {error:?}",
            path.display()
        );
        let message = error.to_string();
        assert!(message.contains("not a regular file"), "{message}");
        assert!(message.contains(&path.display().to_string()), "{message}");
    }
    assert!(server.requests().is_empty(), "nothing is sent");
}

/// A raw server for uploads: it reads the head and 64 KiB of the body, says so on
/// `paused`, waits for `resume`, then reads the rest of the body and answers 200.
async fn pausing_sink() -> (
    String,
    tokio::sync::oneshot::Receiver<()>,
    tokio::sync::oneshot::Sender<()>,
) {
    // A small receive buffer (no autotuning up to tens of MiB): while the server pauses,
    // the client can only have sent a few MiB of the file.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(64 * 1024).unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(16).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (paused_tx, paused_rx) = tokio::sync::oneshot::channel();
    let (resume_tx, resume_rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = vec![0u8; 64 * 1024];
        let mut read = 0;
        while read < 64 * 1024 {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => read += n,
            }
        }
        let _ = paused_tx.send(());
        let _ = resume_rx.await;
        loop {
            match tokio::time::timeout(Duration::from_millis(500), socket.read(&mut buffer)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => break,
            }
        }
        let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n{\"size\":3}";
        let _ = socket.write_all(reply.as_bytes()).await;
    });
    (base, paused_rx, resume_tx)
}

#[tokio::test]
async fn a_file_that_grows_or_shrinks_during_its_upload_fails_the_call() {
    let dir = tempfile::tempdir().unwrap();
    for grow in [true, false] {
        let path = dir
            .path()
            .join(if grow { "grows.bin" } else { "shrinks.bin" });
        // Far more than the socket buffers hold: most of it is still unread when the
        // server pauses.
        std::fs::write(&path, pattern(32 * MIB)).unwrap();
        let (base, paused, resume) = pausing_sink().await;
        let upload = tokio::spawn({
            let path = path.clone();
            async move {
                client(&base)
                    .files()
                    .upload_file("a", Body::path(&path))
                    .retries(RetryConfig::none())
                    .await
            }
        });
        paused.await.unwrap();
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        if grow {
            use std::io::Write;
            (&file).write_all(&pattern(MIB)).unwrap();
        } else {
            file.set_len(MIB as u64).unwrap();
        }
        resume.send(()).unwrap();
        let result = tokio::time::timeout(Duration::from_secs(20), upload)
            .await
            .expect("the upload ends")
            .unwrap();
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Io { .. }), "grow {grow}: {error:?}");
        let message = error.to_string();
        assert!(message.contains("changed while it was sent"), "{message}");
        assert!(message.contains(&path.display().to_string()), "{message}");
    }
}

/// One part as axum's `Multipart` extractor read it.
#[derive(Debug, PartialEq)]
struct SeenPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

type Seen = Arc<Mutex<Vec<Vec<SeenPart>>>>;

async fn parts(
    State(seen): State<Seen>,
    mut form: AxumMultipart,
) -> (axum::http::StatusCode, axum::Json<Value>) {
    let mut parts = Vec::new();
    while let Some(field) = form.next_field().await.unwrap() {
        parts.push(SeenPart {
            name: field.name().unwrap_or_default().to_owned(),
            file_name: field.file_name().map(str::to_owned),
            content_type: field.content_type().map(str::to_owned),
            data: field.bytes().await.unwrap().to_vec(),
        });
    }
    seen.lock().unwrap().push(parts);
    (
        axum::http::StatusCode::CREATED,
        axum::Json(json!({"size": 1})),
    )
}

async fn form_server() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/documents", post(parts))
        .route(
            "/documents/raw",
            post(|state, form| async move {
                let _ = parts(state, form).await;
                axum::http::StatusCode::NO_CONTENT
            }),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn part(name: &str, file: Option<&str>, content_type: Option<&str>, data: &[u8]) -> SeenPart {
    SeenPart {
        name: name.into(),
        file_name: file.map(Into::into),
        content_type: content_type.map(Into::into),
        data: data.to_vec(),
    }
}

#[tokio::test]
async fn a_multipart_model_sends_files_text_json_and_repeated_parts() {
    let (url, seen) = form_server().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.pdf");
    std::fs::write(&path, b"%PDF-1.7").unwrap();
    let document = NewDocument::builder()
        .file(FilePart::path(&path).content_type("application/pdf"))
        .preview(FilePart::new(vec![0x89, b'P']).file_name("p.png"))
        .attachments(vec![
            FilePart::new("one")
                .file_name("1.txt")
                .content_type("text/plain"),
            FilePart::new(b"two".to_vec()),
        ])
        .title("Report")
        .notes("# Notes")
        .pages(12)
        .tags(vec!["a".to_owned(), "b".to_owned()])
        .author(NewDocumentAuthor::builder().name("Ada").build().unwrap())
        .revisions(vec![
            NewDocumentRevisionsItem::builder()
                .number(1)
                .build()
                .unwrap(),
            NewDocumentRevisionsItem::builder()
                .number(2)
                .build()
                .unwrap(),
        ])
        .build()
        .unwrap();
    let stored = client(&url)
        .documents()
        .create_document(document)
        .await
        .unwrap();
    assert_eq!(stored.size, Some(1));
    let seen = seen.lock().unwrap();
    let json = Some("application/json");
    assert_eq!(
        seen[0],
        [
            // The path's file name; the caller's content type.
            part(
                "file",
                Some("scan.pdf"),
                Some("application/pdf"),
                b"%PDF-1.7"
            ),
            // No content type given: the spec's `encoding` for the property.
            part("preview", Some("p.png"), Some("image/png"), &[0x89, b'P']),
            part("attachments", Some("1.txt"), Some("text/plain"), b"one"),
            part(
                "attachments",
                Some("file"),
                Some("application/octet-stream"),
                b"two"
            ),
            part("title", None, None, b"Report"),
            part("notes", None, Some("text/markdown"), b"# Notes"),
            part("pages", None, None, b"12"),
            part("tags", None, None, b"a"),
            part("tags", None, None, b"b"),
            part("author", None, json, br#"{"name":"Ada"}"#),
            part("revisions", None, json, br#"{"number":1}"#),
            part("revisions", None, json, br#"{"number":2}"#),
        ]
    );
}

#[tokio::test]
async fn a_multipart_model_with_a_stream_file_is_sent_once() {
    let (url, seen) = form_server().await;
    let chunks = futures_util::stream::iter([
        Ok::<_, std::io::Error>(b"str".to_vec()),
        Ok(b"eamed".to_vec()),
    ]);
    let document = NewDocument::builder()
        .file(FilePart::new(Body::stream(chunks)).file_name("s.bin"))
        .title("S")
        .build()
        .unwrap();
    client(&url)
        .documents()
        .create_document(document)
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0],
        [
            part(
                "file",
                Some("s.bin"),
                Some("application/octet-stream"),
                b"streamed"
            ),
            part("title", None, None, b"S"),
        ]
    );
}

#[tokio::test]
async fn multipart_names_escape_quotes_backslashes_and_line_breaks() {
    let (url, seen) = form_server().await;
    let form = Multipart::new()
        .text("ends\\", "1")
        .text("q\"uote", "2")
        .text("two\r\nlines", "3")
        .text("last", "4");
    client(&url)
        .documents()
        .create_raw_document(form)
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    let names: Vec<&str> = seen[0].iter().map(|part| part.name.as_str()).collect();
    assert_eq!(names, ["ends%5C", "q%22uote", "two%0D%0Alines", "last"]);
}

#[tokio::test]
async fn a_free_form_multipart_schema_keeps_the_untyped_form() {
    let (url, seen) = form_server().await;
    let form = Multipart::new().text("kind", "raw").file(
        "blob",
        "b.bin",
        "application/x-thing",
        vec![7u8],
    );
    client(&url)
        .documents()
        .create_raw_document(form)
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0],
        [
            part("kind", None, None, b"raw"),
            part("blob", Some("b.bin"), Some("application/x-thing"), &[7]),
        ]
    );
}
