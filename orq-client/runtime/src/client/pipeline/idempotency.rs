//! The idempotency key of a call: the caller's, or one made once per call for a
//! request that may be retried and is not idempotent by its method, so that every
//! attempt carries the same key.

use crate::client::config::Config;
use crate::client::pipeline::policy::is_idempotent;
use crate::client::pipeline::prepare::Outgoing;
use crate::error::Error;
use crate::retry::RetryConfig;
use crate::wire::headers::header_value;

/// Puts the call's idempotency key on `outgoing`: `given` (the call's own) replaces a
/// header of that name; otherwise a key the request already carries is kept, and a
/// fresh UUID v4 is added when the request is not idempotent by its method, `retry`
/// may make another attempt and the body can be sent again. Nothing is made (or
/// allocated) for the other calls.
pub(crate) fn add_idempotency_key(
    config: &Config,
    retry: &RetryConfig,
    outgoing: &mut Outgoing,
    given: Option<String>,
) -> Result<(), Error> {
    let name = &config.idempotency_header;
    let mut fresh = [0; uuid::fmt::Hyphenated::LENGTH];
    let key: &str = match &given {
        Some(key) => key,
        None if config.idempotency_keys
            && !outgoing.has_header(name)
            && !is_idempotent(&outgoing.method)
            && retry.may_retry()
            && outgoing.replayable() =>
        {
            fresh_key(&mut fresh)
        }
        None => return Ok(()),
    };
    let value = header_value(name.as_str(), key)?;
    outgoing.set_idempotency_key(name.clone(), value);
    Ok(())
}

/// A new UUID v4 (from the operating system's random source), hyphenated in `buffer`.
fn fresh_key(buffer: &mut [u8; uuid::fmt::Hyphenated::LENGTH]) -> &str {
    uuid::Uuid::new_v4().hyphenated().encode_lower(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_uuid_v4_and_differ() {
        let (mut first, mut second) = ([0; 36], [0; 36]);
        let (a, b) = (fresh_key(&mut first), fresh_key(&mut second));
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
    }
}
