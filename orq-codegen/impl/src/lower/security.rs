//! Security requirements -> the schemes each operation may authenticate with.

use openapiv3::{OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};

use crate::diag::{Diagnostics, Ptr};
use crate::ir::{EnvCredential, ParamLocation, SecurityUse};

/// The security alternatives (OR of ANDs) of one operation.
pub fn security(
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
                    None => diags.degrade(&Ptr::root().at("components").at("securitySchemes").at(name), format!("security scheme `{name}` is an HTTP scheme other than bearer or basic: the client does not send it"), "set the `Authorization` header per call with `.header(..)`"),
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

/// The credential `{PREFIX}_API_KEY` holds: that of the first global requirement,
/// else of the first declared scheme.
pub fn env_credential(spec: &OpenAPI) -> EnvCredential {
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

#[cfg(test)]
mod tests {
    use crate::ir::{EnvCredential, ParamLocation, SecurityUse};
    use crate::{Settings, test_api};

    fn spec(schemes: &str, global: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nsecurity: {global}\npaths:\n  /a:\n    get: {{responses: {{'204': {{description: ok}}}}}}\n  /open:\n    get: {{security: [], responses: {{'204': {{description: ok}}}}}}\ncomponents:\n  securitySchemes:\n{schemes}"
        )
    }

    #[test]
    fn requirements_become_alternatives_of_schemes() {
        let yaml = spec(
            "    key: {type: apiKey, in: query, name: api_key}\n    token: {type: http, scheme: bearer}\n    app:\n      type: oauth2\n      flows: {clientCredentials: {tokenUrl: /token, scopes: {read: r}}}\n",
            "[{key: [], token: []}, {app: [read]}]",
        );
        let (api, problems) = test_api(&yaml, &Settings::new());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            api.operations[0].security,
            [
                vec![
                    SecurityUse::ApiKey {
                        scheme: "key".into(),
                        name: "api_key".into(),
                        location: ParamLocation::Query
                    },
                    SecurityUse::Bearer
                ],
                vec![SecurityUse::OAuth2 {
                    scheme: "app".into(),
                    token_url: Some("/token".into()),
                    scopes: vec!["read".into()]
                }],
            ]
        );
        assert!(
            api.operations[1].security.is_empty(),
            "`security: []` sends none"
        );
        assert_eq!(api.env_credential, EnvCredential::ApiKey);
    }

    #[test]
    fn unsupported_http_schemes_and_unknown_names_are_reported() {
        let yaml = spec(
            "    digest: {type: http, scheme: digest}\n",
            "[{digest: []}, {nope: []}]",
        );
        let (_, problems) = test_api(&yaml, &Settings::new());
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages[0].contains("other than bearer or basic"),
            "{messages:?}"
        );
        assert!(messages[1].contains("`nope`"), "{messages:?}");
    }
}
