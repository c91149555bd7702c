//! Pagination: where the next page is, from `x-speakeasy-pagination` rules or a
//! `Link: <...>; rel="next"` header, and when the pages end.
//!
//! A rule names the query parameter that moves (offset, page or cursor) and where the
//! response says what comes next (JSONPath-like `$.data.items`, `$.meta.next_cursor`).
//! Nothing is guessed: an operation pages only when the spec says how.

use http::HeaderMap;
use serde_json::Value;

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

    /// The request change that fetches the page after this one, or `None` when the
    /// pages end: an empty page, a page shorter than the limit, the last page number,
    /// or no (or an empty) next cursor, URL or link.
    pub fn next(
        &self,
        state: &PageState,
        body: &Value,
        headers: &HeaderMap,
        items: usize,
    ) -> Option<NextPage> {
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
            Paging::Page {
                param, num_pages, ..
            } => {
                let page = state.position.unwrap_or(1).checked_add(1)?;
                let last = num_pages.and_then(|path| select(body, path)?.as_i64());
                if short_page(state.limit) || last.is_some_and(|last| page > last) {
                    return None;
                }
                Some(NextPage::Query {
                    name: param,
                    value: page.to_string(),
                })
            }
            Paging::Cursor { param, next, .. } => {
                if self.results().is_some() && items == 0 {
                    return None;
                }
                text(select(body, next)?).map(|value| NextPage::Query { name: param, value })
            }
            Paging::Url { next, .. } => text(select(body, next)?).map(NextPage::Url),
            Paging::LinkHeader { .. } => {
                if self.results().is_some() && items == 0 {
                    return None;
                }
                next_link(headers).map(NextPage::Url)
            }
        }
    }
}

/// A cursor or URL value: non-empty text (numbers count as their text), never `null`.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The value at `path` in `value`: `$` then `.name`, `['name']` / `["name"]` and `[n]`
/// (`[-1]` is the last item) steps, the JSONPath subset pagination rules use.
pub fn select<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut rest = path.trim().strip_prefix('$')?;
    let mut current = value;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            current = current.get(&after[..end])?;
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let key = after[..end].trim();
            current = match key.strip_prefix(['\'', '"']) {
                Some(quoted) => current.get(quoted.strip_suffix(['\'', '"'])?)?,
                None => {
                    let index: i64 = key.parse().ok()?;
                    let items = current.as_array()?;
                    let index = if index < 0 {
                        items
                            .len()
                            .checked_sub(usize::try_from(index.unsigned_abs()).ok()?)?
                    } else {
                        usize::try_from(index).ok()?
                    };
                    items.get(index)?
                }
            };
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(current)
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
    use serde_json::json;

    fn link(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::LINK, value.parse().unwrap());
        headers
    }

    #[test]
    fn select_follows_the_jsonpath_subset() {
        let body = json!({"data": {"items": [1, 2, 3]}, "meta": {"next cursor": "c2"}});
        assert_eq!(select(&body, "$.data.items"), Some(&json!([1, 2, 3])));
        assert_eq!(select(&body, "$.data.items[0]"), Some(&json!(1)));
        assert_eq!(select(&body, "$.data.items[-1]"), Some(&json!(3)));
        assert_eq!(
            select(&body, "$['meta'][\"next cursor\"]"),
            Some(&json!("c2"))
        );
        assert_eq!(select(&body, "$"), Some(&body));
        assert_eq!(select(&body, "$.data.items[7]"), None);
        assert_eq!(select(&body, "$.data.items[-4]"), None);
        assert_eq!(select(&body, "data"), None);
        assert_eq!(select(&body, "$.missing.deeper"), None);
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
        let state = PageState {
            position: Some(20),
            limit: Some(10),
        };
        let none = HeaderMap::new();
        assert_eq!(
            rule.next(&state, &json!({}), &none, 10),
            Some(NextPage::Query {
                name: "offset",
                value: "30".into()
            })
        );
        assert_eq!(rule.next(&state, &json!({}), &none, 9), None);
        assert_eq!(rule.next(&PageState::default(), &json!({}), &none, 0), None);
    }

    #[test]
    fn pages_stop_at_num_pages() {
        let rule = Paging::Page {
            param: "page",
            limit: None,
            results: "$.items",
            num_pages: Some("$.pages"),
        };
        let at = |page| PageState {
            position: Some(page),
            limit: None,
        };
        let body = json!({"pages": 3});
        let none = HeaderMap::new();
        assert_eq!(
            rule.next(&at(2), &body, &none, 5),
            Some(NextPage::Query {
                name: "page",
                value: "3".into()
            })
        );
        assert_eq!(rule.next(&at(3), &body, &none, 5), None);
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
        assert_eq!(
            rule.next(&state, &json!({"meta": {"next": "c9"}}), &none, 2),
            Some(NextPage::Query {
                name: "after",
                value: "c9".into()
            })
        );
        for end in [
            json!({"meta": {"next": ""}}),
            json!({"meta": {"next": null}}),
            json!({}),
        ] {
            assert_eq!(rule.next(&state, &end, &none, 2), None, "{end}");
        }
        // An empty page ends the pages even with a cursor.
        assert_eq!(
            rule.next(&state, &json!({"meta": {"next": "c9"}}), &none, 0),
            None
        );

        let url = Paging::Url {
            next: "$.links.next",
            results: None,
        };
        let body = json!({"links": {"next": "/items?page=2"}});
        assert_eq!(
            url.next(&state, &body, &none, 1),
            Some(NextPage::Url("/items?page=2".into()))
        );
        let by_link = Paging::LinkHeader { results: None };
        assert_eq!(
            by_link.next(
                &state,
                &json!([]),
                &link("</items?page=2>; rel=\"next\""),
                1
            ),
            Some(NextPage::Url("/items?page=2".into()))
        );
    }
}
