//! Swagger 2.0 documents, converted to the 3.0 model when they are read: the SDKs of
//! `tests/fixtures/swagger2/bookshop.yaml` (every 2.0 construct a client needs) and of
//! the 2.0 document split over files `tests/fixtures/swagger2/multifile/` compile under
//! `#![deny(warnings)]`, are snapshotted, and put on the wire what the 2.0 document
//! describes: servers from `host`/`basePath`/`schemes`, JSON bodies from body parameters,
//! forms and multipart files from form parameters, each `collectionFormat`, and basic,
//! API key and OAuth2 credentials.

#[deny(warnings)]
#[allow(dead_code)]
mod bookshop {
    orq_codegen::generate!(
        spec = "fixtures/swagger2/bookshop.yaml",
        client = "Bookshop"
    );
}

#[deny(warnings)]
#[allow(dead_code)]
mod inventory {
    orq_codegen::generate!(
        spec = "fixtures/swagger2/multifile/swagger.yaml",
        client = "Inventory"
    );
}

use std::path::Path;

use bookshop::models::{Book, LoginRequestBody, ReplaceBookRequestBody, UploadCoverRequestBody};
use orq_runtime::{ClientCredentials, FilePart, OptionalNullable};
use orq_tests::{Recorder, Reply};
use serde_json::json;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/swagger2")
        .join(name)
}

#[test]
fn the_sdks_of_swagger_2_documents_are_snapshotted() {
    insta::assert_snapshot!(
        "swagger2_bookshop",
        orq_tests::generated_text(&fixture("bookshop.yaml"), "Bookshop")
    );
    insta::assert_snapshot!(
        "swagger2_multifile",
        orq_tests::generated_text(&fixture("multifile/swagger.yaml"), "Inventory")
    );
}

#[test]
fn the_fixtures_convert_without_a_diagnostic() {
    for (file, expected) in [("bookshop.yaml", 0), ("multifile/swagger.yaml", 0)] {
        let found =
            orq_codegen_impl::expand_file(&fixture(file), &orq_codegen_impl::Settings::new())
                .diagnostics;
        assert_eq!(found.len(), expected, "{file}: {found:#?}");
    }
}

#[test]
fn servers_come_from_host_base_path_and_schemes() {
    assert_eq!(
        bookshop::Bookshop::DEFAULT_SERVER_URL,
        "https://books.example.com/v2"
    );
    assert_eq!(
        bookshop::Bookshop::SERVERS,
        [
            "https://books.example.com/v2",
            "http://books.example.com/v2"
        ]
    );
    assert_eq!(
        inventory::Inventory::DEFAULT_SERVER_URL,
        "https://inventory.example.com/api"
    );
}

async fn shop(replies: Vec<Reply>) -> (Recorder, bookshop::Bookshop) {
    let server = Recorder::start(replies, None).await;
    let client = bookshop::Bookshop::builder()
        .server_url(server.url())
        .api_key("key-1")
        .basic("staff", "s3cret")
        .oauth2(
            ClientCredentials::new("app", "app-secret")
                .token_url(format!("{}/oauth/token", server.url())),
        )
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn query_arrays_follow_their_collection_format_and_headers_come_back() {
    let page = Reply::json(
        200,
        json!([
            {"id": 1, "title": "Dune", "subtitle": null, "author": {"name": "Frank Herbert", "born": "1920-10-08"}},
            {"id": 2, "title": "Beowulf", "author": null}
        ]),
    )
    .header("x-total-count", "41");
    let found = Reply::json(200, json!([]));
    let (server, client) = shop(vec![page, found]).await;
    let response = client
        .books()
        .list_books()
        .tags(vec!["sf".to_string(), "classic".into()])
        .authors(vec!["Herbert".to_string(), "Le Guin".into()])
        .limit(10)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.headers().get("x-total-count").unwrap(), "41");
    let books: &Vec<Book> = &response;
    assert_eq!(books[0].title, "Dune");
    // `x-nullable`: null and absent stay apart.
    assert_eq!(books[0].subtitle, OptionalNullable::Null);
    assert_eq!(
        books[0]
            .author
            .as_value()
            .and_then(|a| a.born)
            .map(|d| d.to_string()),
        Some("1920-10-08".to_string())
    );
    // A nullable `$ref` (`x-nullable` next to it) is the referenced model, nullable.
    assert_eq!(books[1].author, OptionalNullable::Null);
    client
        .books()
        .search(vec!["space opera".to_string(), "dune".into()])
        .isbns(vec!["978-0441013593".to_string(), "978-0441172719".into()])
        .await
        .unwrap();
    let sent = server.requests();
    // csv (the default) is one comma-separated value, multi one pair per value.
    assert_eq!(
        sent[0].uri,
        "/books?tags=sf%2Cclassic&authors=Herbert&authors=Le%20Guin&limit=10"
    );
    assert_eq!(sent[0].header("x-api-key"), "key-1");
    // ssv and pipes.
    assert_eq!(
        sent[1].uri,
        "/search?words=space%20opera%20dune&isbns=978-0441013593%7C978-0441172719"
    );
}

