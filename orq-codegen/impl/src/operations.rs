//! Paths and operations -> IR operations, groups and security.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, SecurityRequirement, SecurityScheme,
};

use crate::diag::{Diagnostics, Ptr};
use crate::ir::{
    Body, Docs, Group, MediaKind, Operation, Param, ParamLocation, ResponseCase, SecurityUse,
    StatusMatch, Ty,
};
use crate::naming::{Scope, snake_name, type_name};
use crate::settings::Settings;
use crate::types::TypeSpace;

/// Methods of the generated client that groups must not shadow.
const CLIENT_METHODS: &[&str] = &[
    "builder",
    "from_env",
    "new",
    "clone",
    "fmt",
    "core",
    "server_url_for",
];

/// Lower every operation of `api`.
pub fn lower(
    api: &OpenAPI,
    types: &mut TypeSpace<'_>,
    settings: &Settings,
    diags: &mut Diagnostics,
) -> (Vec<Operation>, BTreeMap<String, Group>) {
    let mut ops = Vec::new();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut group_scope = Scope::with_reserved(CLIENT_METHODS);
    let mut group_of_tag: BTreeMap<String, String> = BTreeMap::new();
    let mut method_scopes: BTreeMap<String, Scope> = BTreeMap::new();
    let mut func_scope = Scope::default();
    let tag_docs: BTreeMap<&str, Option<&String>> = api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.description.as_ref()))
        .collect();

    for (path, item) in api.paths.paths.iter() {
        let path_at = Ptr::root().at("paths").at(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                diags.error(
                    &path_at.at("$ref"),
                    format!("path item references (`{reference}`) are not supported"),
                    "inline the path item under `paths`",
                );
                continue;
            }
        };
        for (method, op) in item.iter() {
            let at = path_at.at(method);
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "default".to_string());
            if !settings.selects(&tag, op.operation_id.as_deref()) {
                continue;
            }
            let group = group_of_tag
                .entry(tag.clone())
                .or_insert_with(|| group_scope.claim(snake_name(&tag)))
                .clone();
            groups.entry(group.clone()).or_insert_with(|| Group {
                snake: group.clone(),
                type_name: type_name(&group),
                description: tag_docs.get(tag.as_str()).copied().flatten().cloned(),
            });
            let operation_id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| derived_id(method, path));
            let method_name = method_name(op, &operation_id, &group);
            let method_name = method_scopes
                .entry(group.clone())
                .or_insert_with(|| Scope::with_reserved(&["client"]))
                .claim(method_name);
            let func_name = func_scope.claim(format!("{group}_{method_name}"));

            let mut params = params(
                api,
                types,
                (&item.parameters, &path_at),
                &op.parameters,
                &operation_id,
                &at,
                diags,
            );
            let notes = check_path_template(path, &mut params, &at, diags);
            let body = op.request_body.as_ref().and_then(|b| {
                body(
                    api,
                    types,
                    settings,
                    b,
                    &operation_id,
                    &at.at("requestBody"),
                    diags,
                )
            });
            let (success, errors) = responses(
                api,
                types,
                &op.responses,
                &operation_id,
                &at.at("responses"),
                diags,
            );
            let security = security(
                api,
                op.security.as_ref().or(api.security.as_ref()),
                &at,
                diags,
            );

            ops.push(Operation {
                origin: at,
                operation_id,
                group,
                method_name,
                func_name,
                http_method: method.to_uppercase(),
                path: path.clone(),
                docs: Docs {
                    title: op.summary.clone(),
                    description: op.description.clone(),
                    deprecated: op.deprecated,
                    ..Docs::default()
                },
                params,
                body,
                success,
                errors,
                security,
                retry_non_idempotent: retry_extension(op),
                notes,
            });
        }
    }
    (ops, groups)
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

fn method_name(op: &openapiv3::Operation, operation_id: &str, group: &str) -> String {
    if let Some(name) = op
        .extensions
        .get("x-speakeasy-name-override")
        .and_then(|v| v.as_str())
    {
        return snake_name(name);
    }
    let name = snake_name(operation_id);
    match name.strip_prefix(&format!("{group}_")) {
        Some(rest) if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) => {
            rest.to_string()
        }
        _ => name,
    }
}

