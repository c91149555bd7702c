//! Per-request overhead of a generated call against hand-written reqwest doing the same
//! work (JSON body out, bearer token, typed JSON in) on a 127.0.0.1 axum server,
//! sequential and 64 at a time. Prints the median of 9 rounds of each (the rounds of
//! the two alternate), the ratio of the medians and that of the best rounds, and the
//! same for the process's CPU time per call (steadier on a busy machine).
//!
//! ```text
//! cargo bench -p orq-tests --bench overhead          # bench/compile.sh runs it too
//! ```

use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use orq_client::Orq;
use orq_client::models::{CreateContactRequestBody, CreateContactResponseBody};
use orq_runtime::reqwest;

const REPLY: &str = r#"{"_id":"contact_01ARZ3NDEKTSV4RRFFQ69G5FAV","external_id":"user_12345","display_name":"Jane Smith","email":null,"tags":["premium"],"created":"2026-02-09T20:45:05.252Z","updated":"2026-02-09T20:45:05.270Z"}"#;

async fn server() -> String {
    let app = Router::new().route(
        "/v2/contacts",
        post(|body: axum::body::Bytes| async move {
            assert!(!body.is_empty());
            ([("content-type", "application/json")], REPLY)
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn body() -> CreateContactRequestBody {
    CreateContactRequestBody::builder()
        .external_id("user_12345")
        .display_name("Jane Smith")
        .tags(vec!["premium".to_string(), "beta-user".to_string()])
        .build()
        .unwrap()
}

async fn generated(orq: &Orq) -> CreateContactResponseBody {
    orq.contacts().create(body()).await.unwrap()
}

async fn by_hand(http: &reqwest::Client, url: &str) -> CreateContactResponseBody {
    let response = http
        .post(format!("{url}/v2/contacts"))
        .bearer_auth("key")
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&body()).unwrap())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// The wall time and the CPU time (of the whole process, server included; zero where
/// it cannot be read) per request of one round of `total` requests, `concurrency` at a
/// time.
async fn round<F, Fut>(total: usize, concurrency: usize, call: F) -> (Duration, Duration)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = CreateContactResponseBody>,
{
    let (start, cpu) = (Instant::now(), cpu_time());
    for _ in 0..total / concurrency {
        let batch: Vec<Fut> = (0..concurrency).map(|_| call()).collect();
        for done in join_all(batch).await {
            std::hint::black_box(done);
        }
    }
    let cpu = cpu_time().saturating_sub(cpu);
    (start.elapsed() / total as u32, cpu / total as u32)
}

/// The CPU time every thread of this process has had (Linux: `schedstat`, nanoseconds).
/// On a machine busy with other work it varies less than the wall time: a thread waiting
/// for a core does not count.
fn cpu_time() -> Duration {
    let read = || -> Option<u64> {
        let mut total = 0;
        for task in std::fs::read_dir("/proc/self/task").ok()? {
            let text = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
            total += text.split_whitespace().next()?.parse::<u64>().ok()?;
        }
        Some(total)
    };
    Duration::from_nanos(read().unwrap_or(0))
}

/// The median and the best of `samples`.
fn median_and_best(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    (samples[samples.len() / 2], samples[0])
}

/// Poll every future to completion on this task (no extra dependency for `join_all`).
async fn join_all<Fut: std::future::Future>(futures: Vec<Fut>) -> Vec<Fut::Output> {
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<Fut::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, slot) in futures.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *slot = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

#[tokio::main]
async fn main() {
    let url = server().await;
    let orq = Orq::builder()
        .server_url(&url)
        .bearer("key")
        .build()
        .unwrap();
    let http = reqwest::Client::builder().build().unwrap();
    // Warm both connection pools.
    generated(&orq).await;
    by_hand(&http, &url).await;
    println!(
        "| calls | generated | hand-written reqwest | ratio of medians | ratio of bests | CPU: generated | CPU: hand-written | CPU ratio of medians |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (label, total, concurrency) in [("sequential", 2000, 1), ("64 concurrent", 6400, 64)] {
        // Rounds of the two alternate, each going first every other time, so that a
        // machine busy with other work slows both alike.
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for i in 0..ROUNDS {
            if i % 2 == 0 {
                ours.push(round(total, concurrency, || generated(&orq)).await);
                theirs.push(round(total, concurrency, || by_hand(&http, &url)).await);
            } else {
                theirs.push(round(total, concurrency, || by_hand(&http, &url)).await);
                ours.push(round(total, concurrency, || generated(&orq)).await);
            }
        }
        let wall = |samples: &[(Duration, Duration)]| samples.iter().map(|s| s.0).collect();
        let cpu = |samples: &[(Duration, Duration)]| samples.iter().map(|s| s.1).collect();
        let ((ours_cpu, _), (theirs_cpu, _)) =
            (median_and_best(cpu(&ours)), median_and_best(cpu(&theirs)));
        let ((ours, ours_best), (theirs, theirs_best)) =
            (median_and_best(wall(&ours)), median_and_best(wall(&theirs)));
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        println!(
            "| {label} | {:.1} µs | {:.1} µs | {:.3} | {:.3} | {:.1} µs | {:.1} µs | {:.3} |",
            us(ours),
            us(theirs),
            ratio(ours, theirs),
            ratio(ours_best, theirs_best),
            us(ours_cpu),
            us(theirs_cpu),
            ratio(ours_cpu, theirs_cpu),
        );
    }
}

/// Rounds of each kind of call.
const ROUNDS: usize = 9;
