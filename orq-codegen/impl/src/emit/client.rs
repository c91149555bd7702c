//! The client type and its groups.

use proc_macro2::TokenStream;
use quote::quote;

use super::cfg::gate_items;
use super::entry::{Receiver, entry};
use super::security::{most_used, requirement};
use super::{Ctx, docs};
use crate::ir::EnvCredential;
use crate::naming::ident;

/// The client struct with its builder entry points and group accessors.
pub fn client(ctx: &Ctx<'_>) -> TokenStream {
    // In the caller's module: full paths.
    let rt = &ctx.rt_root;
    let api = ctx.api;
    let name = ident(&ctx.settings.client_name);
    let server = api.servers.first().map(default_url).unwrap_or_default();
    let env_prefix = ctx.settings.env_prefix();
    let env_credential = match api.env_credential {
        EnvCredential::Bearer => quote!(Bearer),
        EnvCredential::ApiKey => quote!(ApiKey),
        EnvCredential::None => quote!(None),
    };
    let user_agent = format!(
        "{}/{} (orq-codegen; {} {})",
        ctx.settings.client_name,
        env!("CARGO_PKG_VERSION"),
        api.title,
        api.version
    );
    let mut lines = vec![format!(
        "Client for {} (API version {}).",
        api.title, api.version
    )];
    if let Some(d) = &api.description {
        lines.push(String::new());
        lines.push(docs::sanitize(d));
    }
    lines.push(String::new());
    let reads = env_reads(api, &env_prefix);
    let own = if api.operations.iter().any(|op| op.group.is_none()) {
        "its own methods (the operations without tags), "
    } else {
        ""
    };
    lines.push(format!(
        "Build one with [`{name}::builder`] or [`{name}::from_env`] (reads {reads}), then call operations through {own}the groups below or the standalone functions in [`funcs`]. It is cheap to clone and safe to share between tasks."
    ));
    let credentials = credential_docs(api, &env_prefix);
    if !credentials.is_empty() {
        lines.push(String::new());
        lines.push("Credentials, each set once on the builder (an operation uses the first of its security alternatives whose credentials are all set):".to_string());
        lines.extend(credentials);
    }
    if !api.servers.is_empty() {
        lines.push(String::new());
        lines.push("Servers declared by the spec:".to_string());
        for s in &api.servers {
            let vars = s
                .variables
                .iter()
                .map(|(k, v)| format!("`{k}` = `{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let vars = if vars.is_empty() {
                String::new()
            } else {
                format!(" (variables: {vars})")
            };
            lines.push(format!(
                "- `{}`{}{vars}",
                s.url,
                s.description
                    .as_ref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ));
        }
    }
    if !api.degradations.is_empty() {
        lines.push(String::new());
        lines.push("# Degradations".to_string());
        lines.push(String::new());
        lines.push("What this SDK captures less exactly than the spec says (`orq-codegen check` lists the same):".to_string());
        lines.extend(
            api.degradations
                .iter()
                .map(|d| format!("- {}", docs::sanitize(d))),
        );
    }
    let doc = docs::attrs(&lines);
    let templates = api.servers.iter().map(|s| s.url.as_str());
    let variables = api.servers.iter().map(|s| {
        let vars = s.variables.iter().map(|(name, default)| {
            let allowed = s.allowed.get(name).cloned().unwrap_or_default();
            quote!((#name, #default, &[#(#allowed),*]))
        });
        quote!(&[#(#vars),*])
    });
    let security = requirement(rt, most_used(&api.operations));
    let from_env_doc = format!(
        " A client configured from the environment: {}.",
        env_reads(api, &env_prefix)
    );
    let accessors = api.groups.values().map(|g| {
        let method = ident(&g.snake);
        let ty = ident(&g.type_name);
        let mut lines = vec![format!("Operations tagged `{}`.", g.snake)];
        if let Some(d) = &g.description {
            lines.push(String::new());
            lines.push(docs::sanitize(d));
        }
        if let Some(feature) = api
            .features
            .as_ref()
            .and_then(|f| f.of_group(Some(&g.snake)))
        {
            lines.push(String::new());
            lines.push(format!("Compiled with the cargo feature `{feature}`."));
        }
        let doc = docs::attrs(&lines);
        let gate = ctx.cfg_group(Some(&g.snake));
        quote! {
            #doc
            #gate
            #[inline]
            pub fn #method(&self) -> groups::#ty<'_> {
                groups::#ty { client: self }
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct #name {
            core: #rt::__private::Core,
        }

        impl #rt::__private::FromCore for #name {
            #[inline]
            fn from_core(core: #rt::__private::Core) -> Self {
                Self { core }
            }
        }

        impl #name {
            /// The server used when none is configured: the first of the spec's `servers`.
            pub const DEFAULT_SERVER_URL: &'static str = #server;

            /// A builder: set credentials, server URL, retries, timeouts and hooks, then `build()`.
            #[inline]
            pub fn builder() -> #rt::ClientBuilder<Self> {
                #rt::ClientBuilder::new(#rt::__private::ClientInfo {
                    default_server_url: Self::DEFAULT_SERVER_URL,
                    env_prefix: #env_prefix,
                    env_credential: #rt::__private::EnvCredential::#env_credential,
                    user_agent: #user_agent,
                    security: #security,
                    request_id_header: None,
                })
            }

            /// A builder with this client's settings and connection pool: change what differs
            /// (retries, timeout, headers, server...) and `build()` a client sharing the pool.
            #[inline]
            pub fn to_builder(&self) -> #rt::ClientBuilder<Self> {
                self.core.to_builder()
            }

            /// A request to an endpoint the spec does not describe, sent with this client's
            /// server, credentials, retries, hooks and limits (see `RawRequest`).
            #[inline]
            pub fn request(&self, method: #rt::http::Method, path: &str) -> #rt::RawRequest {
                self.core.request(method, path)
            }

            #[doc = #from_env_doc]
            #[inline]
            pub fn from_env() -> ::std::result::Result<Self, #rt::Error> {
                Self::builder().from_env()?.build()
            }

            /// The servers the spec declares, as URL templates, in spec order.
            pub const SERVERS: &'static [&'static str] = &[#(#templates),*];

            /// The URL of server `index` of [`SERVERS`](Self::SERVERS) with its `{variables}`
            /// filled in: the spec's defaults, overridden by `values`. An unknown index or
            /// variable, or a value outside the variable's `enum`, is an `Error::Config`.
            /// Pass the result to the builder's `server_url`.
            #[inline]
            pub fn server_url_for(index: usize, values: &[(&str, &str)]) -> ::std::result::Result<::std::string::String, #rt::Error> {
                const VARIABLES: &[&[(&str, &str, &[&str])]] = &[#(#variables),*];
                #rt::__private::fill_server_url(Self::SERVERS, VARIABLES, index, values)
            }

            #(#accessors)*
        }
    }
}

