//! Retry policy: [`RetryConfig`], [`BackoffConfig`] and the schedule that
//! turns them (and `Retry-After`) into delays.

use std::ops::RangeInclusive;
use std::time::{Duration, Instant, SystemTime};

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};
use http::{HeaderMap, StatusCode};

/// Timing of exponential backoff, as in Speakeasy's SDKs.
///
/// The n-th retry waits about `initial_interval * exponent^(n-1)`, capped at
/// `max_interval`, plus random jitter of up to the same amount again (still
/// capped at `max_interval`).
#[derive(Clone, Debug, PartialEq)]
pub struct BackoffConfig {
    /// Delay before the first retry. Default 500 ms.
    pub initial_interval: Duration,
    /// Longest delay between two attempts. Default 60 s.
    pub max_interval: Duration,
    /// Growth factor of the delay. Default 1.5.
    pub exponent: f64,
    /// No retry starts once this much time has passed since the first
    /// attempt. Default 2 minutes.
    pub max_elapsed_time: Duration,
}

impl Default for BackoffConfig {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(60),
            exponent: 1.5,
            max_elapsed_time: Duration::from_secs(120),
        }
    }
}

/// When and how to retry a call.
///
/// ```
/// use std::time::Duration;
/// use orq_runtime::{BackoffConfig, RetryConfig};
///
/// let patient = RetryConfig::backoff(BackoffConfig {
///     initial_interval: Duration::from_millis(200),
///     max_interval: Duration::from_secs(10),
///     exponent: 2.0,
///     max_elapsed_time: Duration::from_secs(30),
/// })
/// .statuses([429, 503])
/// .retry_connection_errors(true);
/// assert!(patient.retries_status(http::StatusCode::SERVICE_UNAVAILABLE));
/// assert!(!RetryConfig::none().is_enabled());
/// ```
///
/// # Defaults
///
/// [`RetryConfig::default()`] is what a client uses unless told otherwise:
///
/// | setting | default |
/// | --- | --- |
/// | strategy | exponential backoff with jitter |
/// | `initial_interval` | 500 ms |
/// | `max_interval` | 60 s |
/// | `exponent` | 1.5 |
/// | `max_elapsed_time` | 2 min (from the first attempt; no retry starts after it) |
/// | statuses retried | 429, 500, 502, 503, 504 |
/// | connection errors and timeouts | retried |
/// | non-idempotent methods (POST, PATCH) | **not** retried by the client-wide config |
///
/// A [`CallOptions::retries`](crate::CallOptions::retries) given for one call
/// replaces the client-wide config for that call and applies whatever the
/// method: the caller chose it for this request.
///
/// A `Retry-After` header (seconds or HTTP date) on a retried status replaces
/// the computed delay. If it asks for longer than `max_interval`, or would end
/// past `max_elapsed_time`, the runtime stops retrying and returns that
/// response at once instead of retrying early or hanging.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryConfig {
    backoff: Option<BackoffConfig>,
    statuses: Vec<RangeInclusive<u16>>,
    retry_connection_errors: bool,
    retry_non_idempotent: bool,
}

/// Statuses retried unless [`RetryConfig::statuses`] says otherwise.
pub const DEFAULT_RETRY_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

impl RetryConfig {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            backoff: None,
            ..Self::backoff(BackoffConfig::default())
        }
    }

    /// Retry with exponential backoff, on the default statuses and on
    /// connection errors.
    pub fn backoff(backoff: BackoffConfig) -> Self {
        Self {
            backoff: Some(backoff),
            statuses: DEFAULT_RETRY_STATUSES.iter().map(|&s| s..=s).collect(),
            retry_connection_errors: true,
            retry_non_idempotent: false,
        }
    }

    /// Retry on exactly these statuses (replaces the list).
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.statuses = statuses.into_iter().map(|s| s..=s).collect();
        self
    }

    /// Also retry on a range of statuses: `500..=599` for the spec's `5XX`.
    pub fn status_range(mut self, range: RangeInclusive<u16>) -> Self {
        self.statuses.push(range);
        self
    }

    /// Whether connection errors (refused, reset, dropped mid-response) and
    /// per-attempt timeouts are retried.
    pub fn retry_connection_errors(mut self, retry: bool) -> Self {
        self.retry_connection_errors = retry;
        self
    }

    /// Whether this config, set client-wide, also applies to non-idempotent
    /// methods (POST, PATCH). A config passed per call always applies.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// True unless this is [`RetryConfig::none`].
    pub fn is_enabled(&self) -> bool {
        self.backoff.is_some()
    }

    /// The backoff timing, unless this is [`RetryConfig::none`].
    pub fn backoff_config(&self) -> Option<&BackoffConfig> {
        self.backoff.as_ref()
    }

    /// True if a response with `status` is retried.
    pub fn retries_status(&self, status: StatusCode) -> bool {
        self.statuses
            .iter()
            .any(|range| range.contains(&status.as_u16()))
    }

    /// True if connection errors and timeouts are retried.
    pub fn retries_connection_errors(&self) -> bool {
        self.retry_connection_errors
    }

    /// True if the client-wide config also applies to non-idempotent methods.
    pub fn retries_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }
}

