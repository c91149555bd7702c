//! Hooks see every attempt and can change the request.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use bytes::Bytes;
use orq_runtime::{AsyncHook, Error, Hook, HookContext};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use super::support::{Reply, builder, echo_server, get, recording, refused_url, scripted, serve};

#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<String>>,
}

impl Recorder {
    fn events(&self) -> Vec<String> {
        self.events.lock().unwrap().clone()
    }

    fn push(&self, event: String) {
        self.events.lock().unwrap().push(event);
    }
}

impl Hook for Recorder {
    fn before_request(&self, ctx: &HookContext, req: &mut reqwest::Request) -> Result<(), Error> {
        self.push(format!(
            "before {} #{} {} {}",
            ctx.operation, ctx.attempt, ctx.method, ctx.url_path
        ));
        let value = format!("attempt-{}", ctx.attempt).parse().unwrap();
        req.headers_mut().insert("x-hook", value);
        Ok(())
    }

    fn after_response(
        &self,
        ctx: &HookContext,
        status: StatusCode,
        _headers: &HeaderMap,
        body: &Bytes,
    ) {
        self.push(format!(
            "after #{} {} {}B",
            ctx.attempt,
            status.as_u16(),
            body.len()
        ));
    }

    fn on_error(&self, ctx: &HookContext, err: &Error) {
        let kind = if matches!(err, Error::Transport { .. }) {
            "transport"
        } else {
            "other"
        };
        self.push(format!("error #{} {kind}", ctx.attempt));
    }
}

#[tokio::test]
async fn hooks_run_around_every_attempt() {
    let (base, _) = scripted(vec![Reply::new(503, "busy"), Reply::new(200, "fine")]).await;
    let recorder = Arc::new(Recorder::default());
    let client = builder(&base).hook(recorder.clone()).build().unwrap();
    client.call(get("/things")).await.unwrap();
    assert_eq!(
        recorder.events(),
        [
            "before get_thing #1 GET /things",
            "after #1 503 4B",
            "before get_thing #2 GET /things",
            "after #2 200 4B",
        ]
    );
}

#[tokio::test]
async fn hooks_can_add_headers() {
    let (base, _) = echo_server().await;
    let client = builder(&base).hook(Recorder::default()).build().unwrap();
    let seen: Value = client.call(get("/echo")).await.unwrap().json().unwrap();
    assert_eq!(seen["headers"]["x-hook"], "attempt-1");
}

#[tokio::test]
async fn on_error_sees_each_failed_attempt() {
    let recorder = Arc::new(Recorder::default());
    let quick = orq_runtime::RetryConfig::backoff(orq_runtime::BackoffConfig {
        initial_interval: std::time::Duration::from_millis(5),
        max_interval: std::time::Duration::from_millis(10),
        exponent: 1.0,
        max_elapsed_time: std::time::Duration::from_millis(200),
    });
    let client = builder(&refused_url().await)
        .retry(quick)
        .hook(recorder.clone())
        .build()
        .unwrap();
    let error = client.call(get("/down")).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let events = recorder.events();
    let errors = events.iter().filter(|e| e.starts_with("error #")).count();
    assert!(errors >= 2, "connection errors are retried: {events:?}");
    assert!(events.iter().all(|e| !e.starts_with("after")), "{events:?}");
}

struct Refuse;

impl Hook for Refuse {
    fn before_request(&self, _: &HookContext, _: &mut reqwest::Request) -> Result<(), Error> {
        Err(Error::Config("refused by hook".into()))
    }
}

#[tokio::test]
async fn a_failing_hook_stops_the_call() {
    let (base, hits) = echo_server().await;
    let client = builder(&base).hook(Refuse).build().unwrap();
    let error = client.call(get("/x")).await.unwrap_err();
    assert_eq!(error.to_string(), "configuration error: refused by hook");
    assert_eq!(hits.count(), 0);
}

/// A hook that asks a "vault" task for a secret over a channel, waits a little (a
/// remote signer), then signs what the sync hooks left.
struct Vault {
    asks: mpsc::Sender<oneshot::Sender<String>>,
}

impl Vault {
    /// The hook and the task answering it with `secret-1`, `secret-2`, ...
    fn start() -> Self {
        let (asks, mut questions) = mpsc::channel::<oneshot::Sender<String>>(4);
        tokio::spawn(async move {
            let mut served = 0;
            while let Some(answer) = questions.recv().await {
                served += 1;
                let _ = answer.send(format!("secret-{served}"));
            }
        });
        Vault { asks }
    }
}