fn retry_extension(op: &openapiv3::Operation) -> bool {
    op.extensions
        .get("x-speakeasy-retries")
        .is_some_and(|v| !v.is_null())
        || op
            .extensions
            .get("x-orq-retry-non-idempotent")
            .and_then(|v| v.as_bool())
            == Some(true)
}

fn resolve_param<'a>(
    api: &'a OpenAPI,
    param: &'a ReferenceOr<Parameter>,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Option<&'a Parameter> {
    match param {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix("#/components/parameters/")
                .and_then(|name| api.components.as_ref()?.parameters.get(name));
            match found {
                Some(ReferenceOr::Item(p)) => Some(p),
                _ => {
                    diags.error(&at.at("$ref"), format!("parameter `$ref` `{reference}` does not resolve to a parameter in `components.parameters`"), "fix the `$ref` or define the parameter under `components.parameters`");
                    None
                }
            }
        }
    }
}

fn params(
    api: &OpenAPI,
    types: &mut TypeSpace<'_>,
    (shared, path_at): (&[ReferenceOr<Parameter>], &Ptr),
    own: &[ReferenceOr<Parameter>],
    op_id: &str,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Vec<Param> {
    // Operation parameters override path-item parameters with the same name and location.
    let mut merged: Vec<(&Parameter, Ptr)> = Vec::new();
    for (i, p) in shared.iter().enumerate() {
        let p_at = path_at.at("parameters").at(i);
        if let Some(p) = resolve_param(api, p, &p_at, diags) {
            merged.push((p, p_at));
        }
    }
    for (i, p) in own.iter().enumerate() {
        let p_at = at.at("parameters").at(i);
        if let Some(p) = resolve_param(api, p, &p_at, diags) {
            let key = (location(p), &p.parameter_data_ref().name);
            merged.retain(|(q, _)| (location(q), &q.parameter_data_ref().name) != key);
            merged.push((p, p_at));
        }
    }
    let mut scope = Scope::with_reserved(&[
        "body",
        "options",
        "client",
        "self",
        "retries",
        "timeout",
        "header",
        "send",
        "send_with_response",
        "into_future",
        "new",
        "body_media",
        "encode_as_form",
        "encode_as_json",
    ]);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (p, p_at) in merged {
        let data = p.parameter_data_ref();
        let loc = location(p);
        if !seen.insert((loc as u8, data.name.clone())) {
            diags.error(
                &p_at,
                format!("parameter `{}` is declared twice", data.name),
                "remove the duplicate declaration",
            );
            continue;
        }
        let lowered = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => types.lower(
                schema,
                &p_at.at("schema"),
                &format!("{op_id} {}", data.name),
                1,
                diags,
            ),
            ParameterSchemaOrContent::Content(_) => {
                diags.error(
                    &p_at.at("content"),
                    format!(
                        "parameter `{}` uses `content` instead of `schema`, which is not supported",
                        data.name
                    ),
                    "describe the parameter with `schema`",
                );
                continue;
            }
        };
        let docs = Docs {
            description: data.description.clone(),
            example: data.example.as_ref().map(|e| e.to_string()),
            ..lowered.docs
        };
        let (explode, deep_object) = match p {
            Parameter::Query { style, .. } => (
                data.explode
                    .unwrap_or(matches!(style, openapiv3::QueryStyle::Form)),
                matches!(style, openapiv3::QueryStyle::DeepObject),
            ),
            Parameter::Cookie { .. } => (data.explode.unwrap_or(true), false),
            _ => (data.explode.unwrap_or(false), false),
        };
        out.push(Param {
            rust_name: scope.claim(param_name(&data.name, loc, &seen)),
            wire_name: data.name.clone(),
            location: loc,
            required: data.required || loc == ParamLocation::Path,
            ty: lowered.ty,
            docs,
            constraints: lowered.constraints,
            explode,
            deep_object,
            delimiter: match p {
                Parameter::Query {
                    style: openapiv3::QueryStyle::SpaceDelimited,
                    ..
                } => Some(' '),
                Parameter::Query {
                    style: openapiv3::QueryStyle::PipeDelimited,
                    ..
                } => Some('|'),
                _ => None,
            },
            origin: p_at,
        });
    }
    // Required parameters come first so positional arguments read naturally.
    out.sort_by_key(|p| !p.required);
    out
}

