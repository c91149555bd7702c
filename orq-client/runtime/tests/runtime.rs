//! Wire-level tests of the runtime: real HTTP servers on 127.0.0.1, a tiny
//! hand-written client driving `Core::execute` directly.

mod runtime {
    pub mod support;

    mod encoding;
    mod failures;
    mod faults;
    mod hooks;
    mod idempotency;
    mod load;
    mod oauth2;
    mod records;
    mod redirects;
    mod retries;
    mod secrets;
    mod variants;
    mod wire;
}