/// One line per security scheme the operations use, naming the builder method.
/// What `from_env` reads: the credential only when the spec declares one.
fn env_reads(api: &crate::ir::Api, env_prefix: &str) -> String {
    match api.env_credential {
        crate::ir::EnvCredential::None => format!("`{env_prefix}_SERVER_URL` when it is set"),
        _ => format!(
            "`{env_prefix}_API_KEY` (required) and `{env_prefix}_SERVER_URL` when it is set"
        ),
    }
}

fn credential_docs(api: &crate::ir::Api, env_prefix: &str) -> Vec<String> {
    use crate::ir::{ParamLocation, SecurityUse};
    let mut seen: Vec<&SecurityUse> = Vec::new();
    for scheme in api
        .operations
        .iter()
        .flat_map(|op| op.security.iter().flatten())
    {
        let known = seen.iter().any(|s| match (s, scheme) {
            (SecurityUse::OAuth2 { scheme: a, .. }, SecurityUse::OAuth2 { scheme: b, .. }) => {
                a == b
            }
            (a, b) => *a == b,
        });
        if !known {
            seen.push(scheme);
        }
    }
    seen.iter()
        .map(|scheme| match scheme {
            SecurityUse::Bearer => "- bearer token: `.bearer(token)`".to_string(),
            SecurityUse::Basic => "- HTTP basic: `.basic(user, password)`".to_string(),
            SecurityUse::ApiKey { scheme, name, location } => {
                let place = match location {
                    ParamLocation::Query => "query parameter",
                    ParamLocation::Cookie => "cookie",
                    _ => "header",
                };
                format!("- API key `{scheme}` (the {place} `{name}`): `.api_key_for(\"{scheme}\", key)`, or `.api_key(key)` for every API key scheme")
            }
            SecurityUse::OAuth2 { scheme, token_url: Some(url), .. } => format!(
                "- OAuth2 `{scheme}`, client credentials from `{url}`: `.oauth2_client_credentials(client_id, client_secret)` (or `{env_prefix}_CLIENT_ID` and `{env_prefix}_CLIENT_SECRET`), or an access token with `.bearer(token)`"
            ),
            SecurityUse::OAuth2 { scheme, token_url: None, .. } => format!(
                "- OAuth2 `{scheme}`: an access token with `.bearer(token)`, or `.oauth2(ClientCredentials::new(id, secret).token_url(url))`"
            ),
        })
        .collect()
}

