//! A request's URL: its path under the server URL's base path, then its query. The URL
//! of a literal path (an operation without path parameters, which generated code gives
//! as a `&'static str`) is joined once per client: the URL parser checks a path
//! character by character, which is most of what making a URL costs.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::wire::encode::encode_query;

/// Literal paths joined at most, per client: far more than any spec has operations.
const MAX_JOINED: usize = 4096;

/// The URLs of a client's literal paths, each joined under its server URL once.
#[derive(Default)]
pub(crate) struct Joined {
    /// By the path's address and length: a `'static` text is the same text every time.
    urls: RwLock<HashMap<(usize, usize), Url>>,
}

impl Joined {
    /// The literal `path` (already encoded) under `server`'s base path, joined once.
    pub(crate) fn literal(&self, server: &Url, path: &'static str) -> Url {
        let key = (path.as_ptr() as usize, path.len());
        let urls = self.urls.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(url) = urls.get(&key) {
            return url.clone();
        }
        drop(urls);
        let url = join(server, path);
        let mut urls = self.urls.write().unwrap_or_else(PoisonError::into_inner);
        if urls.len() < MAX_JOINED {
            urls.insert(key, url.clone());
        }
        url
    }
}

/// `path` (already encoded) under `server`'s base path.
pub(crate) fn join(server: &Url, path: &str) -> Url {
    let mut url = server.clone();
    match server.path().trim_end_matches('/') {
        "" => url.set_path(path),
        base => url.set_path(&format!("{base}{path}")),
    }
    url
}

/// `url` (a server URL with a path: no query) with the `encoded` query as it is and then
/// the `query` pairs encoded; the query string is held as a secret while built, since it
/// may carry an API key.
pub(crate) fn with_query(mut url: Url, encoded: Option<&str>, query: &[(&str, &str)]) -> Url {
    let pairs = SecretString::from(encode_query(query));
    let query = match (encoded.filter(|q| !q.is_empty()), pairs.expose_secret()) {
        (None, "") => return url,
        (Some(encoded), "") => SecretString::from(encoded),
        (None, _) => pairs,
        (Some(encoded), pairs) => SecretString::from(format!("{encoded}&{pairs}")),
    };
    url.set_query(Some(query.expose_secret()));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(server: &Url, path: &'static str, encoded: Option<&str>, query: &[(&str, &str)]) -> Url {
        with_query(Joined::default().literal(server, path), encoded, query)
    }

    #[test]
    fn the_url_joins_base_path_path_and_query() {
        let server = Url::parse("https://api.example/v2/").unwrap();
        let url = at(&server, "/pets/7", None, &[("q", "a b&c"), ("n", "1")]);
        assert_eq!(
            url.as_str(),
            "https://api.example/v2/pets/7?q=a%20b%26c&n=1"
        );
        let bare = Url::parse("https://api.example").unwrap();
        assert_eq!(
            at(&bare, "/pets", None, &[]).as_str(),
            "https://api.example/pets"
        );
        // A query as the server wrote it (a next-page URL) is kept, `+` included.
        let url = at(&bare, "/logs", Some("cursor=a+b%2Bc/=="), &[("key", "k 1")]);
        assert_eq!(url.query(), Some("cursor=a+b%2Bc/==&key=k%201"));
    }

    #[test]
    fn a_literal_path_is_joined_once() {
        let server = Url::parse("https://api.example/v2").unwrap();
        let joined = Joined::default();
        let first = with_query(joined.literal(&server, "/pets"), None, &[("limit", "5")]);
        let again = joined.literal(&server, "/pets");
        assert_eq!(first.as_str(), "https://api.example/v2/pets?limit=5");
        // The query of one call is not kept for the next.
        assert_eq!(again.as_str(), "https://api.example/v2/pets");
        assert_eq!(joined.urls.read().unwrap().len(), 1);
        assert_eq!(
            join(&server, "/pets/7").as_str(),
            "https://api.example/v2/pets/7"
        );
    }
}
