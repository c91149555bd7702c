//! Which failures are worth another attempt: a connection that broke or timed out heals
//! by waiting; a wrong host name, a bad certificate or a refusal does not.

use crate::error::Error;

/// Failures worth another attempt: no response because the connection was
/// refused, reset or closed, a response cut short, or a timeout. DNS and TLS
/// failures (a wrong host name, a bad certificate) do not heal by waiting.
pub(crate) fn is_retryable(error: &Error) -> bool {
    match error {
        Error::Timeout { .. } => true,
        // The token endpoint was unreachable or failing, not refusing.
        Error::Token { transient, .. } => *transient,
        Error::Transport { source, .. } => is_transient(source),
        _ => false,
    }
}

/// True for a reqwest error caused by a connection that broke or timed out.
pub(crate) fn is_transient(error: &reqwest::Error) -> bool {
    if error.is_timeout() || error.is_body() || error.is_decode() {
        return true;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            // A TLS failure is an `InvalidData` I/O error wrapping a rustls
            // error; DNS failures are `Other`: neither is listed here.
            return matches!(
                io.kind(),
                ConnectionRefused
                    | ConnectionReset
                    | ConnectionAborted
                    | NotConnected
                    | BrokenPipe
                    | TimedOut
                    | UnexpectedEof
                    | Interrupted
            );
        }
        if let Some(hyper) = error.downcast_ref::<hyper::Error>()
            && (hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled())
        {
            return true;
        }
        cause = error.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bytes::Bytes;
    use http::{HeaderMap, StatusCode};

    use super::*;

    fn token(transient: bool) -> Error {
        Error::Token {
            token_url: "https://auth.example/token".into(),
            status: None,
            message: "no answer".into(),
            body: Bytes::new(),
            transient,
            call: Default::default(),
        }
    }

    #[test]
    fn timeouts_and_transient_token_failures_are_retried() {
        let timeout = Error::Timeout {
            operation: "op",
            timeout: Duration::from_secs(1),
            call: Default::default(),
        };
        assert!(is_retryable(&timeout));
        assert!(is_retryable(&token(true)));
        assert!(!is_retryable(&token(false)));
    }

    #[test]
    fn answers_and_mistakes_of_the_caller_are_not() {
        let api = Error::Api {
            operation: "op",
            status: StatusCode::SERVICE_UNAVAILABLE,
            headers: Box::new(HeaderMap::new()),
            body: Bytes::new(),
            model: None,
            call: Default::default(),
        };
        // A status is retried by the retry policy's status list, never as a failure.
        assert!(!is_retryable(&api));
        assert!(!is_retryable(&Error::Config("bad".into())));
    }

    #[tokio::test]
    async fn a_refused_connection_is_transient_a_bad_request_is_not() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let refused = reqwest::get(format!("http://{addr}/")).await.unwrap_err();
        assert!(is_transient(&refused), "{refused:?}");
        let transport = Error::transport("op", refused);
        assert!(is_retryable(&transport));

        let unbuildable = reqwest::Client::new()
            .get("http://127.0.0.1:1/")
            .header("bad header", "x")
            .build()
            .unwrap_err();
        assert!(!is_transient(&unbuildable), "{unbuildable:?}");
    }
}
