//! Paths and operations -> IR operations and groups.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use super::content::{request_body, responses};
use super::params::{match_template, parameters, parse_template};
use super::resolve::Resolver;
use super::security::security;
use super::streams::{events, paging, stream_alternative, stream_flag};
use super::types::TypeSpace;
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{
    BackoffPolicy, Docs, Form, Group, HttpMethod, Note, NoteKind, Operation, RetryPolicy,
};
use crate::naming::{NameTable, Scope, snake_name};
use crate::settings::Settings;

/// Lower every operation of `api` that the settings select, with the groups they use.
pub fn lower(
    api: &OpenAPI,
    resolver: Resolver<'_>,
    types: &mut TypeSpace<'_>,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> (Vec<Operation>, BTreeMap<String, Group>) {
    let mut ops = Vec::new();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut group_of_tag: BTreeMap<String, String> = BTreeMap::new();
    let mut names = NameTable::default();
    let mut ids = operation_ids(api);
    let tag_docs: BTreeMap<&str, Option<&String>> = api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.description.as_ref()))
        .collect();

    // Groups first, in document order, so a group accessor keeps its name even when an
    // untagged operation (a method of the client, in the same namespace) comes first.
    for (path, item) in api.paths.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (key, op) in item.iter() {
            let Some(tag) = op.tags.first() else { continue };
            if HttpMethod::parse(key).is_none() || group_of_tag.contains_key(tag) {
                continue;
            }
            let id = ids.get(&Ptr::root().at("paths").at(path).at(key));
            if !settings.selects(Some(tag), id.and_then(OperationId::selectable)) {
                continue;
            }
            let (accessor, type_name) = names.group(tag);
            groups.insert(
                accessor.clone(),
                Group {
                    tag: tag.clone(),
                    snake: accessor.clone(),
                    type_name,
                    description: tag_docs.get(tag.as_str()).copied().flatten().cloned(),
                },
            );
            group_of_tag.insert(tag.clone(), accessor);
        }
    }

    for (path, item) in api.paths.paths.iter() {
        let path_at = Ptr::root().at("paths").at(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                diags.degrade(
                    &path_at.at("$ref"),
                    format!("path item references (`{reference}`) are not followed: the path's operations are left out"),
                    "inline the path item under `paths` to generate them",
                );
                continue;
            }
        };
        let Some(template) = parse_template(path, &path_at, diags) else {
            continue;
        };
        for (key, op) in item.iter() {
            let Some(method) = HttpMethod::parse(key) else {
                continue;
            };
            let at = path_at.at(key);
            let tag = op.tags.first();
            let Some(id) = ids.remove(&at) else { continue };
            if !settings.selects(tag.map(String::as_str), id.selectable()) {
                continue;
            }
            let group = tag.and_then(|tag| group_of_tag.get(tag)).cloned();
            let operation_id = id.id;
            let method_name = method_name(op, &operation_id, group.as_deref());
            let op_names = names.operation(group.as_deref(), &method_name);

            let mut params = parameters(
                resolver,
                types,
                (&item.parameters, &path_at),
                &op.parameters,
                &operation_id,
                &at,
                diags,
            );
            let mut notes = match_template(&template, &mut params, &at);
            notes.extend(id.note);
            let retries = retry_policy(api, op, &at, &mut notes);
            let body = op.request_body.as_ref().and_then(|b| {
                request_body(
                    resolver,
                    types,
                    b,
                    &operation_id,
                    &at.at("requestBody"),
                    diags,
                )
            });
            let (mut success, errors) = responses(
                resolver,
                types,
                &op.responses,
                &operation_id,
                &at.at("responses"),
                diags,
            );
            let events = events(resolver, op, &mut success, &at, &mut notes, diags);
            let paging = paging(resolver, op, &params, &success, &at, &mut notes, diags);
            let security = security(
                api,
                op.security.as_ref().or(api.security.as_ref()),
                &at,
                diags,
            );
            let docs = Docs {
                title: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                ..Docs::default()
            };
            // JSON and an event stream on one success: the event stream is a second
            // operation (`create_stream`), the same request with the body's `stream` flag set.
            let stream_case = events
                .is_none()
                .then(|| {
                    let at = at.at("responses");
                    stream_alternative(resolver, types, &op.responses, &operation_id, &at, diags)
                })
                .flatten();
            let mut form = None;
            let mut stream_form = None;
            if let Some(case) = stream_case {
                let stream_names = names.stream_form(group.as_deref(), &op_names);
                let mut stream_notes = notes.clone();
                let mut stream_success = vec![case];
                let stream_events = super::streams::events(
                    resolver,
                    op,
                    &mut stream_success,
                    &at,
                    &mut stream_notes,
                    diags,
                );
                form = Some(Form::Json {
                    stream_method: stream_names.method.clone(),
                });
                stream_form = Some(Operation {
                    origin: at.clone(),
                    operation_id: operation_id.clone(),
                    group: group.clone(),
                    form: Some(Form::Stream {
                        json_method: op_names.method.clone(),
                        flag: stream_flag(types, body.as_ref()),
                    }),
                    names: stream_names,
                    method,
                    path: template.clone(),
                    docs: docs.clone(),
                    params: params.clone(),
                    body: body.clone(),
                    success: stream_success,
                    errors: errors.clone(),
                    security: security.clone(),
                    retries: retries.clone(),
                    notes: stream_notes,
                    events: stream_events,
                    paging: None,
                });
            }

            ops.push(Operation {
                origin: at,
                operation_id,
                group,
                names: op_names,
                method,
                path: template.clone(),
                docs,
                params,
                body,
                success,
                errors,
                security,
                retries,
                notes,
                events,
                paging,
                form,
            });
            ops.extend(stream_form);
        }
    }
    (ops, groups)
}

