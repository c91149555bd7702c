//! Peak memory of a call to a server that sends (or announces) 1 GiB, with
//! the default response limit; of downloads streamed to a file; of an upload
//! from a file. A binary of its own: its global allocator counts every byte
//! allocated by the process, so nothing else may run in it (its tests take
//! turns).

#[path = "runtime/support.rs"]
#[allow(dead_code)]
mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use orq_runtime::{Body, DEFAULT_MAX_RESPONSE_BYTES, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use support::{builder, get, once};

/// One measurement at a time: the counters are process-wide.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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

/// A raw server on 127.0.0.1 that answers with `mib` MiB of `x`, announced by
/// `Content-Length` or chunked, as fast as the client reads it.
async fn server(declared: bool, mib: u64) -> String {
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
                    format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", mib << 20)
                } else {
                    "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_owned()
                };
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for _ in 0..mib {
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
    let base = server(declared, GIB >> 20).await;
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
    let _turn = TURN.lock().await;
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

/// Peak bytes allocated while a `mib` MiB download is streamed to a file.
async fn peak_of_download(mib: u64, dir: &std::path::Path) -> usize {
    let base = server(false, mib).await;
    let client = builder(&base).build().unwrap();
    let path = dir.join(format!("{mib}.bin"));
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut request = get("/file");
    request.stream_response();
    let response = client.call_with(request, once()).await.unwrap();
    let written = response.byte_stream().save(&path).await.unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(written, mib << 20);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), mib << 20);
    peak
}

#[tokio::test(flavor = "current_thread")]
async fn a_download_saved_to_a_file_costs_a_few_chunks_whatever_its_size() {
    let _turn = TURN.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let small = peak_of_download(5, dir.path()).await;
    // Twice the default response limit: streaming is not bounded by it.
    let large = peak_of_download(64, dir.path()).await;
    println!(
        "download streamed to a file: peak {:.2} MiB for 5 MiB, {:.2} MiB for 64 MiB",
        small as f64 / MIB,
        large as f64 / MIB,
    );
    // hyper's read buffer, a chunk in flight and tokio's file write buffer (up to
    // 2 MiB): a few MiB whatever the size of the body.
    assert!(small < 4 * 1024 * 1024, "{small} bytes");
    assert!(large < 4 * 1024 * 1024, "{large} bytes");
}

/// A raw server that reads a request with a `Content-Length` body, discarding it,
/// and answers 200 with the number of body bytes it read.
async fn sink_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                let mut head = Vec::new();
                let (length, mut read) = loop {
                    let Ok(n) = socket.read(&mut buffer).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buffer[..n]);
                    if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                        let length: u64 = text
                            .lines()
                            .find_map(|line| line.strip_prefix("content-length: "))
                            .and_then(|value| value.trim().parse().ok())
                            .unwrap_or(0);
                        break (length, (head.len() - end - 4) as u64);
                    }
                };
                while read < length {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => read += n as u64,
                    }
                }
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{read}",
                    read.to_string().len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    base
}

#[tokio::test(flavor = "current_thread")]
async fn an_upload_from_a_file_costs_a_few_chunks() {
    let _turn = TURN.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upload.bin");
    std::fs::write(&path, vec![b'u'; 64 << 20]).unwrap();
    let base = sink_server().await;
    let client = builder(&base).build().unwrap();
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut request = support::post("/upload");
    request.body(Body::path(&path), "application/octet-stream");
    let response = client.call_with(request, once()).await.unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(response.text().unwrap(), (64u64 << 20).to_string());
    println!(
        "64 MiB upload from a file: peak {:.2} MiB",
        peak as f64 / MIB
    );
    assert!(peak < 1024 * 1024, "{peak} bytes");
}