/// `id` in the query and `id` in a header become `id` and `id_header`.
fn param_name(wire: &str, loc: ParamLocation, seen: &BTreeSet<(u8, String)>) -> String {
    let base = snake_name(wire);
    let twin = seen
        .iter()
        .any(|(l, name)| *l != loc as u8 && snake_name(name) == base);
    if !twin {
        return base;
    }
    let suffix = match loc {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    format!("{base}_{suffix}")
}

fn location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// Template parameters must be declared (an error otherwise); declared path parameters
/// that the template does not use are dropped with a note, as real specs have them.
fn check_path_template(
    path: &str,
    params: &mut Vec<Param>,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut in_template = BTreeSet::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            diags.error(
                at,
                format!("path `{path}` has an unclosed `{{`"),
                "close every `{` in the path template",
            );
            return Vec::new();
        };
        in_template.insert(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    for name in &in_template {
        if !params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.wire_name == *name)
        {
            diags.error(
                at,
                format!("path template parameter `{{{name}}}` is not declared"),
                format!("add a parameter with `name: {name}` and `in: path` to the operation or the path item"),
            );
        }
    }
    let mut notes = Vec::new();
    params.retain(|p| {
        let unused = p.location == ParamLocation::Path && !in_template.contains(p.wire_name.as_str());
        if unused {
            notes.push(format!(
                "the spec declares the path parameter `{}` ({}), but the path `{path}` has no `{{{}}}`: it is neither an argument nor sent.",
                p.wire_name, p.origin, p.wire_name
            ));
        }
        !unused
    });
    notes
}

fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence == "text/json"
    {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Bytes
    }
}

/// Prefer JSON, then forms, then text, then anything else.
fn pick_media<T>(content: &indexmap::IndexMap<String, T>) -> Option<(&String, &T)> {
    let rank = |m: &str| match media_kind(m) {
        MediaKind::Json if m.starts_with("*/*") => 1,
        MediaKind::Json => 0,
        MediaKind::Form => 2,
        MediaKind::Multipart => 3,
        MediaKind::Text => 4,
        _ => 5,
    };
    content.iter().min_by_key(|(m, _)| rank(m))
}

fn body(
    api: &OpenAPI,
    types: &mut TypeSpace<'_>,
    settings: &Settings,
    body: &ReferenceOr<openapiv3::RequestBody>,
    op_id: &str,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Option<Body> {
    let body = match body {
        ReferenceOr::Item(b) => b,
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix("#/components/requestBodies/")
                .and_then(|n| api.components.as_ref()?.request_bodies.get(n));
            match found {
                Some(ReferenceOr::Item(b)) => b,
                _ => {
                    diags.error(&at.at("$ref"), format!("request body `$ref` `{reference}` does not resolve to `components.requestBodies`"), "fix the `$ref` or define the body under `components.requestBodies`");
                    return None;
                }
            }
        }
    };
    let (media_type, media) = pick_media(&body.content)?;
    let kind = media_kind(media_type);
    let mut multipart_parts = Vec::new();
    let m_at = at.at("content").at(media_type);
    let ty = match (&kind, &media.schema) {
        (MediaKind::Json, Some(schema)) => {
            types
                .lower(
                    schema,
                    &m_at.at("schema"),
                    &format!("{op_id} Request Body"),
                    1,
                    diags,
                )
                .ty
        }
        (MediaKind::Json, None) => Ty::Json,
        (MediaKind::Form, Some(schema)) => {
            types
                .lower(
                    schema,
                    &m_at.at("schema"),
                    &format!("{op_id} Request Body"),
                    1,
                    diags,
                )
                .ty
        }
        (MediaKind::Form, None) => Ty::JsonObject,
        (MediaKind::Multipart, schema) => {
            let parts = schema.as_ref().map(|schema| {
                let model = types
                    .lower(
                        schema,
                        &m_at.at("schema"),
                        &format!("{op_id} Request Body"),
                        1,
                        diags,
                    )
                    .ty;
                describe_fields(types, &model)
            });
            multipart_parts = parts.unwrap_or_default();
            Ty::External(format!("{}::Multipart", settings.runtime))
        }
        (MediaKind::Text, _) => Ty::String,
        _ => Ty::Bytes,
    };
    // The same schema offered as JSON and as a form: the caller may pick.
    let alternatives = body
        .content
        .iter()
        .filter(|(other, _)| *other != media_type)
        .map(|(other, other_media)| (other, media_kind(other), other_media))
        .filter(|(_, other_kind, other_media)| {
            matches!(other_kind, MediaKind::Json | MediaKind::Form)
                && matches!(kind, MediaKind::Json | MediaKind::Form)
                && *other_kind != kind
                && other_media.schema.is_some()
                && other_media.schema == media.schema
        })
        .map(|(other, other_kind, _)| (other.clone(), other_kind))
        .fold(
            Vec::<(String, MediaKind)>::new(),
            |mut picked, (other, other_kind)| {
                if !picked.iter().any(|(_, k)| *k == other_kind) {
                    picked.push((other, other_kind));
                }
                picked
            },
        );
    Some(Body {
        ty,
        media_type: media_type.clone(),
        kind,
        alternatives,
        required: body.required,
        docs: Docs {
            description: body.description.clone(),
            ..Docs::default()
        },
        parts: multipart_parts,
    })
}