/// The id of an operation, unique in the document.
#[derive(Debug)]
pub(crate) struct OperationId {
    /// Its `operationId` (numbered if an earlier operation has it), or one derived from
    /// its method and path.
    pub id: String,
    /// Whether the spec gave it an `operationId` (the `operations` setting selects by it).
    pub explicit: bool,
    /// Why the id is not the spec's, when an earlier operation took it.
    pub note: Option<Note>,
}

impl OperationId {
    /// The id the `operations` setting selects this operation by (none without an
    /// `operationId`).
    pub fn selectable(&self) -> Option<&str> {
        self.explicit.then_some(self.id.as_str())
    }
}

/// Every operation's id, by the operation's pointer: its `operationId`, or one derived
/// from method and path. An id already used by an earlier operation (document order)
/// takes the first free numbered form (`list_2`), so ids, and the names made from them,
/// stay stable and unique; a repeated `operationId` is noted. The spec's own ids are
/// claimed first, so a numbered form never takes one of them.
pub(crate) fn operation_ids(api: &OpenAPI) -> BTreeMap<Ptr, OperationId> {
    let operations = || {
        api.paths.paths.iter().flat_map(|(path, item)| {
            let at = Ptr::root().at("paths").at(path);
            item.as_item()
                .into_iter()
                .flat_map(|item| item.iter())
                .filter(|(key, _)| HttpMethod::parse(key).is_some())
                .map(move |(key, op)| (at.at(key), path, key, op))
        })
    };
    let mut scope = Scope::with_reserved(
        &operations()
            .filter_map(|(.., op)| op.operation_id.as_deref())
            .collect::<Vec<_>>(),
    );
    let mut first: BTreeMap<&str, Ptr> = BTreeMap::new();
    let mut ids = BTreeMap::new();
    for (at, path, key, op) in operations() {
        let (id, note) = match op.operation_id.as_deref() {
            Some(given) => match first.get(given) {
                None => {
                    first.insert(given, at.clone());
                    (given.to_string(), None)
                }
                Some(first_at) => {
                    let id = scope.claim(given.to_string());
                    let kind = NoteKind::DuplicateOperationId {
                        given: given.to_string(),
                        first: first_at.to_string(),
                        id: id.clone(),
                    };
                    (
                        id,
                        Some(Note {
                            at: at.clone(),
                            kind,
                        }),
                    )
                }
            },
            None => (scope.claim(derived_id(key, path)), None),
        };
        let explicit = op.operation_id.is_some();
        ids.insert(at, OperationId { id, explicit, note });
    }
    ids
}

/// A stable name for an operation without `operationId`: method plus path words,
/// `{param}` becoming `by_param` (`GET /people/{id}` -> `get_people_by_id`).
fn derived_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by {param}")),
            None => words.push(segment.to_string()),
        }
    }
    snake_name(&words.join(" "))
}

/// The method's name in its group (or on the client, for an untagged operation):
/// `x-speakeasy-name-override`, else the operationId without a leading group name
/// (`contacts_create` in `contacts` is `create`).
fn method_name(op: &openapiv3::Operation, operation_id: &str, group: Option<&str>) -> String {
    if let Some(name) = op
        .extensions
        .get("x-speakeasy-name-override")
        .and_then(|v| v.as_str())
    {
        return snake_name(name);
    }
    let name = snake_name(operation_id);
    let Some(group) = group else {
        return name;
    };
    match name.strip_prefix(&format!("{group}_")) {
        Some(rest) if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) => {
            rest.to_string()
        }
        _ => name,
    }
}