pub(crate) fn default_url(server: &crate::ir::Server) -> String {
    let mut url = server.url.clone();
    for (name, value) in &server.variables {
        url = url.replace(&format!("{{{name}}}"), value);
    }
    url
}

/// The `groups` module: one struct per tag with the operations as methods.
pub fn groups(ctx: &Ctx<'_>) -> TokenStream {
    let client = ident(&ctx.settings.client_name);
    let prelude = ctx.prelude_ops();
    let mut by_group: std::collections::BTreeMap<Option<&str>, Vec<TokenStream>> =
        Default::default();
    for op in &ctx.api.operations {
        by_group
            .entry(op.group.as_deref())
            .or_default()
            .push(entry(ctx, op, Receiver::Group));
    }
    // Untagged operations: methods of the client itself, next to its group accessors
    // (lowering claimed their names in the client's namespace).
    let own = by_group.remove(&None).map(|methods| {
        quote! {
            impl super::#client {
                #(#methods)*
            }
        }
    });
    let groups = ctx.api.groups.values().map(|g| {
        let ty = ident(&g.type_name);
        let doc = format!(
            " Operations tagged `{}`; get one from [`{}::{}`](super::{}::{}).",
            g.snake, client, g.snake, client, g.snake
        );
        let methods = by_group.remove(&Some(g.snake.as_str())).unwrap_or_default();
        let group = quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug)]
            pub struct #ty<'a> {
                pub(super) client: &'a super::#client,
            }

            impl<'a> #ty<'a> {
                #(#methods)*
            }
        };
        gate_items(&ctx.cfg_group(Some(&g.snake)), group)
    });
    let doc = if own.is_some() {
        " Client groups, one per tag of the spec, and the client's own methods (the operations without tags)."
    } else {
        " Client groups, one per tag of the spec."
    };
    quote! {
        #[doc = #doc]
        pub mod groups {
            #prelude
            #(#groups)*
            #own
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{TEST_SPEC, test_ctx_parts};

    #[test]
    fn the_client_has_the_first_server_and_one_accessor_per_group() {
        let (api, settings) = test_ctx_parts(TEST_SPEC);
        let ctx = Ctx::new(&api, &settings);
        let client = client(&ctx).to_string();
        assert!(client.contains("pub struct Api"), "{client}");
        assert!(
            client.contains("\"https://api.example.com/v1\""),
            "{client}"
        );
        assert!(client.contains("pub fn pets (& self)"), "{client}");
        assert!(client.contains("pub fn from_env ()"), "{client}");
        let groups = groups(&ctx).to_string();
        assert!(groups.contains("pub struct Pets"), "{groups}");
        assert!(groups.contains("pub fn get_pet"), "{groups}");
        assert!(groups.contains("pub fn add_pet"), "{groups}");
    }
}
