//! The pipeline every call runs through, as free functions over the client's
//! [`Config`]: the request prepared once (`prepare`), the retry policy and deadlines
//! chosen (`policy`), the idempotency key of a call that may be retried
//! (`idempotency`), then attempts (`attempt`) until one succeeds or no retry is left,
//! with one OAuth2 token refresh on a 401, all in one tracing span. What it did (the
//! attempts made) is recorded in the response or the error it returns.

pub(crate) mod attempt;
pub(crate) mod idempotency;
pub(crate) mod policy;
pub(crate) mod prepare;

use std::future::Future;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use http::StatusCode;
use tracing::Instrument;
use tracing::field::Empty;

use crate::client::config::Config;
use crate::client::pipeline::attempt::{Failure, Payload, run_attempt};
use crate::client::pipeline::idempotency::add_idempotency_key;
use crate::client::pipeline::policy::{attempt_limit, policy_for};
use crate::client::pipeline::prepare::{Outgoing, prepare};
use crate::error::Error;
use crate::error::record::CallRecord;
use crate::hooks::HookContext;
use crate::options::CallOptions;
use crate::request::RequestSpec;
use crate::response::{Response, Unread};
use crate::retry::{RetryConfig, Schedule, retry_after};
use crate::transport::classify::is_retryable;

/// One call on `config` (see [`Core::execute`](crate::__private::Core::execute)), run in
/// an `orq.call` tracing span when polled. What does not wait (the retry policy, the
/// request with its headers and idempotency key) is prepared now, so the future holds
/// only what the attempts need.
pub(crate) fn execute(
    config: Arc<Config>,
    request: RequestSpec,
    options: CallOptions,
) -> impl Future<Output = Result<Response, Error>> + Send + 'static {
    let (operation, method, template) =
        (request.operation, request.method.clone(), request.template);
    // Both boxed: the future holds a pointer to either.
    let mut call = Call::prepare(&config, request, options).map_err(Box::new);
    async move {
        // In a block: the span, once handed over, is not kept twice in the future.
        let attempts = {
            let span = tracing::info_span!(
                "orq.call",
                operation,
                method = %method,
                path_template = template,
                status = Empty,
                attempts = Empty,
                duration_ms = Empty,
                request_id = Empty,
            );
            match call {
                Err(error) => return Err(*error),
                // The span is passed down rather than read back with `Span::current()`,
                // which subscribers without span tracking answer with a disabled span.
                Ok(ref mut call) => {
                    run(&config, call, Instant::now(), span.clone()).instrument(span)
                }
            }
        };
        attempts.await
    }
}

/// A call ready for its attempts, boxed: the future of a call holds a pointer to it.
struct Call {
    outgoing: Outgoing,
    retry: RetryConfig,
}

impl Call {
    /// The retry policy and the request of a call; refuses one that cannot be sent.
    fn prepare(
        config: &Config,
        request: RequestSpec,
        mut options: CallOptions,
    ) -> Result<Box<Self>, Error> {
        let retry = policy_for(&config.retry, config.retry_set, &request, &options);
        let timeout = options.timeout.or(config.timeout);
        let idempotency_key = options.idempotency_key.take();
        let mut outgoing = prepare(config, request, options, timeout)?;
        add_idempotency_key(config, &retry, &mut outgoing, idempotency_key)?;
        Ok(Box::new(Call { outgoing, retry }))
    }
}

