//! Many concurrent calls through one client: no failures, connections
//! reused from the pool, and every connection closed once the client is gone.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;

use super::support::{Hits, builder, get, serve_counting};

const REQUESTS: usize = 2_000;
const CONCURRENCY: usize = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_requests_at_64_concurrent() {
    let hits = Hits::default();
    let counter = hits.clone();
    let (base, connections) = serve_counting(Router::new().fallback(move || {
        let n = counter.record();
        async move { format!("{{\"n\":{n}}}") }
    }))
    .await;
    let client = builder(&base).bearer("tok").build().unwrap();

    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (client, next, failures) = (client.clone(), next.clone(), failures.clone());
        workers.spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < REQUESTS {
                let ok = match client.call(get("/ping")).await {
                    Ok(response) => {
                        response.status().is_success()
                            && response.json::<serde_json::Value>().is_ok()
                    }
                    Err(_) => false,
                };
                if !ok {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    let all_done = async {
        while let Some(joined) = workers.join_next().await {
            joined.unwrap();
        }
    };
    tokio::time::timeout(Duration::from_secs(60), all_done)
        .await
        .expect("load test finished within 60 s");

    let elapsed = started.elapsed();

    assert_eq!(failures.load(Ordering::Relaxed), 0);
    assert_eq!(hits.count(), REQUESTS);
    let accepted = connections.accepted();
    println!(
        "load: {REQUESTS} requests, {CONCURRENCY} concurrent, {accepted} connections accepted, {} ms",
        elapsed.as_millis()
    );
    // The pool reuses connections: about one per concurrent caller (65-70
    // seen), never one per request. The slack covers a connection checked
    // back in just after another caller opened a new one, on a busy machine.
    assert!(
        accepted <= 2 * CONCURRENCY,
        "{accepted} connections for {CONCURRENCY} concurrent callers"
    );

    // Dropping the last handle to the client closes every pooled connection.
    drop(client);
    let deadline = Instant::now() + Duration::from_secs(10);
    while connections.open() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        connections.open(),
        0,
        "connections still open 10 s after the client was dropped"
    );
}
