use super::*;

/// The surface of a YAML spec (client `Api`), places as pointers of the document.
pub(crate) fn surface_of(yaml: &str) -> Surface {
    let (api, settings) = crate::emit::test_ctx_parts(yaml);
    Surface::of(&api, &settings, &|ptr| ptr.to_string())
}

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Pets, version: "1.2"}
servers:
  - url: "https://{region}.example.com/v1"
    variables: {region: {default: eu, enum: [eu, us]}}
security: [{key: []}]
components:
  securitySchemes: {key: {type: apiKey, in: header, name: X-Key}}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1}
        tag: {type: string, nullable: true}
        status: {$ref: '#/components/schemas/Status'}
        id: {type: integer, format: int64, readOnly: true}
      additionalProperties: {type: integer}
    Status: {type: string, enum: [available, sold]}
    Tags: {type: array, items: {type: string}, maxItems: 3}
    Shape:
      oneOf: [{$ref: '#/components/schemas/Pet'}, {type: string}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: fields, in: query, explode: false, schema: {type: array, items: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        "404": {description: missing, content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}}
        default: {description: other}
  /pets:
    post:
      operationId: addPet
      tags: [pets]
      deprecated: true
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: '#/components/schemas/Pet'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Pet'}}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}}
        "202": {description: later}
  /health:
    get:
      operationId: health
      security: []
      responses: {"204": {description: fine}}
"##;

#[test]
fn operations_are_named_by_their_rust_paths_with_arguments_and_setters() {
    let surface = surface_of(SPEC);
    let paths: Vec<&str> = surface.operations.keys().map(String::as_str).collect();
    // An untagged operation is a method of the client itself.
    assert_eq!(
        paths,
        [
            "Api::health",
            "groups::Pets::add_pet",
            "groups::Pets::get_pet"
        ]
    );
    let get = &surface.operations["groups::Pets::get_pet"];
    assert_eq!(get.http, "GET /pets/{id}");
    assert_eq!(get.function, "funcs::pets_get_pet");
    assert_eq!(get.request, "requests::PetsGetPet");
    assert_eq!(get.output, "models::Pet");
    assert_eq!(get.security, ["api key `key` (header X-Key)"]);
    let (name, id) = &get.arguments[0];
    assert_eq!(
        (name.as_str(), id.ty.as_deref(), id.wire.as_str()),
        ("id", Some("String"), "path id")
    );
    assert_eq!(
        get.arguments[0].1.at,
        "#/paths/~1pets~1{id}/get/parameters/0"
    );
    assert_eq!(get.setters["fields"].wire, "query fields (not exploded)");
    assert_eq!(get.setters["fields"].ty.as_deref(), Some("Vec<String>"));
    assert_eq!(get.error_enum.as_deref(), Some("requests::PetsGetPetError"));
    let errors: Vec<(&str, &str, Option<&str>)> = get
        .errors
        .iter()
        .map(|(v, r)| (v.as_str(), r.status.as_str(), r.payload.as_deref()))
        .collect();
    assert_eq!(
        errors,
        [
            ("Other", "default", None),
            ("Status404", "404", Some("models::Shape"))
        ]
    );
    assert!(
        get.successes.is_empty(),
        "one success type: no response enum"
    );

    let add = &surface.operations["groups::Pets::add_pet"];
    assert!(add.deprecated);
    assert_eq!(add.arguments[0].0, "body");
    assert_eq!(add.arguments[0].1.wire, "body application/json");
    assert_eq!(add.setters["encode_as_form"].ty, None);
    assert_eq!(add.output, "requests::PetsAddPetResponse");
    let statuses: Vec<&str> = add.successes.keys().map(String::as_str).collect();
    assert_eq!(statuses, ["Status201", "Status202"]);
    assert_eq!(add.successes["Status202"].payload, None);

    assert_eq!(surface.operations["Api::health"].output, "()");
    assert!(surface.operations["Api::health"].security.is_empty());
}

#[test]
fn models_hold_what_users_see_of_each_kind() {
    let surface = surface_of(SPEC);
    let Model::Struct(pet) = &surface.models["Pet"] else {
        panic!("a struct")
    };
    assert!(pet.builder, "a request sends it");
    assert_eq!(pet.at, "#/components/schemas/Pet");
    let name = &pet.fields["name"];
    assert_eq!(
        (name.ty.as_str(), name.presence.as_str()),
        ("String", "required")
    );
    assert!(name.build_requires);
    assert_eq!(name.limits, ["Length: at least 1 character."]);
    assert_eq!(pet.fields["tag"].ty, "OptionalNullable<String>");
    assert_eq!(pet.fields["status"].ty, "Option<Open<models::Status>>");
    assert!(pet.fields["id"].read_only && !pet.fields["id"].build_requires);
    assert_eq!(
        pet.fields["additional_properties"].ty,
        "BTreeMap<String, i64>"
    );
    assert_eq!(pet.fields["additional_properties"].json, "*");

    let Model::Enum(status) = &surface.models["Status"] else {
        panic!("an enum")
    };
    assert_eq!(status.values["Available"], "available");
    let Model::Alias(tags) = &surface.models["Tags"] else {
        panic!("an alias")
    };
    assert_eq!(tags.ty, "Vec<String>");
    assert_eq!(tags.limits, ["Items: at most 3."]);
    let Model::Union(shape) = &surface.models["Shape"] else {
        panic!("a union")
    };
    let members: Vec<(&str, &str)> = shape
        .members
        .iter()
        .map(|(name, m)| (name.as_str(), m.ty.as_str()))
        .collect();
    assert_eq!(members, [("Pet", "models::Pet"), ("String", "String")]);
}

#[test]
fn the_client_has_its_servers_groups_and_credential() {
    let surface = surface_of(SPEC);
    assert_eq!(surface.client.name, "Api");
    assert_eq!(surface.client.credential, "api key");
    assert_eq!(surface.client.env_prefix, "API");
    assert_eq!(surface.client.default_server, "https://eu.example.com/v1");
    assert_eq!(surface.servers[0].allowed["region"], ["eu", "us"]);
    assert_eq!(surface.groups["pets"].type_path, "groups::Pets");
    assert_eq!(surface.client_item("pets"), "Api::pets");
}

#[test]
fn the_file_reads_back_exactly_and_is_the_same_each_time() {
    let surface = surface_of(SPEC);
    let text = file::render(&surface);
    assert_eq!(text, file::render(&surface_of(SPEC)), "deterministic");
    assert!(text.starts_with(file::HEADER));
    let back = file::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back, surface);
    // One item a line, each readable on its own.
    assert!(
        text.contains("\nfield models::Pet tag {\"type\":\"OptionalNullable<String>\",\"json\":\"tag\",\"presence\":\"optional, nullable\"}\n"),
        "{text}"
    );
    assert!(text.contains("\nargument groups::Pets::get_pet id {\"position\":0,\"type\":\"String\",\"wire\":\"path id\""), "{text}");
    assert!(
        text.contains("\nvalue models::Status Sold {\"wire\":\"sold\"}\n"),
        "{text}"
    );
}

