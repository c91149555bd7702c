//! The pages of a paged operation as streams: [`Pages`] yields each page's decoded
//! response, [`Items`] the items of every page in order. Each page is a call like any
//! other (credentials, hooks, per-call options, retries); only the query parameter or
//! the URL the operation's paging rule names changes from one page to the next.
//!
//! A server that pages forever is stopped: by the page limit ([`DEFAULT_MAX_PAGES`], or
//! [`Pages::max_pages`]), by a page that repeats an earlier one (a server that ignores
//! the offset, or hands out fresh cursors over the same items), and by a next-page
//! marker given twice. The bookkeeping is bounded: a 64-bit fingerprint of each of the
//! last [`RECENT`] pages and markers, not the cursors themselves (a cursor may be
//! megabytes, and an unbounded set grows with every page). A loop longer than that
//! window is caught by the page limit.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use serde_json::Value;

use crate::call::operation::{Executing, Operation, execute};
use crate::client::core::Core;
use crate::error::Error;
use crate::options::CallOptions;
use crate::redact::snippet;
use crate::request::RequestSpec;
use crate::response::Response;
use crate::spec::json_path::{self, Found, Want};
use crate::spec::paging::{NextPage, PageState, Paging};
use crate::wire::endpoint::join;

/// The most pages `.pages()` and `.items()` fetch unless
/// [`max_pages`](Pages::max_pages) says otherwise: 1,000 (100,000 items at 100 a page).
/// One more page ends them with [`Error::Paging`] instead of paging on forever.
pub const DEFAULT_MAX_PAGES: usize = 1_000;

/// How many recent pages and next-page markers are remembered (by fingerprint) to stop a
/// server that repeats itself.
pub(crate) const RECENT: usize = 1_024;

/// What a paged operation's request builder adds to [`Operation`] (generated code only).
pub trait PagedOperation: Operation {
    /// One item of a page.
    type Item;

    /// How the operation pages, as its spec declares it.
    const PAGING: Paging;

    /// The items of a decoded page (`body` is the same page as JSON text).
    fn items(page: Self::Output, body: &[u8]) -> Vec<Self::Item>;
}

/// The items at `path` of a page's JSON `body`, as JSON values (when the spec's results
/// path does not name a typed field; generated code only). Only that list is built.
pub fn items_at(body: &[u8], path: Option<&str>) -> Vec<Value> {
    let Some(steps) = json_path::parse(path.unwrap_or("$")) else {
        return Vec::new();
    };
    match json_path::read(body, &[(&steps, Want::Values)], &RandomState::new()).pop() {
        Some(Some(Found::Values(items))) => items,
        _ => Vec::new(),
    }
}

/// Fingerprints of the last [`RECENT`] pages and next-page markers.
#[derive(Default)]
struct Recent {
    hasher: RandomState,
    seen: VecDeque<u64>,
}

impl Recent {
    /// Whether `fingerprint` is among the recent ones; it is remembered either way.
    fn repeats(&mut self, fingerprint: u64) -> bool {
        if self.seen.contains(&fingerprint) {
            return true;
        }
        if self.seen.len() == RECENT {
            self.seen.pop_front();
        }
        self.seen.push_back(fingerprint);
        false
    }
}

/// The page loop shared by [`Pages`] and [`Items`]: which request comes next, and when
/// the pages end.
struct Pager<T> {
    call: Option<(Core, RequestSpec, CallOptions)>,
    /// An error to return on the next poll (a request that could not be built, a
    /// server that loops), after which the pages end.
    failed: Option<Error>,
    sending: Option<Executing>,
    paging: Paging,
    decode: fn(Response) -> Result<T, Error>,
    state: PageState,
    /// Pages fetched so far, and the most this call fetches.
    fetched: usize,
    max_pages: usize,
    /// Recent pages and next-page markers, to stop a server that repeats itself.
    recent: Recent,
}

