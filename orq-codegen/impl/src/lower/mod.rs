//! OpenAPI document -> IR. Lowering owns every decision about meaning and names;
//! emit only renders what it finds in the IR.
//!
//! - `resolve`: `$ref`s to components, in one place;
//! - `types`: schemas -> named Rust types;
//! - `operations`: paths -> operations and groups, with `params` (parameters and the
//!   path template), `content` (request bodies and responses) and `security`.

mod content;
mod operations;
mod params;
mod resolve;
mod security;
mod types;

use openapiv3::OpenAPI;

use crate::diag::Diagnostics;
use crate::ir::{Api, Server};
use crate::settings::Settings;
use resolve::Resolver;
use types::TypeSpace;

/// Build the IR of `spec`; problems go to `diags`.
pub fn lower(spec: &OpenAPI, settings: &Settings, diags: &mut Diagnostics) -> Api {
    let mut types = TypeSpace::new(spec, &settings.replace);
    types.lower_components(diags);
    let (operations, groups) =
        operations::lower(spec, Resolver::new(spec), &mut types, settings, diags);
    types.prune_union_cycles();
    types.box_recursion();
    if settings.tags.is_some() || settings.operations.is_some() {
        types::keep_reachable(&mut types.defs, &operations);
    }
    Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        servers: spec.servers.iter().map(server).collect(),
        types: types.defs,
        operations,
        groups,
        env_credential: security::env_credential(spec),
        degradations: Vec::new(),
    }
}

fn server(s: &openapiv3::Server) -> Server {
    let variables = s.variables.iter().flatten();
    Server {
        url: s.url.clone(),
        description: s.description.clone(),
        variables: variables
            .clone()
            .map(|(k, v)| (k.clone(), v.default.clone()))
            .collect(),
        allowed: variables
            .filter(|(_, v)| !v.enumeration.is_empty())
            .map(|(k, v)| (k.clone(), v.enumeration.clone()))
            .collect(),
    }
}