#[test]
fn a_file_that_is_not_a_surface_is_refused_with_its_line() {
    let err = file::parse("hello\n").expect_err("no header");
    assert_eq!(err.line, 1);
    let err = file::parse("# orq-codegen API surface 99\n").expect_err("another format");
    assert!(err.message.contains("another version"), "{err}");
    let text = format!(
        "{}\nfield models::Pet name {{\"type\":\"String\"}}\n",
        file::HEADER
    );
    let err = file::parse(&text).expect_err("a field before its model");
    assert_eq!(err.line, 2);
    let text = format!("{}\nstruct models::Pet - {{not json\n", file::HEADER);
    assert!(
        file::parse(&text)
            .expect_err("bad JSON")
            .message
            .contains("do not read")
    );
    let text = format!("{}\nwidget Api - {{}}\n", file::HEADER);
    assert!(
        file::parse(&text)
            .expect_err("unknown kind")
            .message
            .contains("`widget`")
    );
}

#[test]
fn paging_streaming_and_retries_are_described() {
    let surface = surface_of(
        r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      x-speakeasy-pagination:
        type: cursor
        inputs: [{name: cursor, in: parameters, type: cursor}]
        outputs: {nextCursor: "$.next", results: "$.data"}
      x-speakeasy-retries: {strategy: backoff, backoff: {initialInterval: 500}, statusCodes: [5XX], retryConnectionErrors: true}
      parameters: [{name: cursor, in: query, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, properties: {next: {type: string}, data: {type: array, items: {type: string}}}}}}
  /chat:
    post:
      operationId: chat
      responses:
        "200":
          description: events
          content: {text/event-stream: {schema: {type: object, properties: {delta: {type: string}}}}}
"##,
    );
    let list = &surface.operations["Api::list_items"];
    assert_eq!(
        list.paging.as_deref(),
        Some("cursor `cursor` from `$.next`, items at `$.data`")
    );
    assert_eq!(
        list.retries.as_deref(),
        Some("backoff (initial 500 ms, statuses 500-599, connection errors yes)")
    );
    let chat = &surface.operations["Api::chat"];
    assert!(
        chat.output.starts_with("EventStream<models::"),
        "{}",
        chat.output
    );
    assert_eq!(chat.events.as_deref(), Some("JSON data, ends at `[DONE]`"));
}
