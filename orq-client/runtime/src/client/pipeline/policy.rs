//! Which retry policy a call follows, and how long each of its attempts may take.

use std::time::{Duration, Instant};

use http::Method;

use crate::options::CallOptions;
use crate::request::RequestSpec;
use crate::retry::{RetryConfig, SpecRetries};

/// The retry policy of a call (see [`Core::execute`](crate::__private::Core::execute)):
/// the call's own, else the client-wide policy if the caller set one (`set_by_caller`),
/// else the spec's for the operation, else `client_wide` (the default) for idempotent
/// methods and none for the others.
pub(crate) fn policy_for(
    client_wide: &RetryConfig,
    set_by_caller: bool,
    request: &RequestSpec,
    options: &CallOptions,
) -> RetryConfig {
    if let Some(retries) = &options.retries {
        return retries.clone();
    }
    let idempotent = is_idempotent(&request.method);
    let spec = request.spec_retries.as_ref();
    let spec_allows = spec.is_some_and(SpecRetries::is_enabled);
    if set_by_caller {
        // The caller's client-wide policy replaces the spec's, except that
        // it retries a POST or PATCH only when told to or when the spec
        // says the operation is safe to repeat.
        return if idempotent || spec_allows || client_wide.retries_non_idempotent() {
            client_wide.clone()
        } else {
            RetryConfig::none()
        };
    }
    match spec {
        Some(spec) => spec.to_config(),
        None if idempotent => client_wide.clone(),
        None => RetryConfig::none(),
    }
}

/// Whether repeating a request with `method` leaves the server as one request would
/// (RFC 9110, 9.2.2): GET, HEAD, PUT, DELETE, OPTIONS, TRACE.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// When an attempt starting at `now` must end, and the time that allows:
/// the per-attempt `timeout`, or what is left before the call's deadline if
/// that comes first.
pub(crate) fn attempt_limit(
    now: Instant,
    timeout: Option<Duration>,
    call_deadline: Option<Instant>,
) -> Option<(Instant, Duration)> {
    let own = timeout.map(|timeout| (now + timeout, timeout));
    let left = call_deadline.map(|deadline| (deadline, deadline.saturating_duration_since(now)));
    match (own, left) {
        (Some(own), Some(left)) => Some(if own.0 <= left.0 { own } else { left }),
        (own, left) => own.or(left),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::BackoffConfig;

    fn request(method: Method, spec: Option<SpecRetries>) -> RequestSpec {
        let mut request = RequestSpec::new(method, "op", "/x".into());
        if let Some(spec) = spec {
            request.spec_retries(spec);
        }
        request
    }

    fn custom() -> RetryConfig {
        RetryConfig::default().max_attempts(3)
    }

    #[test]
    fn the_call_policy_wins_for_every_method() {
        let options = CallOptions::new().retries(custom());
        for method in [Method::GET, Method::POST] {
            let chosen = policy_for(&RetryConfig::none(), true, &request(method, None), &options);
            assert_eq!(chosen, custom());
        }
    }

    #[test]
    fn without_any_setting_only_idempotent_methods_retry() {
        let default = RetryConfig::default();
        let call = CallOptions::new();
        assert_eq!(
            policy_for(&default, false, &request(Method::GET, None), &call),
            default
        );
        assert_eq!(
            policy_for(&default, false, &request(Method::PUT, None), &call),
            default
        );
        let post = policy_for(&default, false, &request(Method::POST, None), &call);
        assert_eq!(post, RetryConfig::none());
    }

    #[test]
    fn the_spec_policy_applies_unless_the_client_sets_one() {
        let call = CallOptions::new();
        let spec = request(Method::POST, Some(SpecRetries::BACKOFF));
        let chosen = policy_for(&RetryConfig::default(), false, &spec, &call);
        assert_eq!(chosen, SpecRetries::BACKOFF.to_config());
        assert!(chosen.is_enabled());
        // The spec's "never" is followed too, even for a GET.
        let never = request(Method::GET, Some(SpecRetries::NEVER));
        assert!(!policy_for(&RetryConfig::default(), false, &never, &call).is_enabled());
        // A client-wide policy replaces the spec's, and the spec still vouches for the POST.
        assert_eq!(policy_for(&custom(), true, &spec, &call), custom());
    }

    #[test]
    fn a_client_policy_retries_a_post_only_when_allowed() {
        let call = CallOptions::new();
        let post = request(Method::POST, None);
        assert_eq!(
            policy_for(&custom(), true, &post, &call),
            RetryConfig::none()
        );
        let allowed = custom().retry_non_idempotent(true);
        assert_eq!(policy_for(&allowed, true, &post, &call), allowed);
        let backoff = RetryConfig::backoff(BackoffConfig::default());
        assert_eq!(
            policy_for(&backoff, true, &request(Method::DELETE, None), &call),
            backoff
        );
    }

    #[test]
    fn an_attempt_ends_at_its_timeout_or_the_call_deadline_whichever_is_first() {
        let now = Instant::now();
        let second = Duration::from_secs(1);
        assert_eq!(attempt_limit(now, None, None), None);
        assert_eq!(
            attempt_limit(now, Some(second), None),
            Some((now + second, second))
        );
        let deadline = now + 3 * second;
        assert_eq!(
            attempt_limit(now, None, Some(deadline)),
            Some((deadline, 3 * second))
        );
        assert_eq!(
            attempt_limit(now, Some(5 * second), Some(deadline)),
            Some((deadline, 3 * second))
        );
        assert_eq!(
            attempt_limit(now, Some(second), Some(deadline)),
            Some((now + second, second))
        );
        // A deadline already passed leaves no time at all.
        let late = now + 4 * second;
        assert_eq!(
            attempt_limit(late, Some(second), Some(deadline)),
            Some((deadline, Duration::ZERO))
        );
    }
}
