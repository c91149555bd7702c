//! Peak memory of a call to a server that sends (or announces) 1 GiB, with
//! the default response limit. A binary of its own: its global allocator
//! counts every byte allocated by the process, so nothing else may run in it.

#[path = "runtime/support.rs"]
#[allow(dead_code)]
mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use orq_runtime::{DEFAULT_MAX_RESPONSE_BYTES, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use support::{builder, get, once};

/// The system allocator, keeping count of the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const GIB: u64 = 1024 * 1024 * 1024;
const MIB: f64 = 1024.0 * 1024.0;

/// A raw server on 127.0.0.1 that answers with 1 GiB of `x`, announced by
/// `Content-Length` or chunked, as fast as the client reads it.
async fn one_gib_server(declared: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // Allocated before the measurement starts: only the client is measured.
    let chunk = vec![b'x'; 1024 * 1024];
    let piece: std::sync::Arc<[u8]> = if declared {
        chunk.into()
    } else {
        [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"]
            .concat()
            .into()
    };
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let piece = piece.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = if declared {
                    format!("HTTP/1.1 200 OK\r\ncontent-length: {GIB}\r\n\r\n")
                } else {
                    "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_owned()
                };
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for _ in 0..1024 {
                    if socket.write_all(&piece).await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    base
}

/// Peak bytes allocated during one call to a 1 GiB server, above what was in
/// use before it.
async fn peak_of_call(declared: bool) -> usize {
    let base = one_gib_server(declared).await;
    let client = builder(&base).build().unwrap();
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let error = client.call_with(get("/huge"), once()).await.unwrap_err();
    let Error::ResponseTooLarge { limit, status, .. } = &error else {
        panic!("expected ResponseTooLarge, got {error:?}");
    };
    assert_eq!((*limit, status.as_u16()), (DEFAULT_MAX_RESPONSE_BYTES, 200));
    PEAK.load(Ordering::Relaxed) - before
}

#[tokio::test(flavor = "current_thread")]
async fn a_one_gib_response_costs_at_most_the_limit() {
    let announced = peak_of_call(true).await;
    let streamed = peak_of_call(false).await;
    println!(
        "1 GiB response, default limit {:.0} MiB: peak {:.1} MiB announced by Content-Length, {:.1} MiB streamed chunked",
        DEFAULT_MAX_RESPONSE_BYTES as f64 / MIB,
        announced as f64 / MIB,
        streamed as f64 / MIB,
    );
    // Refused by its Content-Length: nothing of the body is buffered.
    assert!(announced < 1024 * 1024, "{announced} bytes");
    // Counted while read: the buffer doubles up to the limit (1.5 times the
    // limit while the last growth copies, plus hyper's read buffers),
    // nowhere near the 1 GiB sent.
    assert!(
        (streamed as u64) < DEFAULT_MAX_RESPONSE_BYTES * 8 / 5,
        "{streamed} bytes"
    );
}
