//! The security schemes of the spec, as the generator hands them over: what each
//! operation accepts, for the credentials (`auth`) and the mock server to act on.

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiKeyLocation {
    /// A request header named after the scheme's `name`.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// One security scheme from the spec's `components.securitySchemes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecurityScheme {
    /// `Authorization: Bearer <token>`, from [`ClientBuilder::bearer`](crate::ClientBuilder::bearer).
    Bearer,
    /// `Authorization: Basic ...`, from [`ClientBuilder::basic`](crate::ClientBuilder::basic).
    Basic,
    /// An API key, from [`ClientBuilder::api_key_for`](crate::ClientBuilder::api_key_for)
    /// with this `scheme` name, else from [`ClientBuilder::api_key`](crate::ClientBuilder::api_key).
    ApiKey {
        /// The scheme's name in `components.securitySchemes`.
        scheme: &'static str,
        /// The header, query parameter or cookie name.
        name: &'static str,
        /// Where the key goes.
        location: ApiKeyLocation,
    },
    /// OAuth2: an access token fetched with the client-credentials grant
    /// ([`ClientBuilder::oauth2`](crate::ClientBuilder::oauth2)), or else a
    /// token you obtained yourself, sent like [`Bearer`](Self::Bearer).
    OAuth2 {
        /// The scheme's name in `components.securitySchemes`.
        scheme: &'static str,
        /// The `tokenUrl` of the scheme's `clientCredentials` flow, if it has one.
        token_url: Option<&'static str>,
        /// The scopes the operation's security requirement lists.
        scopes: &'static [&'static str],
    },
}