/// The attempts of `call`, from `started`, until one succeeds or no retry is left.
async fn run(
    config: &Config,
    call: &mut Call,
    started: Instant,
    span: tracing::Span,
) -> Result<Response, Error> {
    let Call { outgoing, retry } = call;
    let timeout = outgoing.timeout;
    // One deadline for the whole call: the retry budget, or the
    // per-attempt timeout for a call that does not retry.
    let call_deadline = match retry.backoff_config() {
        Some(backoff) => Some(started + backoff.max_elapsed_time),
        None => timeout.map(|timeout| started + timeout),
    };

    // Made at the first retry: most calls make one attempt.
    let mut schedule: Option<Option<Box<Schedule>>> = None;
    let mut attempt = 0;
    let mut token_refreshed = false;
    // The path is copied for hooks only; without any, nothing reads it.
    let hooked = !config.hooks.is_empty() || !config.async_hooks.is_empty();
    let result = loop {
        attempt += 1;
        // In a block: what the attempt left (its response or error, its token) is not
        // kept in the future while the next one waits.
        let delay = {
            let ctx = HookContext {
                operation: outgoing.operation,
                attempt,
                redirect: 0,
                method: outgoing.method.clone(),
                url_path: match hooked {
                    true => outgoing.hook_path.clone(),
                    false => String::new(),
                },
            };
            // The first attempt's clock starts with the call's, so a call that
            // does not retry reports its own timeout.
            let now = if attempt == 1 {
                started
            } else {
                Instant::now()
            };
            let limit = attempt_limit(now, timeout, call_deadline);
            let (outcome, token) = run_attempt(config, outgoing, &ctx, limit).await;
            // A body read from a stream is gone after one attempt: nothing is retried.
            let replayable = outgoing.replayable();
            let outcome = match outcome {
                Err(Failure {
                    error,
                    ends_call: true,
                }) => break Err(error),
                other => other.map_err(|failure| failure.error),
            };
            let time_left = call_deadline.is_none_or(|deadline| Instant::now() < deadline);
            // A 401 with a cached OAuth2 token: the server may have revoked
            // it early. Fetch a fresh one and try again, once per call.
            if let (Ok((StatusCode::UNAUTHORIZED, ..)), Some(token), Some(key)) =
                (&outcome, &token, &outgoing.oauth2)
                && !token_refreshed
                && time_left
                && replayable
            {
                token_refreshed = true;
                if let Some(source) = &config.credentials.oauth2 {
                    source.invalidate(key, token);
                }
                tracing::info!(attempt, "401 with an OAuth2 token: fetching a new token");
                continue;
            }
            let wants_retry = match &outcome {
                Ok((status, headers, _)) => retry
                    .retries_status(*status)
                    .then(|| retry_after(headers, SystemTime::now())),
                Err(error) => {
                    (retry.retries_connection_errors() && is_retryable(error)).then_some(None)
                }
            };
            if wants_retry.is_some() && !replayable {
                tracing::info!(
                    attempt,
                    "not retried: the request body was a stream, sent once"
                );
            }
            let delay = wants_retry.filter(|_| replayable).and_then(|hint| {
                let schedule =
                    schedule.get_or_insert_with(|| Schedule::new(retry, started).map(Box::new));
                schedule.as_mut()?.next_delay(hint)
            });
            let Some(delay) = delay else {
                break outcome;
            };
            match &outcome {
                Ok((status, ..)) => tracing::info!(
                    attempt,
                    status = status.as_u16(),
                    delay_ms = delay.as_millis() as u64,
                    "retrying"
                ),
                Err(error) => {
                    tracing::info!(attempt, %error, delay_ms = delay.as_millis() as u64, "retrying")
                }
            }
            delay
        };
        tokio::time::sleep(delay).await;
    };

    let record = CallRecord::new(attempt, config.request_id_header);
    let result = result.map_err(|error| error.recorded(record));
    span.record("attempts", attempt);
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    let headers = match &result {
        Ok((status, headers, _)) => {
            span.record("status", status.as_u16());
            Some(headers)
        }
        Err(error) => {
            tracing::debug!(%error, "call failed");
            error.headers()
        }
    };
    // Looked up only for a subscriber that records the span.
    if !span.is_disabled()
        && let Some(id) = headers.and_then(|headers| record.request_id(headers))
    {
        span.record("request_id", id);
    }
    let operation = outgoing.operation;
    result.map(|(status, headers, payload)| {
        match payload {
            Payload::Read(body) => Response::from_parts(operation, status, headers, body),
            // A download or an event stream: the response keeps its body unread.
            Payload::Unread(response) => Response::unread(
                operation,
                Unread {
                    response,
                    idle_timeout: outgoing.timeout,
                    limit: outgoing.max_response_bytes,
                },
            ),
        }
        .recorded(record)
    })
}
