//! Every body kind on the wire: multipart, form-urlencoded, text, octet-stream, several
//! 2xx responses as an enum, `application/problem+json` errors.

#[deny(warnings)]
#[allow(dead_code)]
mod bodies {
    orq_codegen::generate!(spec = "fixtures/bodies.yaml", client = "Bodies");
}

use bodies::models::{ExchangeTokenRequestBody, UploadFileRequestBody};
use bodies::requests::JobsGetJobResponse;
use orq_runtime::FilePart;
use orq_tests::{Recorder, Reply};
use serde_json::json;

async fn client(replies: Vec<Reply>) -> (Recorder, bodies::Bodies) {
    let server = Recorder::start(replies, None).await;
    let client = bodies::Bodies::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    (server, client)
}

/// The model's properties in document order, the file part with its name and type.
#[tokio::test]
async fn multipart_upload() {
    let (server, client) = client(vec![Reply::json(201, json!({"id": 7, "title": "a.txt"}))]).await;
    let form = UploadFileRequestBody::builder()
        .file(
            FilePart::new("hello")
                .file_name("a.txt")
                .content_type("text/plain"),
        )
        .title("a.txt")
        .build()
        .unwrap();
    let info = client.files().upload_file(42, form).await.unwrap();
    assert_eq!(info.id, Some(7));
    let sent = &server.requests()[0];
    assert_eq!(sent.uri, "/files/42/upload");
    let content_type = sent.header("content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart content type");
    let body = String::from_utf8(sent.body.to_vec()).unwrap();
    assert_eq!(
        body,
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"File\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"Title\"\r\n\r\na.txt\r\n--{boundary}--\r\n"
        )
    );
}

#[tokio::test]
async fn form_urlencoded() {
    let (server, client) = client(vec![Reply::json(200, json!({"access_token": "t"}))]).await;
    let body = ExchangeTokenRequestBody::builder()
        .grant_type("client_credentials")
        .scope(vec!["read".to_string(), "write all".to_string()])
        .build()
        .unwrap();
    let token = client.auth().exchange_token(body).await.unwrap();
    assert_eq!(token.access_token.as_deref(), Some("t"));
    let sent = &server.requests()[0];
    assert_eq!(
        sent.header("content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(&sent.body).unwrap(),
        "grant_type=client_credentials&scope=read&scope=write+all"
    );
}

#[tokio::test]
async fn text_and_octet_stream() {
    let (server, client) = client(vec![
        Reply::text(200, "stored"),
        Reply::text(200, "\u{0}\u{1}").header("content-type", "application/octet-stream"),
    ])
    .await;
    let text = client.notes().put_note("n1", "hello world").await.unwrap();
    assert_eq!(text, "stored");
    let bytes = client
        .blobs()
        .put_blob("b1")
        .body(orq_runtime::Body::from(&[0u8, 1, 2]))
        .await
        .unwrap();
    assert_eq!(bytes.bytes().await.unwrap().to_vec(), vec![0u8, 1]);
    let requests = server.requests();
    assert_eq!(requests[0].header("content-type"), "text/plain");
    assert_eq!(
        std::str::from_utf8(&requests[0].body).unwrap(),
        "hello world"
    );
    assert_eq!(
        requests[1].header("content-type"),
        "application/octet-stream"
    );
    assert_eq!(requests[1].body.to_vec(), vec![0u8, 1, 2]);
}

#[tokio::test]
async fn several_success_statuses_are_an_enum_and_problem_json_is_parsed() {
    let problem = Reply::json(404, json!({"title": "gone", "status": 404}))
        .header("content-type", "application/problem+json");
    let (_server, client) = client(vec![
        Reply::json(200, json!({"id": 1})),
        Reply::json(202, json!({"progress": 40})),
        Reply::text(204, ""),
        problem,
    ])
    .await;
    let jobs = client.jobs();
    assert!(
        matches!(jobs.get_job("1").await.unwrap(), JobsGetJobResponse::Status200(info) if info.id == Some(1))
    );
    assert!(
        matches!(jobs.get_job("1").await.unwrap(), JobsGetJobResponse::Status202(p) if p.progress == Some(40))
    );
    assert_eq!(
        jobs.get_job("1").await.unwrap(),
        JobsGetJobResponse::Status204
    );
    let err = jobs.get_job("1").await.unwrap_err();
    assert_eq!(
        err.api_error::<bodies::requests::JobsGetJob>()
            .and_then(|bodies::requests::JobsGetJobError::Status404(p)| p.title.clone())
            .as_deref(),
        Some("gone")
    );
}
