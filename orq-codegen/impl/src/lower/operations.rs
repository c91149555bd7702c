//! Paths and operations -> IR operations and groups.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use super::content::{request_body, responses};
use super::params::{match_template, parameters, parse_template};
use super::resolve::Resolver;
use super::security::security;
use super::types::TypeSpace;
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{Docs, Group, HttpMethod, Operation};
use crate::naming::{NameTable, snake_name};
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
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "default".to_string());
            if !settings.selects(&tag, op.operation_id.as_deref()) {
                continue;
            }
            let group = match group_of_tag.get(&tag) {
                Some(group) => group.clone(),
                None => {
                    let (accessor, type_name) = names.group(&tag);
                    groups.insert(
                        accessor.clone(),
                        Group {
                            tag: tag.clone(),
                            snake: accessor.clone(),
                            type_name,
                            description: tag_docs.get(tag.as_str()).copied().flatten().cloned(),
                        },
                    );
                    group_of_tag.insert(tag.clone(), accessor.clone());
                    accessor
                }
            };
            let operation_id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| derived_id(key, path));
            let op_names = names.operation(&group, &method_name(op, &operation_id, &group));

            let mut params = parameters(
                resolver,
                types,
                (&item.parameters, &path_at),
                &op.parameters,
                &operation_id,
                &at,
                diags,
            );
            let notes = match_template(&template, &mut params, &at);
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
            let (success, errors) = responses(
                resolver,
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
                names: op_names,
                method,
                path: template.clone(),
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

/// The method's name in its group: `x-speakeasy-name-override`, else the operationId
/// without a leading group name (`contacts_create` in `contacts` is `create`).
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(method_name(&op, "contactsCreate", "contacts"), "create");
        assert_eq!(method_name(&op, "contacts", "contacts"), "contacts");
        assert_eq!(method_name(&op, "contacts_2fa", "contacts"), "contacts_2fa");
        let mut named = openapiv3::Operation::default();
        named
            .extensions
            .insert("x-speakeasy-name-override".into(), "listAll".into());
        assert_eq!(method_name(&named, "whatever", "contacts"), "list_all");
    }
}
