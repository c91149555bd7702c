//! OpenAPI document -> IR.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use crate::diag::Diagnostics;
use crate::ir::{Api, EnvCredential, Operation, Server, Ty, TypeDef, TypeKind};
use crate::settings::Settings;
use crate::types::TypeSpace;

/// Build the IR of `spec`; problems go to `diags`.
pub fn lower(spec: &OpenAPI, settings: &Settings, diags: &mut Diagnostics) -> Api {
    let mut types = TypeSpace::new(spec, &settings.replace);
    types.lower_components(diags);
    let (operations, groups) = crate::operations::lower(spec, &mut types, settings, diags);
    types.prune_union_cycles();
    types.box_recursion();
    if settings.tags.is_some() || settings.operations.is_some() {
        keep_reachable(&mut types.defs, &operations);
    }
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

/// With a `tags`/`operations` filter, drops the models no generated operation uses
/// (directly or through other models), so a filtered SDK of a large spec stays small.
fn keep_reachable(defs: &mut BTreeMap<String, TypeDef>, operations: &[Operation]) {
    let mut pending: Vec<&Ty> = Vec::new();
    for op in operations {
        pending.extend(op.params.iter().map(|p| &p.ty));
        pending.extend(op.body.iter().map(|b| &b.ty));
        pending.extend(
            op.success
                .iter()
                .chain(&op.errors)
                .filter_map(|r| r.ty.as_ref()),
        );
    }
    let mut reached = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Nullable(inner) | Ty::Boxed(inner) => {
                pending.push(inner)
            }
            Ty::Named(name) => {
                if !reached.insert(name.clone()) {
                    continue;
                }
                let Some(def) = defs.get(name) else { continue };
                match &def.kind {
                    TypeKind::Struct(s) => {
                        pending.extend(s.fields.iter().map(|f| &f.ty));
                        pending.extend(s.additional.iter());
                    }
                    TypeKind::Alias(aliased, _) => pending.push(aliased),
                    TypeKind::Union(u) => pending.extend(u.variants.iter().map(|v| &v.ty)),
                    TypeKind::Enum(_) => {}
                }
            }
            _ => {}
        }
    }
    defs.retain(|name, _| reached.contains(name));
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