/// The operation's retry policy: its `x-speakeasy-retries`, else the document's, else
/// the default backoff if `x-orq-retry-non-idempotent: true`. One that cannot be read
/// is dropped with a note (the runtime's default applies), never an error.
fn retry_policy(
    api: &OpenAPI,
    op: &openapiv3::Operation,
    at: &Ptr,
    notes: &mut Vec<Note>,
) -> Option<RetryPolicy> {
    const KEY: &str = "x-speakeasy-retries";
    let (value, value_at) = match (declared(&op.extensions), declared(&api.extensions)) {
        (Some(value), _) => (value, at.at(KEY)),
        (None, Some(value)) => (value, Ptr::root().at(KEY)),
        (None, None) => {
            let opt_in = op.extensions.get("x-orq-retry-non-idempotent");
            return (opt_in.and_then(|v| v.as_bool()) == Some(true))
                .then(|| RetryPolicy::Backoff(BackoffPolicy::default()));
        }
    };
    match parse_retries(value) {
        Ok(policy) => Some(policy),
        Err(reason) => {
            notes.push(Note {
                at: value_at,
                kind: NoteKind::IgnoredRetries { reason },
            });
            None
        }
    }
}

/// The `x-speakeasy-retries` of an operation or document, unless absent or `null`.
fn declared(
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
) -> Option<&serde_json::Value> {
    extensions
        .get("x-speakeasy-retries")
        .filter(|v| !v.is_null())
}

/// Reads an `x-speakeasy-retries` value: `false`, `{strategy: none}`, or
/// `{strategy: backoff, backoff: {initialInterval, maxInterval, maxElapsedTime, exponent},
/// statusCodes: [503, "5XX"], retryConnectionErrors: bool}` (times in milliseconds).
pub(crate) fn parse_retries(value: &serde_json::Value) -> Result<RetryPolicy, String> {
    use serde_json::Value;
    let object = match value {
        Value::Bool(false) => return Ok(RetryPolicy::Never),
        Value::Bool(true) => return Ok(RetryPolicy::Backoff(BackoffPolicy::default())),
        Value::Object(object) => object,
        other => return Err(format!("expected `false` or an object, found `{other}`")),
    };
    match object.get("strategy").and_then(Value::as_str) {
        Some("none") => return Ok(RetryPolicy::Never),
        Some("backoff") | None => {}
        Some(other) => return Err(format!("unknown strategy `{other}`")),
    }
    let mut policy = BackoffPolicy::default();
    if let Some(backoff) = object.get("backoff") {
        let Value::Object(backoff) = backoff else {
            return Err("`backoff` is not an object".into());
        };
        let millis = |name: &str| -> Result<Option<u64>, String> {
            match backoff.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value
                    .as_u64()
                    .map(Some)
                    .ok_or_else(|| format!("`backoff.{name}` is not a number of milliseconds")),
            }
        };
        policy.initial_interval_ms = millis("initialInterval")?;
        policy.max_interval_ms = millis("maxInterval")?;
        policy.max_elapsed_time_ms = millis("maxElapsedTime")?;
        policy.exponent = match backoff.get("exponent") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                value
                    .as_f64()
                    .filter(|e| e.is_finite() && *e > 0.0)
                    .ok_or("`backoff.exponent` is not a positive number")?,
            ),
        };
    }
    if let Some(codes) = object.get("statusCodes") {
        let Value::Array(codes) = codes else {
            return Err("`statusCodes` is not a list".into());
        };
        let ranges = codes
            .iter()
            .map(|code| status_range(code).ok_or_else(|| format!("`{code}` is not a status code")))
            .collect::<Result<Vec<_>, _>>()?;
        policy.status_codes = Some(ranges);
    }
    policy.retry_connection_errors = match object.get("retryConnectionErrors") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(retry)) => Some(*retry),
        Some(_) => return Err("`retryConnectionErrors` is not a boolean".into()),
    };
    Ok(RetryPolicy::Backoff(policy))
}