impl<T> Pager<T> {
    fn new<O: PagedOperation<Output = T>>(operation: O) -> Self {
        let (call, failed) = match operation.request() {
            Ok(call) => (Some(call), None),
            Err(error) => (None, Some(error)),
        };
        let state = match (&call, O::PAGING) {
            (
                Some((_, request, _)),
                Paging::Offset { param, limit, .. } | Paging::Page { param, limit, .. },
            ) => PageState {
                position: query_number(request, param),
                limit: limit.and_then(|limit| query_number(request, limit)),
            },
            _ => PageState::default(),
        };
        Pager {
            call,
            failed,
            sending: None,
            paging: O::PAGING,
            decode: O::decode,
            state,
            fetched: 0,
            max_pages: DEFAULT_MAX_PAGES,
            recent: Recent::default(),
        }
    }

    /// Ends the pages with `Error::Paging`.
    fn stop(&mut self, message: String) -> Poll<Option<Result<(T, Bytes), Error>>> {
        let operation = self
            .call
            .as_ref()
            .map_or("", |(_, request, _)| request.operation);
        self.call = None;
        Poll::Ready(Some(Err(Error::Paging { operation, message })))
    }

    /// The next page, decoded and as JSON text.
    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(T, Bytes), Error>>> {
        if let Some(error) = self.failed.take() {
            self.call = None;
            return Poll::Ready(Some(Err(error)));
        }
        if self.call.is_some() && self.sending.is_none() && self.fetched == self.max_pages {
            let max = self.max_pages;
            return self.stop(format!(
                "there are more than {max} pages (the page limit); `.max_pages(n)` on `.pages()` or `.items()` raises it"
            ));
        }
        let Some((core, request, options)) = &self.call else {
            return Poll::Ready(None);
        };
        let sending = self
            .sending
            .get_or_insert_with(|| execute(core.clone(), request.duplicate(), options.clone()));
        let response = match sending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(response) => response,
        };
        self.sending = None;
        self.fetched += 1;
        let page = response.and_then(|response| {
            let body = response.body().clone();
            let headers = response.headers().clone();
            (self.decode)(response).map(|page| (page, body, headers))
        });
        let (page, body, headers) = match page {
            Ok(page) => page,
            Err(error) => {
                self.call = None;
                return Poll::Ready(Some(Err(error)));
            }
        };
        let fields = self.paging.fields(&body, &self.recent.hasher);
        let fingerprint = self.recent.hasher.hash_one(("page", fields.fingerprint));
        if fields.items != Some(0) && self.recent.repeats(fingerprint) {
            let moves = match self.paging {
                Paging::Offset { param, .. }
                | Paging::Page { param, .. }
                | Paging::Cursor { param, .. } => format!(" (does it ignore `{param}`?)"),
                Paging::Url { .. } | Paging::LinkHeader { .. } => String::new(),
            };
            let n = self.fetched;
            return self.stop(format!(
                "page {n} repeats an earlier page: the server does not move on{moves}"
            ));
        }
        match self.paging.next(&self.state, &fields, &headers) {
            None => self.call = None,
            Some(next) => self.follow(next),
        }
        Poll::Ready(Some(Ok((page, body))))
    }

    /// Points the request at the page `next` names, or ends the pages with an error.
    fn follow(&mut self, next: NextPage) {
        let Some((core, request, _)) = &mut self.call else {
            return;
        };
        let operation = request.operation;
        let marker = match &next {
            NextPage::Query { value, .. } => value,
            NextPage::Url(url) => url,
        };
        let fingerprint = self.recent.hasher.hash_one(("marker", &next));
        let moved = if self.recent.repeats(fingerprint) {
            Err(format!(
                "the server gave the next-page marker {:?} twice",
                snippet(marker.as_bytes(), 200)
            ))
        } else {
            match &next {
                NextPage::Query { name, value } => {
                    self.state.position = value.parse().ok();
                    request.query.retain(|(n, _)| n != name);
                    request.query.push(((*name).to_owned(), value.clone()));
                    Ok(())
                }
                NextPage::Url(url) => point_at(core.server_url(), request, url),
            }
        };
        if let Err(message) = moved {
            self.failed = Some(Error::Paging { operation, message });
        }
    }
}

