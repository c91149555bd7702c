//! Pagination: where the next page is, from `x-speakeasy-pagination` rules or a
//! `Link: <...>; rel="next"` header, and when the pages end.
//!
//! A rule names the query parameter that moves (offset, page or cursor) and where the
//! response says what comes next (JSONPath-like `$.data.items`, `$.meta.next_cursor`),
//! read from the page's bytes in one pass ([`PageFields`]). Nothing is guessed: an
//! operation pages only when the spec says how.

use std::hash::{BuildHasher, RandomState};

use crate::spec::json_path::{self, Found, Step, Want};
use http::HeaderMap;

/// How an operation pages, as its spec declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// `type: offsetLimit` with an `offset` input: the offset grows by the page's length.
    Offset {
        /// The query parameter carrying the offset.
        param: &'static str,
        /// The query parameter carrying the page size, if any.
        limit: Option<&'static str>,
        /// Where the page's items are (`outputs.results`).
        results: &'static str,
    },
    /// `type: offsetLimit` with a `page` input: the page number grows by one.
    Page {
        /// The query parameter carrying the page number.
        param: &'static str,
        /// The query parameter carrying the page size, if any.
        limit: Option<&'static str>,
        /// Where the page's items are (`outputs.results`).
        results: &'static str,
        /// Where the number of pages is (`outputs.numPages`), if given.
        num_pages: Option<&'static str>,
    },
    /// `type: cursor`: the next request carries the cursor of the last response.
    Cursor {
        /// The query parameter carrying the cursor.
        param: &'static str,
        /// Where the next cursor is (`outputs.nextCursor`).
        next: &'static str,
        /// Where the page's items are (`outputs.results`), if given.
        results: Option<&'static str>,
    },
    /// `type: url`: the response gives the next page's URL (`outputs.nextUrl`).
    Url {
        /// Where the next URL is.
        next: &'static str,
        /// Where the page's items are (`outputs.results`), if given.
        results: Option<&'static str>,
    },
    /// The next page's URL is in a `Link` header with `rel="next"` (RFC 8288).
    LinkHeader {
        /// Where the page's items are, if the body is not the list itself.
        results: Option<&'static str>,
    },
}

/// What changes from one page's request to the next.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NextPage {
    /// Set the query parameter `name` to `value`.
    Query {
        /// The parameter's wire name.
        name: &'static str,
        /// Its new value.
        value: String,
    },
    /// Fetch this URL (absolute, or relative to the last request's URL).
    Url(String),
}

/// What a page says about the pages, read from its body in one pass.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageFields {
    /// The next cursor or URL (a number as its text), when the rule names one and the
    /// page gives it.
    pub next: Option<String>,
    /// The number of pages (`outputs.numPages`), when the rule names it.
    pub num_pages: Option<i64>,
    /// How many items the page holds (0 when its results path is no list); `None` when
    /// the rule names no results path.
    pub items: Option<usize>,
    /// A hash of the page's items (of the whole body without a results path): a page
    /// that repeats an earlier one has the same.
    pub fingerprint: u64,
}

/// Where a request stands in the pages, for the offset and page rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageState {
    /// The offset or page number the last request sent (the spec's first otherwise).
    pub position: Option<i64>,
    /// The page size the last request sent, if the rule has a limit parameter.
    pub limit: Option<i64>,
}