/// `503`, `"503"` or `"5XX"` as an inclusive range of statuses.
fn status_range(code: &serde_json::Value) -> Option<(u16, u16)> {
    let text = match code {
        serde_json::Value::Number(n) => n.as_u64()?.to_string(),
        serde_json::Value::String(s) => s.trim().to_ascii_uppercase(),
        _ => return None,
    };
    let range = match text.as_bytes() {
        [class @ b'1'..=b'5', b'X', b'X'] => {
            let base = u16::from(class - b'0') * 100;
            (base, base + 99)
        }
        _ => {
            let status: u16 = text.parse().ok()?;
            (status, status)
        }
    };
    (100..=599).contains(&range.0).then_some(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_are_read_fully() {
        let parse = |yaml: &str| parse_retries(&serde_yaml::from_str(yaml).unwrap());
        assert_eq!(parse("false"), Ok(RetryPolicy::Never));
        assert_eq!(parse("{strategy: none}"), Ok(RetryPolicy::Never));
        assert_eq!(
            parse(
                "{strategy: backoff, backoff: {initialInterval: 500, maxInterval: 60000, \
                 maxElapsedTime: 3600000, exponent: 1.5}, statusCodes: [503, \"5XX\", \"429\"], \
                 retryConnectionErrors: false}"
            ),
            Ok(RetryPolicy::Backoff(BackoffPolicy {
                initial_interval_ms: Some(500),
                max_interval_ms: Some(60000),
                max_elapsed_time_ms: Some(3_600_000),
                exponent: Some(1.5),
                status_codes: Some(vec![(503, 503), (500, 599), (429, 429)]),
                retry_connection_errors: Some(false),
            }))
        );
        assert_eq!(
            parse("{strategy: backoff}"),
            Ok(RetryPolicy::Backoff(BackoffPolicy::default()))
        );
        for bad in [
            "{strategy: sometimes}",
            "{statusCodes: [\"6XX\"]}",
            "{statusCodes: 503}",
            "{backoff: {exponent: -1}}",
            "{backoff: {initialInterval: soon}}",
            "{retryConnectionErrors: maybe}",
            "3",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn retries_come_from_the_operation_else_the_document() {
        let api: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n\
             x-speakeasy-retries: {strategy: backoff, statusCodes: [503]}",
        )
        .unwrap();
        let mut notes = Vec::new();
        let plain = openapiv3::Operation::default();
        let root = retry_policy(&api, &plain, &Ptr::root(), &mut notes);
        assert!(
            matches!(root, Some(RetryPolicy::Backoff(ref b)) if b.status_codes == Some(vec![(503, 503)]))
        );
        let mut never = openapiv3::Operation::default();
        never
            .extensions
            .insert("x-speakeasy-retries".into(), false.into());
        assert_eq!(
            retry_policy(&api, &never, &Ptr::root(), &mut notes),
            Some(RetryPolicy::Never)
        );
        let mut broken = openapiv3::Operation::default();
        broken
            .extensions
            .insert("x-speakeasy-retries".into(), "often".into());
        assert_eq!(retry_policy(&api, &broken, &Ptr::root(), &mut notes), None);
        assert!(matches!(
            notes.as_slice(),
            [Note {
                kind: NoteKind::IgnoredRetries { .. },
                ..
            }]
        ));
    }

    #[test]
    fn repeated_operation_ids_are_numbered_in_document_order_around_the_specs_own() {
        let api: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  \
             /a: {get: {operationId: list, responses: {}}}\n  \
             /b: {get: {operationId: list, responses: {}}, post: {responses: {}}}\n  \
             /c: {get: {operationId: list_2, responses: {}}, put: {operationId: post_b, responses: {}}}\n",
        )
        .unwrap();
        let ids = operation_ids(&api);
        let found: Vec<(String, &str, bool)> = ids
            .iter()
            .map(|(at, id)| (at.to_string(), id.id.as_str(), id.note.is_some()))
            .collect();
        assert_eq!(
            found,
            [
                ("#/paths/~1a/get".to_string(), "list", false),
                ("#/paths/~1b/get".to_string(), "list_3", true),
                // Derived from method and path, but the spec's `post_b` is taken.
                ("#/paths/~1b/post".to_string(), "post_b_2", false),
                ("#/paths/~1c/get".to_string(), "list_2", false),
                ("#/paths/~1c/put".to_string(), "post_b", false),
            ]
        );
        let note = ids[&Ptr::root().at("paths").at("/b").at("get")]
            .note
            .clone();
        assert_eq!(
            note.map(|n| n.kind.to_string()).as_deref(),
            Some(
                "operationId `list` is used twice (first at #/paths/~1a/get): this operation is `list_3`, numbered in document order."
            )
        );
    }

    #[test]
    fn derived_ids_read_like_the_path() {
        assert_eq!(
            derived_id("get", "/people/{id}/photo"),
            "get_people_by_id_photo"
        );
        assert_eq!(derived_id("post", "/"), "post");
    }

    #[test]
    fn method_names_drop_the_group_prefix_only_when_something_is_left() {
        let op = openapiv3::Operation::default();
        assert_eq!(
            method_name(&op, "contactsCreate", Some("contacts")),
            "create"
        );
        assert_eq!(method_name(&op, "contacts", Some("contacts")), "contacts");
        assert_eq!(
            method_name(&op, "contacts_2fa", Some("contacts")),
            "contacts_2fa"
        );
        assert_eq!(method_name(&op, "listPets", None), "list_pets");
        let mut named = openapiv3::Operation::default();
        named
            .extensions
            .insert("x-speakeasy-name-override".into(), "listAll".into());
        assert_eq!(
            method_name(&named, "whatever", Some("contacts")),
            "list_all"
        );
    }
}