/// A query parameter of `request` read as a number (the first page's offset or size).
fn query_number(request: &RequestSpec, name: &str) -> Option<i64> {
    request
        .query
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, value)| value.parse().ok())
}

/// Points `request` at `link` (absolute, or relative to the last page's URL), which must
/// stay on the server's origin and under its base path: credentials go nowhere else.
fn point_at(server: &url::Url, request: &mut RequestSpec, link: &str) -> Result<(), String> {
    let base_path = server.path().trim_end_matches('/');
    let current = join(server, &request.path);
    let next = current
        .join(link)
        .map_err(|error| format!("the next-page URL {link:?} is invalid: {error}"))?;
    if next.origin() != server.origin() {
        return Err(format!(
            "the next-page URL {link:?} leaves the server {}",
            server.origin().ascii_serialization()
        ));
    }
    let path = next
        .path()
        .strip_prefix(base_path)
        .filter(|rest| rest.starts_with('/'))
        .ok_or_else(|| format!("the next-page URL {link:?} is outside the server's base path"))?;
    request.path = Cow::Owned(path.to_owned());
    // As the server wrote it: decoding and encoding again would turn a `+` into a space.
    request.encoded_query = next.query().map(str::to_owned);
    request.query.clear();
    Ok(())
}

/// The pages of a paged operation, each its decoded response: what `.pages()` returns.
///
/// Each page is requested when the previous one has been taken; per-call options and
/// retries apply to each. The pages end after an empty page, a page without a next
/// marker (cursor, URL, `Link` header), or an error (which is the last item). A server
/// that gives the same cursor or URL twice, or a page that repeats an earlier one, ends
/// the pages with [`Error::Paging`] (the repeated page is not handed out), and so does a
/// page past the limit ([`DEFAULT_MAX_PAGES`] unless [`max_pages`](Self::max_pages) says
/// otherwise).
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    pager: Pager<T>,
}

impl<T> Pages<T> {
    /// Fetches at most `pages` pages: one more ends the pages with [`Error::Paging`]
    /// (default [`DEFAULT_MAX_PAGES`]; `usize::MAX` for no limit).
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.pager.max_pages = pages;
        self
    }

    /// The next page: `None` once the pages have ended. The same as
    /// `StreamExt::next`, without importing a stream extension trait.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is `Unpin` (the sending future is boxed).
        let this = Pin::into_inner(self);
        this.pager
            .poll_page(cx)
            .map(|page| page.map(|page| page.map(|(page, _)| page)))
    }
}

/// The items of every page of a paged operation, in order: what `.items()` returns.
/// Pages are fetched as the items run out; see [`Pages`] for when they end.
#[must_use = "streams do nothing unless polled"]
pub struct Items<T, I> {
    pager: Pager<T>,
    items: fn(T, &[u8]) -> Vec<I>,
    ready: VecDeque<I>,
}

// Nothing of an `Items` is ever pinned in place: its items are moved out of the deque.
impl<T, I> Unpin for Items<T, I> {}

impl<T, I> Items<T, I> {
    /// Fetches at most `pages` pages: one more ends the items with [`Error::Paging`]
    /// (default [`DEFAULT_MAX_PAGES`]; `usize::MAX` for no limit).
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.pager.max_pages = pages;
        self
    }

    /// The next item: `None` once the pages have ended. The same as
    /// `StreamExt::next`, without importing a stream extension trait.
    pub async fn next(&mut self) -> Option<Result<I, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T, I> Stream for Items<T, I> {
    type Item = Result<I, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = Pin::into_inner(self);
        loop {
            if let Some(item) = this.ready.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match this.pager.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok((page, body)))) => {
                    this.ready.extend((this.items)(page, &body));
                }
            }
        }
    }
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("paging", &self.pager.paging)
            .field("fetched", &self.pager.fetched)
            .field("max_pages", &self.pager.max_pages)
            .field("ended", &self.pager.call.is_none())
            .finish_non_exhaustive()
    }
}