impl Default for RetryConfig {
    /// Exponential backoff with [`BackoffConfig::default()`]; see the module docs.
    fn default() -> Self {
        Self::backoff(BackoffConfig::default())
    }
}

/// The delays of one call's retries.
pub(crate) struct Schedule {
    config: BackoffConfig,
    delays: ExponentialBackoff,
    started: Instant,
}

impl Schedule {
    /// `None` when the config never retries.
    pub(crate) fn new(retry: &RetryConfig, started: Instant) -> Option<Self> {
        let config = retry.backoff.clone()?;
        let delays = ExponentialBuilder::default()
            .with_min_delay(config.initial_interval)
            .with_max_delay(config.max_interval)
            .with_factor(config.exponent.max(1.0) as f32)
            .with_jitter()
            .without_max_times()
            .build();
        Some(Self {
            config,
            delays,
            started,
        })
    }

    /// The wait before the next attempt, or `None` to stop retrying.
    /// `server_hint` is the response's `Retry-After`, if any.
    pub(crate) fn next_delay(&mut self, server_hint: Option<Duration>) -> Option<Duration> {
        let computed = self.delays.next()?.min(self.config.max_interval);
        let delay = match server_hint {
            Some(hint) if hint > self.config.max_interval => return None,
            Some(hint) => hint,
            None => computed,
        };
        let ends_at = self.started.elapsed().saturating_add(delay);
        (ends_at <= self.config.max_elapsed_time).then_some(delay)
    }
}

/// The `Retry-After` header as a wait from `now`: delay-seconds or an HTTP
/// date (a date in the past means "now").
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, value.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers("3"), now),
            Some(Duration::from_secs(3))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            retry_after(&headers(&later), now),
            Some(Duration::from_secs(90))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(retry_after(&headers(&earlier), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn delays_grow_and_stay_capped() {
        let config = RetryConfig::backoff(BackoffConfig {
            initial_interval: Duration::from_millis(100),
            max_interval: Duration::from_millis(400),
            exponent: 2.0,
            max_elapsed_time: Duration::from_secs(3600),
        });
        let mut schedule = Schedule::new(&config, Instant::now()).unwrap();
        let delays: Vec<_> = (0..6).map(|_| schedule.next_delay(None).unwrap()).collect();
        assert!(delays[0] >= Duration::from_millis(100) && delays[0] < Duration::from_millis(200));
        assert!(delays[1] >= Duration::from_millis(200));
        assert!(
            delays.iter().all(|d| *d <= Duration::from_millis(400)),
            "{delays:?}"
        );
    }

    #[test]
    fn server_hint_wins_but_is_bounded() {
        let config = RetryConfig::backoff(BackoffConfig {
            initial_interval: Duration::from_millis(10),
            max_interval: Duration::from_secs(5),
            exponent: 2.0,
            max_elapsed_time: Duration::from_secs(8),
        });
        let mut schedule = Schedule::new(&config, Instant::now()).unwrap();
        assert_eq!(
            schedule.next_delay(Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(schedule.next_delay(Some(Duration::from_secs(6))), None);
        let started_long_ago = Instant::now() - Duration::from_secs(7);
        let mut late = Schedule::new(&config, started_long_ago).unwrap();
        assert_eq!(late.next_delay(Some(Duration::from_secs(2))), None);
    }

    #[test]
    fn status_lists() {
        let default = RetryConfig::default();
        assert!(default.retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(!default.retries_status(StatusCode::NOT_IMPLEMENTED));
        let five_xx = RetryConfig::default().statuses([]).status_range(500..=599);
        assert!(five_xx.retries_status(StatusCode::NOT_IMPLEMENTED));
        assert!(!five_xx.retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(Schedule::new(&RetryConfig::none(), Instant::now()).is_none());
    }
}
