//! OpenAPI document -> IR.

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use crate::diag::Diagnostics;
use crate::ir::{Api, EnvCredential, Server};
use crate::settings::Settings;
use crate::types::TypeSpace;

/// Build the IR of `spec`; problems go to `diags`.
pub fn lower(spec: &OpenAPI, settings: &Settings, diags: &mut Diagnostics) -> Api {
    let mut types = TypeSpace::new(spec, &settings.replace);
    types.lower_components(diags);
    let (operations, groups) = crate::operations::lower(spec, &mut types, settings, diags);
    types.prune_union_cycles();
    types.box_recursion();
    Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        servers: spec
            .servers
            .iter()
            .map(|s| Server {
                url: s.url.clone(),
                description: s.description.clone(),
                variables: s
                    .variables
                    .iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.default.clone()))
                    .collect(),
                allowed: s
                    .variables
                    .iter()
                    .flatten()
                    .filter(|(_, v)| !v.enumeration.is_empty())
                    .map(|(k, v)| (k.clone(), v.enumeration.clone()))
                    .collect(),
            })
            .collect(),
        types: types.defs,
        operations,
        groups,
        env_credential: env_credential(spec),
    }
}

/// The credential `{PREFIX}_API_KEY` holds: that of the first global requirement,
/// else of the first declared scheme.
fn env_credential(spec: &OpenAPI) -> EnvCredential {
    let Some(components) = &spec.components else {
        return EnvCredential::None;
    };
    let global = spec.security.iter().flatten().flat_map(|r| r.keys()).next();
    let scheme = match global {
        Some(name) => components.security_schemes.get(name),
        None => components.security_schemes.values().next(),
    };
    match scheme {
        Some(ReferenceOr::Item(SecurityScheme::APIKey { .. })) => EnvCredential::ApiKey,
        Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }))
            if scheme.eq_ignore_ascii_case("basic") =>
        {
            EnvCredential::None
        }
        Some(ReferenceOr::Item(_)) => EnvCredential::Bearer,
        _ => EnvCredential::None,
    }
}
