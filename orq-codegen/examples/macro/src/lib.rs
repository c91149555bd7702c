//! Another API's SDK, expanded by `orq_codegen::generate!` in this crate.
//!
//! The crate depends on `orq-runtime` (what the generated code calls) and `orq-codegen`
//! (the macro) only: it never compiles the orq Contacts SDK of `orq-client`.
//! `tests/tests/dependencies.rs` checks that with `cargo tree`.

/// The petstore fixture's SDK.
pub mod petstore {
    orq_codegen::generate!(
        spec = "../../../tests/fixtures/petstore.yaml",
        client = "Petstore"
    );
}

#[cfg(test)]
mod tests {
    use super::petstore::{Petstore, models::PetStatus};
    use axum::Json;
    use axum::routing::get;
    use serde_json::json;

    /// The generated client talks to a real server on 127.0.0.1.
    #[tokio::test]
    async fn lists_pets_from_a_local_server() {
        let app = axum::Router::new().route(
            "/v1/pets",
            get(|| async { Json(json!([{"id": 7, "name": "rex", "status": "available"}])) }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/v1", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });

        let client = Petstore::builder()
            .server_url(base)
            .api_key("secret")
            .build()
            .unwrap();
        let pets = client.pets().list().limit(10).await.unwrap();
        assert_eq!(pets[0].name, "rex");
        assert_eq!(pets[0].status, Some(PetStatus::Available.into()));
    }
}
