//! Retry policy: [`RetryConfig`], [`BackoffConfig`] and the schedule that
//! turns them (and `Retry-After`) into delays.

use std::fmt;
use std::ops::RangeInclusive;
use std::sync::Arc;
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
/// | attempts | at most 10 ([`DEFAULT_MAX_ATTEMPTS`]) |
/// | connection errors and timeouts | retried (refused, reset, closed mid-response, timed out; not DNS or TLS failures) |
/// | non-idempotent methods (POST, PATCH) | **not** retried by the client-wide config |
///
/// A [`CallOptions::retries`](crate::CallOptions::retries) given for one call
/// replaces the client-wide config for that call and applies whatever the
/// method: the caller chose it for this request.
///
/// A `Retry-After` header (seconds or HTTP date) on a retried status is
/// honoured as a floor: the wait is the longer of the hint and the computed
/// backoff, so `Retry-After: 0` (or a date in the past) never makes retries
/// run back to back. If the hint asks for longer than `max_interval`, or the
/// wait would end past `max_elapsed_time`, the runtime stops retrying and
/// returns that response at once instead of retrying early or hanging.
///
/// `max_elapsed_time` is a deadline for the whole call: every attempt (and
/// the OAuth2 token fetch inside it) is cut short when it runs out, so with
/// the defaults a call ends within 2 minutes. At most
/// [`max_attempts`](Self::max_attempts) attempts are made (default
/// [`DEFAULT_MAX_ATTEMPTS`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RetryConfig {
    backoff: Option<BackoffConfig>,
    statuses: Statuses,
    retry_connection_errors: bool,
    retry_non_idempotent: bool,
    max_attempts: u32,
}

/// Statuses retried unless [`RetryConfig::statuses`] says otherwise.
pub const DEFAULT_RETRY_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// [`DEFAULT_RETRY_STATUSES`] as ranges.
const DEFAULT_RANGES: [(u16, u16); DEFAULT_RETRY_STATUSES.len()] = {
    let mut ranges = [(0, 0); DEFAULT_RETRY_STATUSES.len()];
    let mut i = 0;
    while i < ranges.len() {
        ranges[i] = (DEFAULT_RETRY_STATUSES[i], DEFAULT_RETRY_STATUSES[i]);
        i += 1;
    }
    ranges
};

/// The statuses a policy retries, as inclusive ranges: the defaults and the spec's are
/// static and those set by the caller shared, so the copy of a policy each call makes
/// allocates nothing.
#[derive(Clone)]
enum Statuses {
    Static(&'static [(u16, u16)]),
    Shared(Arc<[(u16, u16)]>),
}

impl Statuses {
    fn ranges(&self) -> &[(u16, u16)] {
        match self {
            Statuses::Static(ranges) => ranges,
            Statuses::Shared(ranges) => ranges,
        }
    }
}

impl PartialEq for Statuses {
    fn eq(&self, other: &Self) -> bool {
        self.ranges() == other.ranges()
    }
}

impl fmt::Debug for Statuses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.ranges().iter().map(|&(low, high)| low..=high))
            .finish()
    }
}

/// Attempts per call (the first one included) unless
/// [`RetryConfig::max_attempts`] says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;

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
            statuses: Statuses::Static(&DEFAULT_RANGES),
            retry_connection_errors: true,
            retry_non_idempotent: false,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// Makes at most `attempts` attempts per call, the first one included
    /// (0 counts as 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Retry on exactly these statuses (replaces the list).
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        let ranges = statuses.into_iter().map(|s| (s, s)).collect();
        self.statuses = Statuses::Shared(ranges);
        self
    }

    /// Also retry on a range of statuses: `500..=599` for the spec's `5XX`.
    pub fn status_range(mut self, range: RangeInclusive<u16>) -> Self {
        let ranges = self.statuses.ranges().iter().copied();
        let range = (*range.start(), *range.end());
        self.statuses = Statuses::Shared(ranges.chain([range]).collect());
        self
    }

    /// Whether connection errors (refused, reset, dropped mid-response) and
    /// timeouts are retried. DNS and TLS failures never are.
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

    /// Whether a call following this policy may make more than one attempt.
    pub(crate) fn may_retry(&self) -> bool {
        self.backoff.is_some() && self.max_attempts > 1
    }

    /// The backoff timing, unless this is [`RetryConfig::none`].
    pub fn backoff_config(&self) -> Option<&BackoffConfig> {
        self.backoff.as_ref()
    }

    /// True if a response with `status` is retried.
    pub fn retries_status(&self, status: StatusCode) -> bool {
        let status = status.as_u16();
        self.statuses
            .ranges()
            .iter()
            .any(|&(low, high)| (low..=high).contains(&status))
    }

    /// True if connection errors and timeouts are retried.
    pub fn retries_connection_errors(&self) -> bool {
        self.retry_connection_errors
    }

    /// True if the client-wide config also applies to non-idempotent methods.
    pub fn retries_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// The most attempts a call makes, the first one included.
    pub fn attempts_allowed(&self) -> u32 {
        self.max_attempts
    }
}

