//! A request, its future and its pages borrow nothing: a request is stored in a struct
//! and cloned, its future spawned on another task, a pager returned from a function,
//! and all of them outlive the client value they came from.

use orq_client::models::CreateContactRequestBody;
use orq_client::requests::ContactsCreate;
use orq_client::{Orq, RetryConfig};
use orq_tests::usage_sdks::pages::{self, models::Event};

/// A request kept for later: no lifetime to name.
struct Queued {
    request: ContactsCreate,
}

/// A pager returned from a function that borrowed the client only for the call.
fn events(client: &pages::Pages) -> orq_runtime::Items<pages::models::EventsListResponse, Event> {
    client.events().list().items()
}

fn is_static_send<T: Send + 'static>(_: &T) {}

fn main() {
    let orq = Orq::builder()
        .server_url("http://127.0.0.1:9")
        .bearer("token")
        .build()
        .unwrap();
    let body = CreateContactRequestBody::builder().external_id("user_1");
    let request = orq.contacts().create(body).retries(RetryConfig::none());
    let queued = Queued {
        request: request.clone(),
    };
    let client = pages::Pages::builder()
        .server_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let items = events(&client);
    drop((orq, client));
    is_static_send(&request);
    is_static_send(&queued.request);
    is_static_send(&items);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let sent = tokio::spawn(request.send());
        let kept = tokio::spawn(std::future::IntoFuture::into_future(queued.request));
        let paged = tokio::spawn(async move {
            let mut items = items;
            items.next().await.map(|item| item.is_ok())
        });
        is_static_send(&sent);
        sent.abort();
        kept.abort();
        paged.abort();
    });
}