/// One line per property of a generated struct, for documenting multipart parts.
fn describe_fields(types: &TypeSpace<'_>, ty: &Ty) -> Vec<String> {
    let Ty::Named(name) = ty else {
        return Vec::new();
    };
    let Some(crate::ir::TypeDef {
        kind: crate::ir::TypeKind::Struct(s),
        ..
    }) = types.defs.get(name)
    else {
        return Vec::new();
    };
    s.fields
        .iter()
        .map(|f| {
            let file = matches!(&f.ty, crate::ir::Ty::Binary)
                || matches!(&f.ty, crate::ir::Ty::Vec(item) if **item == crate::ir::Ty::Binary);
            let kind = if file {
                "a file part (`Multipart::file`)"
            } else {
                "a text part (`Multipart::text`)"
            };
            let required = if matches!(
                f.presence,
                crate::ir::Presence::Required | crate::ir::Presence::RequiredNullable
            ) {
                "required"
            } else {
                "optional"
            };
            let description = f
                .docs
                .description
                .as_deref()
                .map(|d| format!(": {}", d.replace('\n', " ")))
                .unwrap_or_default();
            format!("`{}`: {kind}, {required}{description}", f.json_name)
        })
        .collect()
}

fn responses(
    api: &OpenAPI,
    types: &mut TypeSpace<'_>,
    responses: &openapiv3::Responses,
    op_id: &str,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> (Vec<ResponseCase>, Vec<ResponseCase>) {
    let mut all: Vec<(StatusMatch, &ReferenceOr<openapiv3::Response>, Ptr)> = Vec::new();
    for (code, r) in &responses.responses {
        let status = match code {
            openapiv3::StatusCode::Code(n) => StatusMatch::Exact(*n),
            openapiv3::StatusCode::Range(n) => StatusMatch::Range(*n),
        };
        all.push((status, r, at.at(code)));
    }
    if let Some(r) = &responses.default {
        all.push((StatusMatch::Default, r, at.at("default")));
    }
    let is_success =
        |s: &StatusMatch| matches!(s, StatusMatch::Exact(200..=299) | StatusMatch::Range(2));
    let has_success = all.iter().any(|(s, ..)| is_success(s));
    let (mut success, mut errors) = (Vec::new(), Vec::new());
    let many_success = all.iter().filter(|(s, ..)| is_success(s)).count() > 1;
    for (status, r, r_at) in all {
        let Some(response) = resolve_response(api, r, &r_at, diags) else {
            continue;
        };
        let as_success = is_success(&status) || (!has_success && status == StatusMatch::Default);
        let hint = match (as_success, status) {
            (true, StatusMatch::Exact(n)) if many_success => format!("{op_id} Response {n}"),
            (true, _) => format!("{op_id} Response"),
            (false, StatusMatch::Exact(n)) => format!("{op_id} Error {n}"),
            (false, StatusMatch::Range(n)) => format!("{op_id} Error {n}XX"),
            (false, StatusMatch::Default) => format!("{op_id} Error"),
        };
        let (ty, kind) = match pick_media(&response.content) {
            None => (None, MediaKind::Empty),
            Some((media_type, media)) => {
                let kind = media_kind(media_type);
                let m_at = r_at.at("content").at(media_type);
                let ty = match (&kind, &media.schema) {
                    (MediaKind::Json, Some(schema)) => {
                        types.lower(schema, &m_at.at("schema"), &hint, 1, diags).ty
                    }
                    (MediaKind::Json, None) => Ty::Json,
                    (MediaKind::Text, _) => Ty::String,
                    _ => Ty::Bytes,
                };
                (Some(ty), kind)
            }
        };
        let case = ResponseCase {
            status,
            ty,
            kind,
            description: response.description.clone(),
        };
        if as_success {
            success.push(case)
        } else {
            errors.push(case)
        }
    }
    success.sort_by_key(|c| c.status);
    errors.sort_by_key(|c| c.status);
    (success, errors)
}

fn resolve_response<'a>(
    api: &'a OpenAPI,
    r: &'a ReferenceOr<openapiv3::Response>,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Option<&'a openapiv3::Response> {
    match r {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix("#/components/responses/")
                .and_then(|n| api.components.as_ref()?.responses.get(n));
            match found {
                Some(ReferenceOr::Item(r)) => Some(r),
                _ => {
                    diags.error(&at.at("$ref"), format!("response `$ref` `{reference}` does not resolve to `components.responses`"), "fix the `$ref` or define the response under `components.responses`");
                    None
                }
            }
        }
    }
}