/// A retry policy the spec declares with `x-speakeasy-retries` (on the
/// operation, else at the document root), as generated code hands it over:
/// `None` fields take the [`RetryConfig::default()`] values. Not a stable API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpecRetries {
    /// False for `false` and `strategy: none`.
    pub enabled: bool,
    /// `backoff.initialInterval`, in milliseconds.
    pub initial_interval_ms: Option<u64>,
    /// `backoff.maxInterval`, in milliseconds.
    pub max_interval_ms: Option<u64>,
    /// `backoff.maxElapsedTime`, in milliseconds.
    pub max_elapsed_time_ms: Option<u64>,
    /// `backoff.exponent`.
    pub exponent: Option<f64>,
    /// `statusCodes`, each a range (`5XX` is `(500, 599)`).
    pub statuses: Option<&'static [(u16, u16)]>,
    /// `retryConnectionErrors`.
    pub retry_connection_errors: Option<bool>,
}

impl SpecRetries {
    /// Backoff with the runtime's defaults (the base of spec policies).
    pub const BACKOFF: Self = Self {
        enabled: true,
        initial_interval_ms: None,
        max_interval_ms: None,
        max_elapsed_time_ms: None,
        exponent: None,
        statuses: None,
        retry_connection_errors: None,
    };

    /// Never retry.
    pub const NEVER: Self = Self {
        enabled: false,
        ..Self::BACKOFF
    };

    pub(crate) fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The policy as a [`RetryConfig`]; it applies whatever the method.
    pub(crate) fn to_config(self) -> RetryConfig {
        if !self.enabled {
            return RetryConfig::none();
        }
        let defaults = BackoffConfig::default();
        let ms =
            |value: Option<u64>, default: Duration| value.map_or(default, Duration::from_millis);
        let mut config = RetryConfig::backoff(BackoffConfig {
            initial_interval: ms(self.initial_interval_ms, defaults.initial_interval),
            max_interval: ms(self.max_interval_ms, defaults.max_interval),
            exponent: self.exponent.unwrap_or(defaults.exponent),
            max_elapsed_time: ms(self.max_elapsed_time_ms, defaults.max_elapsed_time),
        })
        .retry_non_idempotent(true);
        if let Some(statuses) = self.statuses {
            config.statuses = Statuses::Static(statuses);
        }
        if let Some(retry) = self.retry_connection_errors {
            config.retry_connection_errors = retry;
        }
        config
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
    retries_left: u32,
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
            retries_left: retry.max_attempts.saturating_sub(1),
        })
    }

    /// The wait before the next attempt, or `None` to stop retrying.
    /// `server_hint` is the response's `Retry-After`, if any: a floor, never
    /// a reason to wait less than the backoff.
    pub(crate) fn next_delay(&mut self, server_hint: Option<Duration>) -> Option<Duration> {
        self.retries_left = self.retries_left.checked_sub(1)?;
        let computed = self.delays.next()?.min(self.config.max_interval);
        let delay = match server_hint {
            Some(hint) if hint > self.config.max_interval => return None,
            Some(hint) => hint.max(computed),
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
        // `Retry-After: 0` does not undercut the backoff.
        let floor = schedule.next_delay(Some(Duration::ZERO)).unwrap();
        assert!(floor >= Duration::from_millis(20), "{floor:?}");
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
        // The same statuses are the same policy however they were given, and show as
        // ranges.
        let listed = RetryConfig::default().statuses(DEFAULT_RETRY_STATUSES);
        assert_eq!(listed, RetryConfig::default());
        assert!(
            format!("{five_xx:?}").contains("statuses: [500..=599]"),
            "{five_xx:?}"
        );
    }

    #[test]
    fn attempts_are_capped() {
        let config = RetryConfig::backoff(BackoffConfig {
            initial_interval: Duration::from_millis(1),
            max_interval: Duration::from_millis(1),
            exponent: 1.0,
            max_elapsed_time: Duration::from_secs(3600),
        })
        .max_attempts(3);
        let mut schedule = Schedule::new(&config, Instant::now()).unwrap();
        assert!(schedule.next_delay(None).is_some());
        assert!(schedule.next_delay(Some(Duration::ZERO)).is_some());
        assert_eq!(schedule.next_delay(None), None, "3 attempts, 2 retries");
    }

    #[test]
    fn spec_policies() {
        assert_eq!(SpecRetries::NEVER.to_config(), RetryConfig::none());
        const FIVE_XX: SpecRetries = SpecRetries {
            initial_interval_ms: Some(10),
            statuses: Some(&[(500, 599)]),
            retry_connection_errors: Some(false),
            ..SpecRetries::BACKOFF
        };
        let config = FIVE_XX.to_config();
        assert!(config.retries_status(StatusCode::NOT_IMPLEMENTED));
        assert!(!config.retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(!config.retries_connection_errors());
        assert!(config.retries_non_idempotent());
        let backoff = config.backoff_config().unwrap();
        assert_eq!(backoff.initial_interval, Duration::from_millis(10));
        assert_eq!(backoff.max_interval, BackoffConfig::default().max_interval);
    }
}
