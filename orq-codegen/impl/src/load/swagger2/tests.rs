//! Unit tests of the Swagger 2.0 conversion: each part of the mapping, and where each
//! converted part is recorded as coming from.

use super::*;
use serde_json::json;
use std::path::Path;

fn converted(doc: Value) -> (Value, Moves, Vec<String>) {
    let mut diags = Diagnostics::new(Path::new("t.yaml"));
    let (doc, moves) = convert(doc, &mut diags);
    let problems = diags.into_vec().iter().map(|d| d.to_string()).collect();
    (doc, moves, problems)
}

fn swagger(rest: Value) -> Value {
    let mut doc = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}});
    if let (Value::Object(doc), Value::Object(rest)) = (&mut doc, rest) {
        doc.extend(rest);
    }
    doc
}

#[test]
fn servers_come_from_host_base_path_and_schemes() {
    let (doc, moves, _) = converted(swagger(json!({
        "host": "api.example.com", "basePath": "/v1", "schemes": ["https", "http"], "paths": {}
    })));
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(
        doc["servers"],
        json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
    );
    assert_eq!(moves.back("#/servers/1/url"), "#/host");
    let (doc, ..) = converted(swagger(json!({"host": "h.io", "paths": {}})));
    assert_eq!(doc["servers"], json!([{"url": "https://h.io"}]));
    let (doc, ..) = converted(swagger(json!({"basePath": "/api", "paths": {}})));
    assert_eq!(doc["servers"], json!([{"url": "/api"}]));
    let (doc, ..) = converted(swagger(json!({"paths": {}})));
    assert!(doc.get("servers").is_none());
}