fn security(
    api: &OpenAPI,
    requirements: Option<&Vec<SecurityRequirement>>,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Vec<Vec<SecurityUse>> {
    let Some(requirements) = requirements else {
        return Vec::new();
    };
    let schemes = api.components.as_ref().map(|c| &c.security_schemes);
    let mut out = Vec::new();
    for (i, requirement) in requirements.iter().enumerate() {
        let mut uses = Vec::new();
        for (name, scopes) in requirement {
            let scheme = schemes.and_then(|s| s.get(name));
            match scheme {
                Some(ReferenceOr::Item(scheme)) => match scheme_use(name, scheme, scopes) {
                    Some(u) => uses.push(u),
                    None => diags.error(&Ptr::root().at("components").at("securitySchemes").at(name), format!("security scheme `{name}` is an HTTP scheme other than bearer or basic"), "use `scheme: bearer` or `scheme: basic`, or an `apiKey` scheme"),
                },
                _ => diags.error(&at.at("security").at(i), format!("security requirement names `{name}`, which is not in `components.securitySchemes`"), format!("define `{name}` under `components.securitySchemes`")),
            }
        }
        out.push(uses);
    }
    out
}

fn scheme_use(name: &str, scheme: &SecurityScheme, scopes: &[String]) -> Option<SecurityUse> {
    Some(match scheme {
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
            SecurityUse::Bearer
        }
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
            SecurityUse::Basic
        }
        SecurityScheme::HTTP { .. } => return None,
        SecurityScheme::OAuth2 { flows, .. } => SecurityUse::OAuth2 {
            scheme: name.to_string(),
            token_url: flows
                .client_credentials
                .as_ref()
                .map(|flow| flow.token_url.trim().to_string())
                .filter(|url| !url.is_empty()),
            scopes: scopes.to_vec(),
        },
        SecurityScheme::OpenIDConnect { .. } => SecurityUse::Bearer,
        SecurityScheme::APIKey {
            location,
            name: key,
            ..
        } => SecurityUse::ApiKey {
            scheme: name.to_string(),
            name: key.clone(),
            location: match location {
                openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
            },
        },
    })
}