impl<T, I> std::fmt::Debug for Items<T, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("paging", &self.pager.paging)
            .field("ready", &self.ready.len())
            .field("fetched", &self.pager.fetched)
            .field("max_pages", &self.pager.max_pages)
            .field("ended", &self.pager.call.is_none())
            .finish_non_exhaustive()
    }
}

/// The pages of `operation` (generated code only).
pub fn pages<O: PagedOperation>(operation: O) -> Pages<O::Output> {
    Pages {
        pager: Pager::new(operation),
    }
}

/// The items of every page of `operation` (generated code only).
pub fn items<O: PagedOperation>(operation: O) -> Items<O::Output, O::Item> {
    Items {
        pager: Pager::new(operation),
        items: O::items,
        ready: VecDeque::new(),
    }
}

/// `.pages()` and `.items()` on the request builder of a paged operation (generated code
/// only); the builder implements [`PagedOperation`].
#[doc(hidden)]
#[macro_export]
macro_rules! __paged_request_builder {
    ($(#[$attr:meta])* $name:ident => $output:ty, $item:ty) => {
        $(#[$attr])*
        impl $name {
            /// Every page, each the decoded response, requested one after the other as
            /// the stream is read (per-call options and retries apply to each).
            #[inline]
            pub fn pages(self) -> $crate::Pages<$output> {
                $crate::__private::pages(self)
            }

            /// The items of every page, in order, fetching pages as they run out.
            #[inline]
            pub fn items(self) -> $crate::Items<$output, $item> {
                $crate::__private::items(self)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    fn request(path: &str) -> RequestSpec {
        RequestSpec::new(Method::GET, "list", path.to_owned())
    }

    #[test]
    fn next_urls_stay_on_the_server_under_its_base_path() {
        let server = url::Url::parse("https://api.example/v2/").unwrap();
        let mut spec = request("/items");
        spec.query("limit", 5);
        point_at(&server, &mut spec, "/v2/items?page=2&q=a%20b+c").unwrap();
        assert_eq!(spec.path, "/items");
        // The query as the server wrote it, in place of the first request's.
        assert_eq!(spec.encoded_query.as_deref(), Some("page=2&q=a%20b+c"));
        assert!(spec.query.is_empty());
        point_at(&server, &mut spec, "https://api.example/v2/items?page=3").unwrap();
        assert_eq!(spec.encoded_query.as_deref(), Some("page=3"));
        point_at(&server, &mut spec, "more?page=4").unwrap();
        assert_eq!(spec.path, "/more");
        point_at(&server, &mut spec, "/v2/all").unwrap();
        assert_eq!(spec.encoded_query, None);
        for bad in [
            "https://evil.example/v2/items",
            "/other/items",
            "http://api.example/v2/x",
        ] {
            assert!(point_at(&server, &mut spec, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn items_at_reads_the_results_path() {
        let body = br#"{"data": [1, {"a": 2}], "meta": {}}"#;
        assert_eq!(
            items_at(body, Some("$.data")),
            [serde_json::json!(1), serde_json::json!({"a": 2})]
        );
        assert!(items_at(body, Some("$.meta")).is_empty());
        assert!(items_at(body, Some("not a path")).is_empty());
        assert_eq!(items_at(b"[3]", None), [serde_json::json!(3)]);
    }

    #[test]
    fn recent_fingerprints_are_a_bounded_window() {
        let mut recent = Recent::default();
        assert!(!recent.repeats(1));
        assert!(recent.repeats(1));
        for n in 2..(RECENT as u64 + 2) {
            assert!(!recent.repeats(n));
        }
        assert_eq!(recent.seen.len(), RECENT);
        // 1 fell out of the window.
        assert!(!recent.repeats(1));
    }
}
