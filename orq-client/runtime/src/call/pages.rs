//! The pages of a paged operation as streams: [`Pages`] yields each page's decoded
//! response, [`Items`] the items of every page in order. Each page is a call like any
//! other (credentials, hooks, per-call options, retries); only the query parameter or
//! the URL the operation's paging rule names changes from one page to the next.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde_json::Value;

use crate::call::operation::{Executing, Operation, execute};
use crate::client::core::Core;
use crate::error::Error;
use crate::options::CallOptions;
use crate::request::RequestSpec;
use crate::response::Response;
use crate::spec::paging::{NextPage, PageState, Paging, select};

/// What a paged operation's request builder adds to [`Operation`] (generated code only).
pub trait PagedOperation: Operation {
    /// One item of a page.
    type Item;

    /// How the operation pages, as its spec declares it.
    const PAGING: Paging;

    /// The items of a decoded page (`body` is the same page as JSON).
    fn items(page: Self::Output, body: &Value) -> Vec<Self::Item>;
}

/// The items at `path` of a page, as JSON values (when the spec's results path does not
/// name a typed field; generated code only).
pub fn items_at(body: &Value, path: Option<&str>) -> Vec<Value> {
    let list = match path {
        Some(path) => select(body, path),
        None => Some(body),
    };
    list.and_then(Value::as_array).cloned().unwrap_or_default()
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
    /// Every next-page marker followed, to stop a server that loops.
    seen: HashSet<NextPage>,
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
            seen: HashSet::new(),
        }
    }

    /// The next page, decoded and as JSON.
    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(T, Value), Error>>> {
        if let Some(error) = self.failed.take() {
            self.call = None;
            return Poll::Ready(Some(Err(error)));
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
        let page = response.and_then(|response| {
            let body = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
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
        let items = match self.paging.results() {
            Some(path) => select(&body, path)
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            // Without a results path only the next marker ends the pages.
            None => 1,
        };
        match self.paging.next(&self.state, &body, &headers, items) {
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
        let moved = if self.seen.contains(&next) {
            Err(format!(
                "the server gave the next-page marker {next:?} twice"
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
        match moved {
            Ok(()) => {
                self.seen.insert(next);
            }
            Err(message) => self.failed = Some(Error::Paging { operation, message }),
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
    let mut current = server.clone();
    current.set_path(&format!("{base_path}{}", request.path));
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
    request.path = path.to_owned();
    request.query = next.query_pairs().into_owned().collect();
    Ok(())
}

/// The pages of a paged operation, each its decoded response: what `.pages()` returns.
///
/// Each page is requested when the previous one has been taken; per-call options and
/// retries apply to each. The pages end after an empty page, a page without a next
/// marker (cursor, URL, `Link` header), or an error (which is the last item). A server
/// that gives the same cursor or URL twice ends the pages with [`Error::Paging`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    pager: Pager<T>,
}

impl<T> Pages<T> {
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
    items: fn(T, &Value) -> Vec<I>,
    ready: VecDeque<I>,
}

// Nothing of an `Items` is ever pinned in place: its items are moved out of the deque.
impl<T, I> Unpin for Items<T, I> {}

impl<T, I> Items<T, I> {
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
            .field("ended", &self.pager.call.is_none())
            .finish_non_exhaustive()
    }
}

impl<T, I> std::fmt::Debug for Items<T, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("paging", &self.pager.paging)
            .field("ready", &self.ready.len())
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
        point_at(&server, &mut spec, "/v2/items?page=2&q=a%20b").unwrap();
        assert_eq!(spec.path, "/items");
        assert_eq!(
            spec.query,
            [("page".into(), "2".into()), ("q".into(), "a b".into())]
        );
        point_at(&server, &mut spec, "https://api.example/v2/items?page=3").unwrap();
        assert_eq!(spec.query, [("page".to_owned(), "3".to_owned())]);
        point_at(&server, &mut spec, "more?page=4").unwrap();
        assert_eq!(spec.path, "/more");
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
        let body = serde_json::json!({"data": [1, 2], "meta": {}});
        assert_eq!(items_at(&body, Some("$.data")).len(), 2);
        assert!(items_at(&body, Some("$.meta")).is_empty());
        assert_eq!(items_at(&serde_json::json!([3]), None).len(), 1);
    }
}
