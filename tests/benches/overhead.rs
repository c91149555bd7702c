//! Per-request overhead of a generated call against hand-written reqwest doing the same
//! JSON work on a 127.0.0.1 axum server, sequential and 64 at a time.
//!
//! Both sides build the same body with the generated builder, encode it with serde_json,
//! send it with a bearer token, read the reply within the same 32 MiB bound (refused by
//! its `Content-Length`, else counted chunk by chunk) and decode it into the same type.
//! What the generated call does besides, by default, is printed above the table: it
//! checks the body and the reply against the spec, runs in a tracing span, bounds each
//! attempt by a timeout, keeps a retry policy, and sends two more headers, `User-Agent`
//! and `Idempotency-Key` (a UUID v4 from the OS, since the spec lets this POST be
//! retried). A third side, hand-written reqwest sending those two headers too (a fresh
//! UUID v4 per call), shows what they cost apart from the runtime.
//!
//! Prints the median of 9 rounds of each side (the rounds alternate, each side going
//! first in turn), the ratio of the medians and that of the best rounds, and the same
//! for the process's CPU time per call (steadier on a busy machine; the server's share
//! is the same for every side); then the allocations per call of each side (the whole
//! process, server included, counted over calls made outside the timed rounds).
//!
//! ```text
//! cargo bench -p orq-tests --bench overhead          # bench/compile.sh runs it too
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use orq_client::Orq;
use orq_client::models::{CreateContactRequestBody, CreateContactResponseBody};
use orq_runtime::{DEFAULT_MAX_RESPONSE_BYTES, reqwest};

/// The system allocator, counting allocations (a reallocation counts as one).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(pointer, layout, size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const REPLY: &str = r#"{"_id":"contact_01ARZ3NDEKTSV4RRFFQ69G5FAV","external_id":"user_12345","display_name":"Jane Smith","email":null,"tags":["premium"],"created":"2026-02-09T20:45:05.252Z","updated":"2026-02-09T20:45:05.270Z"}"#;

/// The `User-Agent` the generated client sends (its `ClientInfo`).
const USER_AGENT: &str = "Orq/0.1.0 (orq-codegen; orq.ai API 2.0)";

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

/// Hand-written reqwest; with `same_headers`, it also sends the generated call's
/// `User-Agent` and a fresh `Idempotency-Key`.
async fn by_hand(
    http: &reqwest::Client,
    url: &str,
    same_headers: bool,
) -> CreateContactResponseBody {
    let mut request = http
        .post(format!("{url}/v2/contacts"))
        .bearer_auth("key")
        .header("content-type", "application/json");
    if same_headers {
        let key = uuid::Uuid::new_v4();
        let mut buffer = [0; uuid::fmt::Hyphenated::LENGTH];
        request = request.header("user-agent", USER_AGENT).header(
            "idempotency-key",
            &*key.hyphenated().encode_lower(&mut buffer),
        );
    }
    let response = request
        .body(serde_json::to_vec(&body()).unwrap())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let bytes = read_bounded(response, DEFAULT_MAX_RESPONSE_BYTES).await;
    serde_json::from_slice(&bytes).unwrap()
}

/// The body of `response`, refused past `limit` bytes: by its `Content-Length` before
/// reading, else counted chunk by chunk (what the runtime does).
async fn read_bounded(mut response: reqwest::Response, limit: u64) -> Vec<u8> {
    let declared = response.content_length().unwrap_or(0);
    assert!(declared <= limit, "announced {declared} bytes");
    let mut body = Vec::with_capacity(declared as usize);
    while let Some(chunk) = response.chunk().await.unwrap() {
        assert!(
            (body.len() + chunk.len()) as u64 <= limit,
            "past {limit} bytes"
        );
        body.extend_from_slice(&chunk);
    }
    body
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

/// Allocations per call of `call`, made sequentially (the whole process: the server's
/// share is the same for every side).
async fn allocations<F, Fut>(call: F) -> f64
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = CreateContactResponseBody>,
{
    const CALLS: usize = 500;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..CALLS {
        std::hint::black_box(call().await);
    }
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / CALLS as f64
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

/// The sides compared, in the order of the table.
const SIDES: [&str; 3] = ["generated", "hand-written", "hand-written + UA, key"];

#[tokio::main]
async fn main() {
    let url = server().await;
    let orq = Orq::builder()
        .server_url(&url)
        .bearer("key")
        .build()
        .unwrap();
    let http = reqwest::Client::builder().build().unwrap();
    let call = |side: usize| {
        let (orq, http, url) = (&orq, &http, &url);
        async move {
            match side {
                0 => generated(orq).await,
                1 => by_hand(http, url, false).await,
                _ => by_hand(http, url, true).await,
            }
        }
    };
    // Warm every connection pool.
    for side in 0..SIDES.len() {
        call(side).await;
    }
    println!(
        "generated: `orq.contacts().create(body)`, which also checks the body and the reply \
         against the spec, runs in an `orq.call` span, bounds the attempt by a 60 s timeout, \
         follows the spec's retry policy and sends `User-Agent` and `Idempotency-Key` (a UUID \
         v4 from the OS); hand-written: reqwest, same body, JSON, bearer token, bounded read \
         and decoding; the third side adds the two headers. Ratios are against plain \
         hand-written reqwest; CPU is the whole process's (server included)."
    );
    println!();
    println!(
        "| calls | side | wall (median) | ratio of medians | ratio of bests | CPU (median) | CPU ratio of medians |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (label, total, concurrency) in [("sequential", 2000, 1), ("64 concurrent", 6400, 64)] {
        // Rounds of the sides alternate, each going first in turn, so that a machine
        // busy with other work slows them alike.
        let mut samples: Vec<Vec<(Duration, Duration)>> = vec![Vec::new(); SIDES.len()];
        for i in 0..ROUNDS {
            for turn in 0..SIDES.len() {
                let side = (i + turn) % SIDES.len();
                samples[side].push(round(total, concurrency, || call(side)).await);
            }
        }
        let wall: Vec<_> = samples
            .iter()
            .map(|s| median_and_best(s.iter().map(|s| s.0).collect()))
            .collect();
        let cpu: Vec<_> = samples
            .iter()
            .map(|s| median_and_best(s.iter().map(|s| s.1).collect()).0)
            .collect();
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        for (side, name) in SIDES.iter().enumerate() {
            println!(
                "| {label} | {name} | {:.1} µs | {:.3} | {:.3} | {:.1} µs | {:.3} |",
                us(wall[side].0),
                ratio(wall[side].0, wall[1].0),
                ratio(wall[side].1, wall[1].1),
                us(cpu[side]),
                ratio(cpu[side], cpu[1]),
            );
        }
    }
    println!();
    let mut counts = Vec::new();
    for side in 0..SIDES.len() {
        counts.push(allocations(|| call(side)).await);
    }
    println!(
        "allocations per call (whole process, server included): {}",
        SIDES
            .iter()
            .zip(&counts)
            .map(|(name, count)| format!("{name} {count:.1}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// Rounds of each kind of call.
const ROUNDS: usize = 9;