impl AsyncHook for Vault {
    async fn before_request(
        &self,
        ctx: &HookContext,
        req: &mut reqwest::Request,
    ) -> Result<(), Error> {
        let gone = || Error::Config("the vault is gone".into());
        let (answer, secret) = oneshot::channel();
        self.asks.send(answer).await.map_err(|_| gone())?;
        let secret = secret.await.map_err(|_| gone())?;
        tokio::time::sleep(Duration::from_millis(5)).await;
        let signed_over = req.headers()["x-hook"].to_str().unwrap().to_owned();
        let signature = format!("{secret}/{}/{signed_over}", ctx.attempt);
        req.headers_mut()
            .insert("x-signature", signature.parse().unwrap());
        Ok(())
    }
}

#[tokio::test]
async fn an_async_hook_awaits_before_every_attempt_after_the_sync_hooks() {
    let (base, requests) = recording(vec![
        Reply::new(503, "busy"),
        Reply::new(502, "bad gateway"),
        Reply::new(200, "{}"),
    ])
    .await;
    let recorder = Arc::new(Recorder::default());
    let client = builder(&base)
        .async_hook(Vault::start())
        .hook(recorder.clone())
        .build()
        .unwrap();
    let response = client.call(get("/things")).await.unwrap();
    assert_eq!(response.attempts(), 3);
    // Run after the sync hook (added after it), so the signature covers its header.
    assert_eq!(
        requests.header("x-signature"),
        [
            "secret-1/1/attempt-1",
            "secret-2/2/attempt-2",
            "secret-3/3/attempt-3"
        ]
        .map(|s| Some(s.to_owned()))
    );
}

#[tokio::test]
async fn an_async_hook_runs_again_for_a_redirect() {
    let (target, requests) = recording(vec![Reply::new(200, "{}")]).await;
    let (base, _) = scripted(vec![
        Reply::new(307, "").header("location", format!("{target}/moved")),
    ])
    .await;
    let client = builder(&base)
        .hook(Recorder::default())
        .async_hook(Vault::start())
        .build()
        .unwrap();
    client.call(get("/old")).await.unwrap();
    // The first attempt's signature went to the redirecting server, a fresh one here.
    assert_eq!(
        requests.header("x-signature"),
        [Some("secret-2/1/attempt-1".to_owned())]
    );
}

struct Unreachable;

impl AsyncHook for Unreachable {
    async fn before_request(&self, _: &HookContext, _: &mut reqwest::Request) -> Result<(), Error> {
        tokio::task::yield_now().await;
        Err(Error::Config("the signing service is unreachable".into()))
    }
}

#[tokio::test]
async fn a_failing_async_hook_stops_the_call() {
    let (base, hits) = echo_server().await;
    let recorder = Arc::new(Recorder::default());
    let client = builder(&base)
        .hook(recorder.clone())
        .async_hook(Unreachable)
        .build()
        .unwrap();
    let error = client.call(get("/x")).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "configuration error: the signing service is unreachable"
    );
    assert_eq!(hits.count(), 0);
    assert_eq!(
        recorder.events(),
        ["before get_thing #1 GET /x", "error #1 other"]
    );
}

struct Stalls;

impl AsyncHook for Stalls {
    async fn before_request(&self, _: &HookContext, _: &mut reqwest::Request) -> Result<(), Error> {
        tokio::time::sleep(Duration::from_secs(60)).await;
        Ok(())
    }
}

#[tokio::test]
async fn a_stalled_async_hook_is_bounded_by_the_attempt_timeout() {
    let (base, hits) = echo_server().await;
    let client = builder(&base).async_hook(Stalls).build().unwrap();
    let options = orq_runtime::CallOptions::new()
        .timeout(Duration::from_millis(100))
        .retries(orq_runtime::RetryConfig::none());
    let error = client.call_with(get("/x"), options).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(hits.count(), 0);
}

/// What `after_response` is told: the redirect count and the path, per response.
#[derive(Default)]
struct Landed(Mutex<Vec<(usize, String)>>);

impl Hook for Landed {
    fn after_response(&self, ctx: &HookContext, _: StatusCode, _: &HeaderMap, _: &Bytes) {
        let seen = (ctx.redirect, ctx.url_path.clone());
        self.0.lock().unwrap().push(seen);
    }
}

#[tokio::test]
async fn after_a_cross_origin_redirect_hooks_see_where_the_response_came_from() {
    let other = serve(axum::Router::new().fallback(|| async { "landed" })).await;
    let target = format!("{other}/landed/here");
    let origin = serve(axum::Router::new().fallback(move || {
        let target = target.clone();
        async move { axum::response::Redirect::temporary(&target) }
    }))
    .await;
    let landed = Arc::new(Landed::default());
    let client = builder(&origin).hook(landed.clone()).build().unwrap();
    let response = client.call(get("/start")).await.unwrap();
    assert_eq!(response.text().unwrap(), "landed");
    assert_eq!(*landed.0.lock().unwrap(), [(1, "/landed/here".to_owned())]);
}