impl Paging {
    /// Where the items of a page are in its body (`None`: the body is the list).
    pub fn results(&self) -> Option<&'static str> {
        match *self {
            Paging::Offset { results, .. } | Paging::Page { results, .. } => Some(results),
            Paging::Cursor { results, .. }
            | Paging::Url { results, .. }
            | Paging::LinkHeader { results } => results,
        }
    }

    /// Where the items are counted: the results path, or the body itself for a list
    /// paged by its `Link` header.
    fn items_path(&self) -> Option<&'static str> {
        match *self {
            Paging::LinkHeader { results } => Some(results.unwrap_or("$")),
            _ => self.results(),
        }
    }

    /// Reads what the rule needs from a page's `body` in one pass: the next cursor or
    /// URL, the number of pages, the items' count and fingerprint (hashed with
    /// `hasher`). A body that is no JSON gives nothing (and the pages end).
    pub fn fields(&self, body: &[u8], hasher: &RandomState) -> PageFields {
        let (next, num_pages) = match *self {
            Paging::Cursor { next, .. } | Paging::Url { next, .. } => (Some(next), None),
            Paging::Page { num_pages, .. } => (None, num_pages),
            Paging::Offset { .. } | Paging::LinkHeader { .. } => (None, None),
        };
        let wanted = [
            (next, Want::Text),
            (num_pages, Want::Integer),
            (self.items_path(), Want::Items),
        ];
        let parsed: Vec<(usize, Vec<Step<'static>>, Want)> = wanted
            .iter()
            .enumerate()
            .filter_map(|(slot, &(path, want))| Some((slot, json_path::parse(path?)?, want)))
            .collect();
        let targets: Vec<_> = parsed
            .iter()
            .map(|(_, steps, want)| (steps.as_slice(), *want))
            .collect();
        let mut found: [Option<Found>; 3] = Default::default();
        for ((slot, ..), value) in parsed.iter().zip(json_path::read(body, &targets, hasher)) {
            found[*slot] = value;
        }
        let [next, num_pages, items] = found;
        let mut fields = PageFields::default();
        if let Some(Found::Text(text)) = next {
            fields.next = Some(text).filter(|text| !text.is_empty());
        }
        if let Some(Found::Integer(pages)) = num_pages {
            fields.num_pages = Some(pages);
        }
        match items {
            Some(Found::Items { count, fingerprint }) => {
                fields.items = Some(count);
                fields.fingerprint = fingerprint;
            }
            _ if self.items_path().is_some() => fields.items = Some(0),
            _ => fields.fingerprint = hasher.hash_one(body),
        }
        fields
    }

    /// The request change that fetches the page after this one, or `None` when the
    /// pages end: an empty page, a page shorter than the limit, the last page number,
    /// or no (or an empty) next cursor, URL or link.
    pub fn next(
        &self,
        state: &PageState,
        fields: &PageFields,
        headers: &HeaderMap,
    ) -> Option<NextPage> {
        // Without a results path only the next marker ends the pages.
        let items = fields.items.unwrap_or(1);
        let short_page = |limit: Option<i64>| {
            items == 0 || limit.is_some_and(|l| usize::try_from(l).is_ok_and(|l| items < l))
        };
        match *self {
            Paging::Offset { param, .. } => {
                if short_page(state.limit) {
                    return None;
                }
                let offset = state.position.unwrap_or(0);
                let step = i64::try_from(items).ok()?;
                Some(NextPage::Query {
                    name: param,
                    value: offset.checked_add(step)?.to_string(),
                })
            }
            Paging::Page { param, .. } => {
                let page = state.position.unwrap_or(1).checked_add(1)?;
                let last = fields.num_pages;
                if short_page(state.limit) || last.is_some_and(|last| page > last) {
                    return None;
                }
                Some(NextPage::Query {
                    name: param,
                    value: page.to_string(),
                })
            }
            Paging::Cursor { param, .. } => {
                if items == 0 {
                    return None;
                }
                let value = fields.next.clone()?;
                Some(NextPage::Query { name: param, value })
            }
            Paging::Url { .. } => fields.next.clone().map(NextPage::Url),
            Paging::LinkHeader { .. } => {
                if items == 0 {
                    return None;
                }
                next_link(headers).map(NextPage::Url)
            }
        }
    }
}

/// The target of the first `rel="next"` link of the `Link` headers (RFC 8288): the rel
/// may be quoted or not, in any case, and one of several space-separated relations.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(split_links)
        .find_map(|link| {
            let (target, params) = link.trim().strip_prefix('<')?.split_once('>')?;
            let next = params.split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            (next && !target.trim().is_empty()).then(|| target.trim().to_owned())
        })
}