#[test]
fn parameters_get_schemas_styles_and_their_places_are_recorded() {
    let (doc, moves, problems) = converted(swagger(json!({
        "paths": {"/pets/{ids}": {
            "parameters": [{"name": "ids", "in": "path", "required": true, "type": "array", "items": {"type": "integer"}, "collectionFormat": "pipes"}],
            "get": {"parameters": [
                {"name": "tags", "in": "query", "type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                {"name": "kinds", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                {"name": "words", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "ssv"},
                {"name": "tabs", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
                {"name": "X-Trace", "in": "header", "type": "string", "maxLength": 40, "x-nullable": true},
                {"$ref": "#/parameters/limit"}
            ], "responses": {"204": {"description": "none"}}}
        }},
        "parameters": {"limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 100}}
    })));
    let item = &doc["paths"]["/pets/{ids}"];
    assert_eq!(
        item["parameters"][0],
        json!({"name": "ids", "in": "path", "required": true, "explode": false,
               "schema": {"type": "array", "items": {"type": "integer"}}})
    );
    let params = &item["get"]["parameters"];
    assert_eq!(params[0]["style"], "form");
    assert_eq!(params[0]["explode"], false);
    assert_eq!(params[0]["schema"]["items"]["enum"], json!(["a", "b"]));
    assert_eq!(
        (&params[1]["style"], &params[1]["explode"]),
        (&json!("form"), &json!(true))
    );
    assert_eq!(params[2]["style"], "spaceDelimited");
    assert_eq!(
        (&params[3]["style"], &params[3]["explode"]),
        (&json!("form"), &json!(false))
    );
    assert_eq!(
        params[4]["schema"],
        json!({"type": "string", "maxLength": 40, "nullable": true})
    );
    assert_eq!(params[5], json!({"$ref": "#/components/parameters/limit"}));
    assert_eq!(
        doc["components"]["parameters"]["limit"]["schema"],
        json!({"type": "integer", "maximum": 100})
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("~1pets~1{ids}/parameters/0/collectionFormat: `collectionFormat: pipes` has no OpenAPI 3 equivalent in a path parameter"), "{problems:#?}");
    assert!(
        problems[1].contains("get/parameters/3/collectionFormat: `collectionFormat: tsv`"),
        "{problems:#?}"
    );
    assert_eq!(
        moves.back("#/paths/~1pets~1{ids}/get/parameters/4/schema/maxLength"),
        "#/paths/~1pets~1{ids}/get/parameters/4/maxLength"
    );
    assert_eq!(
        moves.back("#/components/parameters/limit/schema/maximum"),
        "#/parameters/limit/maximum"
    );
}

#[test]
fn body_and_form_parameters_become_request_bodies() {
    let (doc, moves, problems) = converted(swagger(json!({
        "consumes": ["application/json", "application/xml"],
        "paths": {
            "/pets": {"post": {
                "parameters": [
                    {"name": "id", "in": "query", "type": "string"},
                    {"name": "pet", "in": "body", "required": true, "description": "the pet", "schema": {"$ref": "#/definitions/Pet"}}
                ],
                "responses": {"201": {"description": "created"}}
            }, "put": {
                "parameters": [{"$ref": "#/parameters/petBody"}],
                "responses": {"204": {"description": "done"}}
            }},
            "/pets/{id}/photo": {"post": {
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "caption", "in": "formData", "type": "string", "required": true},
                    {"name": "file", "in": "formData", "type": "file", "required": true},
                    {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}}
                ],
                "responses": {"204": {"description": "done"}}
            }},
            "/login": {"post": {
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [{"name": "user", "in": "formData", "type": "string"}],
                "responses": {"204": {"description": "done"}}
            }}
        },
        "parameters": {"petBody": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}},
        "definitions": {"Pet": {"type": "object", "properties": {"photo": {"type": "file"}, "name": {"type": "string", "x-nullable": true}}, "discriminator": "kind"}}
    })));
    assert!(problems.is_empty(), "{problems:#?}");
    let post = &doc["paths"]["/pets"]["post"];
    assert_eq!(post["parameters"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        post["requestBody"],
        json!({"description": "the pet", "required": true, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
            "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}
        }})
    );
    assert_eq!(
        doc["paths"]["/pets"]["put"]["requestBody"],
        json!({"$ref": "#/components/requestBodies/petBody"})
    );
    assert!(
        doc["components"]["requestBodies"]["petBody"]["content"]["application/json"].is_object()
    );
    assert!(doc["components"].get("parameters").is_none());
    let photo = &doc["paths"]["/pets/{id}/photo"]["post"]["requestBody"];
    assert_eq!(photo["required"], true);
    let form = &photo["content"]["multipart/form-data"];
    assert_eq!(
        form["schema"],
        json!({"type": "object", "required": ["caption", "file"], "properties": {
            "caption": {"type": "string"},
            "file": {"type": "string", "format": "binary"},
            "tags": {"type": "array", "items": {"type": "string"}}
        }})
    );
    assert_eq!(
        form["encoding"]["tags"],
        json!({"style": "form", "explode": false})
    );
    let login = &doc["paths"]["/login"]["post"]["requestBody"]["content"];
    assert!(login["application/x-www-form-urlencoded"]["schema"]["properties"]["user"].is_object());
    let pet = &doc["components"]["schemas"]["Pet"];
    assert_eq!(
        pet["properties"]["photo"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        pet["properties"]["name"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(
        moves.back("#/paths/~1pets/post/requestBody/content/application~1xml/schema"),
        "#/paths/~1pets/post/parameters/1/schema"
    );
    assert_eq!(
        moves.back("#/paths/~1pets~1{id}~1photo/post/requestBody/content/multipart~1form-data/schema/properties/file/type"),
        "#/paths/~1pets~1{id}~1photo/post/parameters/1/type"
    );
    assert_eq!(
        moves.back("#/components/schemas/Pet/properties/name"),
        "#/definitions/Pet/properties/name"
    );
}

#[test]
fn responses_get_content_per_produces_with_examples_and_header_schemas() {
    let (doc, moves, _) = converted(swagger(json!({
        "produces": ["application/json"],
        "paths": {"/pets": {"get": {
            "produces": ["application/json", "text/csv"],
            "responses": {
                "200": {
                    "description": "the pets",
                    "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                    "headers": {"X-Next": {"type": "string", "description": "the next page"}},
                    "examples": {"application/json": [{"name": "Rex"}]}
                },
                "default": {"$ref": "#/responses/Error"}
            }
        }}, "/pets/{id}/photo": {"get": {
            "produces": [],
            "responses": {"200": {"description": "the photo", "schema": {"type": "file"}}}
        }}},
        "responses": {"Error": {"description": "failed", "schema": {"$ref": "#/definitions/Error"}}},
        "definitions": {"Pet": {"type": "object"}, "Error": {"type": "object"}}
    })));
    let ok = &doc["paths"]["/pets"]["get"]["responses"]["200"];
    assert_eq!(
        ok["content"]["application/json"]["example"],
        json!([{"name": "Rex"}])
    );
    assert_eq!(
        ok["content"]["text/csv"]["schema"]["items"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    assert_eq!(
        ok["headers"]["X-Next"],
        json!({"description": "the next page", "schema": {"type": "string"}})
    );
    assert_eq!(
        doc["paths"]["/pets"]["get"]["responses"]["default"],
        json!({"$ref": "#/components/responses/Error"})
    );
    assert_eq!(
        doc["components"]["responses"]["Error"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Error"})
    );
    let photo = &doc["paths"]["/pets/{id}/photo"]["get"]["responses"]["200"]["content"];
    assert_eq!(
        photo["application/octet-stream"]["schema"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        moves.back("#/paths/~1pets/get/responses/200/content/text~1csv/schema/items"),
        "#/paths/~1pets/get/responses/200/schema/items"
    );
    assert_eq!(
        moves.back("#/components/responses/Error/content/application~1json/schema"),
        "#/responses/Error/schema"
    );
}

#[test]
fn security_definitions_become_security_schemes() {
    let (doc, moves, _) = converted(swagger(json!({
        "paths": {},
        "securityDefinitions": {
            "basic": {"type": "basic", "description": "user and password"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a/auth", "scopes": {"read": "read"}},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token", "scopes": {}},
            "machine": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token"},
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"write": "write"}}
        },
        "security": [{"key": []}]
    })));
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(
        schemes["basic"],
        json!({"description": "user and password", "type": "http", "scheme": "basic"})
    );
    assert_eq!(
        schemes["key"],
        json!({"type": "apiKey", "name": "X-Key", "in": "header"})
    );
    assert_eq!(
        schemes["implicit"]["flows"],
        json!({"implicit": {"authorizationUrl": "https://a/auth", "scopes": {"read": "read"}}})
    );
    assert_eq!(
        schemes["password"]["flows"]["password"]["tokenUrl"],
        "https://a/token"
    );
    assert_eq!(
        schemes["machine"]["flows"],
        json!({"clientCredentials": {"tokenUrl": "https://a/token", "scopes": {}}})
    );
    assert_eq!(
        schemes["code"]["flows"]["authorizationCode"],
        json!({"authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"write": "write"}})
    );
    assert_eq!(doc["security"], json!([{"key": []}]));
    assert_eq!(
        moves.back("#/components/securitySchemes/code"),
        "#/securityDefinitions/code"
    );
}

#[test]
fn nullable_references_lists_and_maps_by_reference_and_wrong_shapes_are_kept() {
    let (doc, moves, _) = converted(swagger(json!({
        "x-shared": {
            "paging": [{"name": "page", "in": "query", "type": "integer"}],
            "answers": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}}
        },
        "paths": {
            "/a": {"get": {"parameters": {"$ref": "#/x-shared/paging"}, "responses": {"$ref": "#/x-shared/answers"}}},
            "/b": {"get": {"parameters": 3, "responses": {"204": {"description": "none"}}}}
        },
        "definitions": {
            "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/definitions/Owner", "x-nullable": true}}},
            "Owner": {"type": "object"}
        }
    })));
    let a = &doc["paths"]["/a"]["get"];
    assert_eq!(a["parameters"][0]["schema"], json!({"type": "integer"}));
    assert_eq!(
        a["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    assert_eq!(
        moves.back("#/paths/~1a/get/parameters/0/schema/type"),
        "#/x-shared/paging/0/type"
    );
    assert_eq!(
        moves.back("#/paths/~1a/get/responses/200/content/application~1json/schema"),
        "#/x-shared/answers/200/schema"
    );
    // Not a list: left for the 3.0 reading to report where it is.
    assert_eq!(doc["paths"]["/b"]["get"]["parameters"], json!(3));
    assert_eq!(
        doc["components"]["schemas"]["Pet"]["properties"]["owner"],
        json!({"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true})
    );
}