#[tokio::test]
async fn a_body_parameter_is_a_json_body_and_oauth2_fetches_its_token() {
    let token = Reply::json(
        200,
        json!({"access_token": "t-1", "token_type": "bearer", "expires_in": 3600}),
    );
    let created = Reply::json(201, json!({"id": 7, "title": "Solaris"}));
    let replaced = Reply {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    };
    let (server, client) = shop(vec![token, created, replaced]).await;
    let book = Book::builder()
        .title("Solaris")
        .subtitle(OptionalNullable::Null)
        .build()
        .unwrap();
    let added = client.books().add_book(book).await.unwrap();
    assert_eq!(added.id, Some(7));
    let body = ReplaceBookRequestBody::builder()
        .title("Solaris")
        .subtitle("a novel")
        .build()
        .unwrap();
    client.books().replace_book(7, body).await.unwrap();
    let sent = server.requests();
    assert_eq!(sent[0].uri, "/oauth/token");
    assert!(
        String::from_utf8_lossy(&sent[0].body).contains("scope=books%3Awrite"),
        "{:?}",
        sent[0].body
    );
    assert_eq!(sent[1].uri, "/books");
    assert_eq!(sent[1].header("authorization"), "Bearer t-1");
    assert_eq!(
        sent[1].json(),
        json!({"title": "Solaris", "subtitle": null})
    );
    assert_eq!(sent[2].uri, "/books/7");
    assert_eq!(sent[2].method, "PUT");
    assert_eq!(
        sent[2].json(),
        json!({"title": "Solaris", "subtitle": "a novel"})
    );
}

#[tokio::test]
async fn form_parameters_are_a_form_or_multipart_with_a_file() {
    let session = Reply::json(200, json!({"token": "s-1"}));
    let stored = Reply {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    };
    let cover = Reply {
        status: 200,
        headers: vec![("content-type".into(), "image/png".into())],
        body: vec![0x89, b'P', b'N', b'G'],
    };
    let (server, client) = shop(vec![session, stored, cover]).await;
    let login = LoginRequestBody::builder()
        .user("ann")
        .password("p&ss word")
        .remember(true)
        .build()
        .unwrap();
    let session = client.account().login(login).await.unwrap();
    assert_eq!(session.token, "s-1");
    let upload = UploadCoverRequestBody::builder()
        .image(FilePart::new(vec![0x89, b'P', b'N', b'G']).file_name("cover.png"))
        .caption("First edition")
        .build()
        .unwrap();
    client.books().upload_cover(7, upload).await.unwrap();
    let png = client.books().get_cover(7).await.unwrap();
    assert_eq!(png.bytes().await.unwrap().as_ref(), b"\x89PNG");
    let sent = server.requests();
    assert_eq!(
        sent[0].header("content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8_lossy(&sent[0].body),
        "user=ann&password=p%26ss+word&remember=true"
    );
    // `security: []`: no credentials on the login.
    assert!(sent[0].headers.get("x-api-key").is_none());
    assert!(
        sent[1]
            .header("content-type")
            .starts_with("multipart/form-data; boundary=")
    );
    let multipart = String::from_utf8_lossy(&sent[1].body);
    assert!(
        multipart.contains("name=\"image\"; filename=\"cover.png\""),
        "{multipart}"
    );
    assert!(multipart.contains("First edition"), "{multipart}");
    // Basic credentials for the staff-only upload.
    assert_eq!(sent[1].header("authorization"), "Basic c3RhZmY6czNjcmV0");
}

#[tokio::test]
async fn a_swagger_2_document_in_several_files_reaches_the_wire() {
    let items = Reply::json(200, json!([{"id": "a1", "name": "bolt", "stock": null}]));
    let problem = Reply::json(409, json!({"title": "exists", "detail": "bolt is listed"}));
    let labelled = Reply {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    };
    let server = Recorder::start(vec![items, problem, labelled], None).await;
    let client = inventory::Inventory::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let listed = client.list_items().page(2).await.unwrap();
    assert_eq!(listed[0].stock, OptionalNullable::Null);
    let item = inventory::models::NewItem::builder()
        .name("bolt")
        .stock(3)
        .build()
        .unwrap();
    let err = client.add_item(item).await.unwrap_err();
    match err.api_error::<inventory::requests::AddItem>() {
        Some(inventory::requests::AddItemError::Other(problem)) => {
            assert_eq!(problem.detail.as_deref(), Some("bolt is listed"))
        }
        other => panic!("{other:?}"),
    }
    let too_long = inventory::models::SetLabelRequestBody::builder()
        .label("x".repeat(33))
        .build();
    assert!(
        too_long.is_err(),
        "the form parameter's maxLength came along"
    );
    let label = inventory::models::SetLabelRequestBody::builder()
        .label("aisle 4")
        .build()
        .unwrap();
    client.set_label("a1", label).await.unwrap();
    let sent = server.requests();
    assert_eq!(sent[0].uri, "/items?page=2");
    assert_eq!(sent[1].json(), json!({"name": "bolt", "stock": 3}));
    assert_eq!(sent[2].uri, "/items/a1/label");
    assert_eq!(String::from_utf8_lossy(&sent[2].body), "label=aisle+4");
}