/// The links of one `Link` header value: commas separate links, except inside `<...>`
/// and quoted strings.
fn split_links(value: &str) -> Vec<&str> {
    let mut links = Vec::new();
    let (mut start, mut in_target, mut in_quotes) = (0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            '<' if !in_quotes => in_target = true,
            '>' if !in_quotes => in_target = false,
            '"' if !in_target => in_quotes = !in_quotes,
            ',' if !in_target && !in_quotes => {
                links.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    links.push(&value[start..]);
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn link(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::LINK, value.parse().unwrap());
        headers
    }

    /// The next page after a page with `body` at `state`.
    fn next(rule: Paging, state: &PageState, body: Value, headers: &HeaderMap) -> Option<NextPage> {
        let fields = rule.fields(&serde_json::to_vec(&body).unwrap(), &RandomState::new());
        rule.next(state, &fields, headers)
    }

    fn at(position: i64, limit: Option<i64>) -> PageState {
        PageState {
            position: Some(position),
            limit,
        }
    }

    fn query(name: &'static str, value: &str) -> Option<NextPage> {
        Some(NextPage::Query {
            name,
            value: value.into(),
        })
    }

    #[test]
    fn link_headers_per_rfc_8288() {
        let headers = link(
            "<https://api.example/items?page=1>; rel=\"prev first\", <https://api.example/items?page=3&q=a,b>; REL=\"next\"",
        );
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("https://api.example/items?page=3&q=a,b")
        );
        assert_eq!(
            next_link(&link("</p/2>; rel=next")).as_deref(),
            Some("/p/2")
        );
        assert_eq!(next_link(&link("</p/1>; rel=\"prev\"")), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn offsets_grow_by_the_page_and_stop_on_a_short_one() {
        let rule = Paging::Offset {
            param: "offset",
            limit: Some("limit"),
            results: "$.data",
        };
        let none = HeaderMap::new();
        let page = |n: usize| json!({"data": vec![0; n]});
        assert_eq!(
            next(rule, &at(20, Some(10)), page(10), &none),
            query("offset", "30")
        );
        assert_eq!(next(rule, &at(20, Some(10)), page(9), &none), None);
        assert_eq!(next(rule, &PageState::default(), page(0), &none), None);
        // No list at the results path: no items.
        assert_eq!(
            next(rule, &PageState::default(), json!({"data": {}}), &none),
            None
        );
    }

    #[test]
    fn pages_stop_at_num_pages() {
        let rule = Paging::Page {
            param: "page",
            limit: None,
            results: "$.items",
            num_pages: Some("$.pages"),
        };
        let body = json!({"pages": 3, "items": [1, 2, 3, 4, 5]});
        let none = HeaderMap::new();
        assert_eq!(
            next(rule, &at(2, None), body.clone(), &none),
            query("page", "3")
        );
        assert_eq!(next(rule, &at(3, None), body, &none), None);
    }

    #[test]
    fn cursors_and_urls_end_when_absent_or_empty() {
        let rule = Paging::Cursor {
            param: "after",
            next: "$.meta.next",
            results: Some("$.data"),
        };
        let none = HeaderMap::new();
        let state = PageState::default();
        let page = |next: Value| json!({"meta": {"next": next}, "data": [1, 2]});
        assert_eq!(
            next(rule, &state, page(json!("c9")), &none),
            query("after", "c9")
        );
        assert_eq!(
            next(rule, &state, page(json!(17)), &none),
            query("after", "17")
        );
        for end in [page(json!("")), page(Value::Null), json!({"data": [1]})] {
            assert_eq!(next(rule, &state, end.clone(), &none), None, "{end}");
        }
        // An empty page ends the pages even with a cursor.
        let empty = json!({"meta": {"next": "c9"}, "data": []});
        assert_eq!(next(rule, &state, empty, &none), None);

        let url = Paging::Url {
            next: "$.links.next",
            results: None,
        };
        let body = json!({"links": {"next": "/items?page=2"}});
        assert_eq!(
            next(url, &state, body, &none),
            Some(NextPage::Url("/items?page=2".into()))
        );
    }

    #[test]
    fn a_link_paged_list_ends_when_empty() {
        let rule = Paging::LinkHeader { results: None };
        let headers = link("</items?page=2>; rel=\"next\"");
        let state = PageState::default();
        assert_eq!(
            next(rule, &state, json!(["a"]), &headers),
            Some(NextPage::Url("/items?page=2".into()))
        );
        assert_eq!(next(rule, &state, json!([]), &headers), None);
        assert_eq!(next(rule, &state, json!(["a"]), &HeaderMap::new()), None);
    }

    #[test]
    fn fields_fingerprint_the_items_or_the_body() {
        let hasher = RandomState::new();
        let cursor = Paging::Cursor {
            param: "after",
            next: "$.next",
            results: Some("$.data"),
        };
        let read = |rule: Paging, body: &str| rule.fields(body.as_bytes(), &hasher);
        let (a, b) = (
            read(cursor, r#"{"data": [1, 2], "next": "c1"}"#),
            read(cursor, r#"{"data": [1, 2], "next": "c2"}"#),
        );
        assert_eq!((a.items, a.next.as_deref()), (Some(2), Some("c1")));
        assert_eq!(a.fingerprint, b.fingerprint, "same items, fresh cursor");
        let url = Paging::Url {
            next: "$.next",
            results: None,
        };
        let (a, b) = (
            read(url, r#"{"data": [1, 2], "next": "c1"}"#),
            read(url, r#"{"data": [1, 2], "next": "c2"}"#),
        );
        assert_eq!(a.items, None);
        assert_ne!(
            a.fingerprint, b.fingerprint,
            "without a results path, the body"
        );
    }
}
