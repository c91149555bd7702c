//! OpenAPI document -> IR. Lowering owns every decision about meaning and names;
//! emit only renders what it finds in the IR.
//!
//! - `resolve`: `$ref`s to components, in one place;
//! - `types`: schemas -> named Rust types;
//! - `operations`: paths -> operations and groups, with `params` (parameters and the
//!   path template), `content` (request bodies and responses) and `security`.

mod content;
mod features;
mod operations;

pub(crate) use operations::operation_ids;
mod params;
mod resolve;
mod security;
mod streams;
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
    types.tag_members();
    types.box_recursion();
    if settings.tags.is_some() || settings.operations.is_some() {
        types::keep_reachable(&mut types.defs, &operations);
    }
    let features = settings
        .features_per_tag
        .then(|| features::features(&types.defs, &operations, &groups, settings));
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
        features,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> OpenAPI {
        serde_yaml::from_str(yaml).expect("test spec parses")
    }

    #[test]
    fn servers_keep_defaults_and_enumerations_of_their_variables() {
        let spec = spec(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
servers:
  - url: https://{region}.example.com/{base}
    description: regional
    variables:
      region: {default: eu, enum: [eu, us]}
      base: {default: v1}
paths: {}
"#,
        );
        let server = server(&spec.servers[0]);
        assert_eq!(server.url, "https://{region}.example.com/{base}");
        assert_eq!(server.description.as_deref(), Some("regional"));
        assert_eq!(server.variables["region"], "eu");
        assert_eq!(server.variables["base"], "v1");
        assert_eq!(server.allowed["region"], ["eu", "us"]);
        assert!(!server.allowed.contains_key("base"));
    }

    #[test]
    fn lowering_an_empty_document_gives_an_empty_api_without_problems() {
        let spec = spec("openapi: 3.1.0\ninfo: {title: Empty, version: '2'}\npaths: {}\n");
        let mut diags = Diagnostics::new(std::path::Path::new("empty.yaml"));
        let api = lower(&spec, &Settings::new(), &mut diags);
        assert_eq!((api.title.as_str(), api.version.as_str()), ("Empty", "2"));
        assert!(api.operations.is_empty() && api.groups.is_empty() && api.types.is_empty());
        assert!(diags.is_empty());
    }
}
