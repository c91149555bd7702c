//! Server-sent events (`text/event-stream`): the WHATWG EventSource parsing rules, fed
//! chunk by chunk and giving one event at a time.
//!
//! The parser follows the HTML standard's "event stream interpretation": lines end in
//! CRLF, LF or CR (also split across chunks); `:` starts a comment; `data:` lines are
//! joined with `\n`; `event:`, `id:` (kept for the following events, never with a NUL)
//! and `retry:` (ASCII digits only) set the event's fields; a blank line dispatches the
//! event, unless it has no data; an event left unfinished at the end is dropped; a
//! leading byte order mark is skipped.
//!
//! What a hostile server can cost is bounded:
//! - the parser stops at each event it completes, so the events of a chunk are built one
//!   by one as the caller takes them, never all at once;
//! - an event (its lines, a line still being read included) is at most the caller's
//!   limit, past which [`TooLarge`] ends the stream;
//! - `data:` values go straight into the event (never through a line buffer too);
//!   comments, unknown fields and over-long values are not kept at all;
//! - an `id:` longer than [`MAX_ID_BYTES`] is ignored like one with a NUL (the last id
//!   stays), and the id is shared by the events it applies to, not copied into each;
//! - `retry:` is at most [`MAX_RETRY`].

use std::sync::Arc;
use std::time::Duration;

/// The longest `id:` kept: 4 KiB, far more than any event id (a counter, a UUID, a
/// timestamp with an offset). A longer one is ignored, and the last id stays.
pub(crate) const MAX_ID_BYTES: usize = 4 * 1024;

/// The longest reconnection time a `retry:` may ask for: ten minutes; a longer one is
/// taken as ten minutes, so a server cannot park a reconnecting client for days.
pub(crate) const MAX_RETRY: Duration = Duration::from_secs(600);

/// The longest field name (`event`, `retry`): a line whose first bytes hold no colon
/// within it names no field the parser knows, and is skipped.
const MAX_FIELD_NAME: usize = 5;

/// An event as parsed, before its data is decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub(crate) event: String,
    pub(crate) data: String,
    pub(crate) id: Option<Arc<str>>,
    pub(crate) retry: Option<Duration>,
}

/// What the rest of the line being read is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Mode {
    /// The field name, up to its colon, goes into `line`.
    #[default]
    Name,
    /// A `data:` value: straight into the event's data.
    Data,
    /// An `id:`, `event:` or `retry:` value, into `line`.
    Id,
    Event,
    Retry,
    /// A comment, an unknown field or a value too long to use: dropped.
    Skip,
}

/// The incremental parser: feed it the bytes as they arrive.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    mode: Mode,
    /// The field name, then the value (not for `data:`), of the line being read.
    line: Vec<u8>,
    /// A value's first byte is dropped when it is a space.
    value_started: bool,
    /// Bytes of the line being read.
    line_bytes: usize,
    /// The last chunk ended in CR: a LF at the start of the next one belongs to it.
    after_cr: bool,
    /// Whether the start of the stream (and its optional BOM) has been handled.
    started: bool,
    data: Vec<u8>,
    /// Whether a `data` field was seen (an event with an empty `data:` line counts).
    has_data: bool,
    event: String,
    last_id: Option<Arc<str>>,
    /// The `retry:` of the event being read.
    retry: Option<Duration>,
    /// The last `retry:` of the stream.
    reconnect: Option<Duration>,
    /// Bytes of the event being gathered, to bound memory.
    pending: usize,
}

/// An event grew past the size limit: the stream is ended with an error.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TooLarge;

impl Parser {
    /// Parses `input` up to the end of the next event, and returns that event with
    /// `input` advanced past it; `None` once `input` is used up without completing one.
    /// Fails when an event grows past `max_event_bytes`.
    pub(crate) fn next_event(
        &mut self,
        input: &mut &[u8],
        max_event_bytes: usize,
    ) -> Result<Option<RawEvent>, TooLarge> {
        if input.is_empty() {
            return Ok(None);
        }
        if !self.started {
            self.started = true;
            *input = input.strip_prefix("\u{feff}".as_bytes()).unwrap_or(input);
        }
        if self.after_cr {
            self.after_cr = false;
            *input = input.strip_prefix(b"\n").unwrap_or(input);
        }
        while let Some(end) = input.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.take(&input[..end], max_event_bytes)?;
            let cr = input[end] == b'\r';
            *input = &input[end + 1..];
            if cr {
                match input.first() {
                    Some(b'\n') => *input = &input[1..],
                    None => self.after_cr = true,
                    Some(_) => {}
                }
            }
            if let Some(event) = self.line_done() {
                return Ok(Some(event));
            }
        }
        self.take(input, max_event_bytes)?;
        *input = &[];
        Ok(None)
    }

    /// The last id the stream set (`id:`).
    pub(crate) fn last_id(&self) -> Option<&Arc<str>> {
        self.last_id.as_ref()
    }

    /// The last reconnection time the stream asked for (`retry:`), at most [`MAX_RETRY`].
    pub(crate) fn reconnect(&self) -> Option<Duration> {
        self.reconnect
    }

    /// Takes `bytes` of the line being read (no line end among them).
    fn take(&mut self, mut bytes: &[u8], max: usize) -> Result<(), TooLarge> {
        self.line_bytes += bytes.len();
        self.pending += bytes.len();
        if self.pending > max {
            return Err(TooLarge);
        }
        if self.mode == Mode::Name {
            let room = (MAX_FIELD_NAME + 1).saturating_sub(self.line.len());
            let window = &bytes[..bytes.len().min(room)];
            match window.iter().position(|&b| b == b':') {
                Some(colon) => {
                    self.line.extend_from_slice(&window[..colon]);
                    self.mode = match self.line.as_slice() {
                        b"data" => {
                            self.has_data = true;
                            Mode::Data
                        }
                        b"id" => Mode::Id,
                        b"event" => Mode::Event,
                        b"retry" => Mode::Retry,
                        // A comment (no name), or a field the standard ignores.
                        _ => Mode::Skip,
                    };
                    self.line.clear();
                    bytes = &bytes[colon + 1..];
                }
                None if window.len() < bytes.len() => {
                    self.mode = Mode::Skip;
                    return Ok(());
                }
                None => {
                    self.line.extend_from_slice(bytes);
                    return Ok(());
                }
            }
        }
        if !self.value_started && !bytes.is_empty() {
            self.value_started = true;
            bytes = bytes.strip_prefix(b" ").unwrap_or(bytes);
        }
        match self.mode {
            Mode::Data => self.data.extend_from_slice(bytes),
            Mode::Retry if bytes.iter().all(u8::is_ascii_digit) => {
                // Past twenty digits, only that the number passes `u64` matters.
                let room = 21usize.saturating_sub(self.line.len());
                self.line.extend_from_slice(&bytes[..bytes.len().min(room)]);
            }
            Mode::Id if self.line.len() + bytes.len() > MAX_ID_BYTES => {
                tracing::warn!(
                    limit = MAX_ID_BYTES,
                    "an event stream's `id:` is longer than the limit: ignored"
                );
                self.mode = Mode::Skip;
                self.line = Vec::new();
            }
            Mode::Id | Mode::Event => self.line.extend_from_slice(bytes),
            // Not digits: the standard ignores the field.
            Mode::Retry => self.mode = Mode::Skip,
            Mode::Name | Mode::Skip => {}
        }
        Ok(())
    }

    /// The line ended: applies its field, or dispatches the event on a blank line.
    fn line_done(&mut self) -> Option<RawEvent> {
        let mode = std::mem::take(&mut self.mode);
        let mut line = std::mem::take(&mut self.line);
        let blank = self.line_bytes == 0;
        if mode == Mode::Skip {
            // A finished comment (a keep-alive) costs the event nothing.
            self.pending -= self.line_bytes;
        }
        self.line_bytes = 0;
        self.value_started = false;
        // A line without a colon is a field name with an empty value.
        let mode = match (mode, line.as_slice()) {
            (Mode::Name, b"data") => {
                self.has_data = true;
                Mode::Data
            }
            (Mode::Name, b"id") => Mode::Id,
            (Mode::Name, b"event") => Mode::Event,
            (Mode::Name, _) if blank => {
                self.line = line;
                return self.dispatch();
            }
            (mode, _) => mode,
        };
        match mode {
            Mode::Data => self.data.push(b'\n'),
            Mode::Id if !line.contains(&0) => {
                self.last_id = Some(Arc::from(String::from_utf8_lossy(&line)));
            }
            Mode::Event => self.event = String::from_utf8_lossy(&line).into_owned(),
            Mode::Retry if !line.is_empty() && line.iter().all(u8::is_ascii_digit) => {
                let millis = std::str::from_utf8(&line)
                    .ok()
                    .and_then(|digits| digits.parse::<u64>().ok());
                let retry = millis.map_or(MAX_RETRY, |ms| Duration::from_millis(ms).min(MAX_RETRY));
                self.retry = Some(retry);
                self.reconnect = Some(retry);
            }
            _ => {}
        }
        // The buffer is kept for the next line.
        line.clear();
        self.line = line;
        None
    }

    fn dispatch(&mut self) -> Option<RawEvent> {
        self.pending = 0;
        let event = std::mem::take(&mut self.event);
        let retry = self.retry.take();
        if !std::mem::take(&mut self.has_data) {
            return None;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // the `\n` after the last data line
        let data = match String::from_utf8(data) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        };
        Some(RawEvent {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            data,
            id: self.last_id.clone(),
            retry,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_chunks(chunks: &[&[u8]]) -> Vec<RawEvent> {
        let mut parser = Parser::default();
        let mut out = Vec::new();
        for chunk in chunks {
            let mut input = *chunk;
            while let Some(event) = parser.next_event(&mut input, 1 << 20).unwrap() {
                out.push(event);
            }
            assert!(input.is_empty());
        }
        out
    }

    fn parse(chunks: &[&str]) -> Vec<RawEvent> {
        let chunks: Vec<&[u8]> = chunks.iter().map(|c| c.as_bytes()).collect();
        parse_chunks(&chunks)
    }

    fn raw(event: &str, data: &str, id: Option<&str>) -> RawEvent {
        RawEvent {
            event: event.into(),
            data: data.into(),
            id: id.map(Into::into),
            retry: None,
        }
    }

    #[test]
    fn data_lines_join_and_a_blank_line_dispatches() {
        let events = parse(&["data: a\ndata:b\ndata\n\n"]);
        assert_eq!(events, [raw("message", "a\nb\n", None)]);
    }

    #[test]
    fn fields_comments_and_line_endings() {
        let events = parse(&[
            "\u{feff}: a comment\r\nevent: update\r\nid: 7\r\nretry: 1500\r\ndata: {\"n\":1}\r\n\r\n",
            "data: second\r\rdata: third\n\n",
        ]);
        assert_eq!(
            events,
            [
                RawEvent {
                    retry: Some(Duration::from_millis(1500)),
                    ..raw("update", "{\"n\":1}", Some("7"))
                },
                // The id stays for later events; the event type does not.
                raw("message", "second", Some("7")),
                raw("message", "third", Some("7")),
            ]
        );
    }

    #[test]
    fn lines_split_anywhere_across_chunks() {
        let text = "event: a\r\nid: 5\r\nretry: 20\r\ndata: x\r\n\r\n: c\ndata:  y\n\n";
        let whole = parse(&[text]);
        assert_eq!(whole.len(), 2);
        assert_eq!(whole[1].data, " y");
        for split in 0..text.len() {
            let (a, b) = text.split_at(split);
            assert_eq!(parse(&[a, b]), whole, "split at {split}");
        }
        // Byte by byte.
        let bytes: Vec<&[u8]> = text.as_bytes().chunks(1).collect();
        assert_eq!(parse_chunks(&bytes), whole);
        // A CR at the end of one chunk and the LF at the start of the next are one line end.
        assert_eq!(
            parse(&["data: z\r", "\n\r", "\n"]),
            [raw("message", "z", None)]
        );
    }

    #[test]
    fn what_the_standard_ignores() {
        let events = parse(&[
            "retry: soon\nid: a\0b\nunknown: 1\ndataX: 2\ndata\n\nevent: only\n\n: no data\n\ndata: unfinished",
        ]);
        // `retry` with non-digits and `id` with NUL are ignored; an event without data and
        // the unfinished last one are not dispatched; `data` with no colon is an empty line.
        assert_eq!(events, [raw("message", "", None)]);
    }

    #[test]
    fn events_come_one_at_a_time() {
        let mut parser = Parser::default();
        let mut input: &[u8] = b"data: 1\n\ndata: 2\n\ndata: 3";
        let first = parser.next_event(&mut input, 64).unwrap().unwrap();
        assert_eq!(first.data, "1");
        assert_eq!(input, b"data: 2\n\ndata: 3");
        assert_eq!(
            parser.next_event(&mut input, 64).unwrap().unwrap().data,
            "2"
        );
        assert_eq!(parser.next_event(&mut input, 64), Ok(None));
        assert!(input.is_empty());
        let mut end: &[u8] = b"\n\n";
        assert_eq!(parser.next_event(&mut end, 64).unwrap().unwrap().data, "3");
    }

    #[test]
    fn an_event_past_the_limit_is_refused_after_the_earlier_ones() {
        let mut parser = Parser::default();
        let mut input: &[u8] = b"data: 12345\n\ndata: 0123456789abcdef";
        assert_eq!(
            parser.next_event(&mut input, 16).unwrap().unwrap().data,
            "12345"
        );
        assert_eq!(parser.next_event(&mut input, 16), Err(TooLarge));
    }

    #[test]
    fn ids_are_capped_and_shared() {
        let long = format!("id: {}\ndata: b\n\n", "x".repeat(MAX_ID_BYTES + 1));
        let fits = format!("id: {}\ndata: c\n\ndata: d\n\n", "y".repeat(MAX_ID_BYTES));
        let events = parse(&["id: 1\ndata: a\n\n", &long, &fits]);
        let ids: Vec<_> = events
            .iter()
            .map(|e| e.id.as_deref().map(str::len))
            .collect();
        assert_eq!(
            ids,
            [Some(1), Some(1), Some(MAX_ID_BYTES), Some(MAX_ID_BYTES)]
        );
        // One id, shared by the events it applies to.
        let (c, d) = (
            events[2].id.as_ref().unwrap(),
            events[3].id.as_ref().unwrap(),
        );
        assert!(Arc::ptr_eq(c, d));
    }

    #[test]
    fn retry_is_bounded_and_remembered() {
        let mut parser = Parser::default();
        let mut input: &[u8] = b"retry: 99999999999999999999999\ndata: a\n\ndata: b\n\n";
        let first = parser.next_event(&mut input, 1024).unwrap().unwrap();
        assert_eq!(first.retry, Some(MAX_RETRY));
        let second = parser.next_event(&mut input, 1024).unwrap().unwrap();
        assert_eq!(second.retry, None);
        assert_eq!(parser.reconnect(), Some(MAX_RETRY));
    }

    #[test]
    fn keep_alive_comments_cost_nothing() {
        // A million keep-alives without a blank line between them: never too large.
        let mut parser = Parser::default();
        for _ in 0..1000 {
            let mut input: &[u8] = b": ping\n: ping\n: ping\n";
            assert_eq!(parser.next_event(&mut input, 64), Ok(None));
        }
        let mut input: &[u8] = b"data: ok\n\n";
        assert_eq!(
            parser.next_event(&mut input, 64).unwrap().unwrap().data,
            "ok"
        );
        // But one endless comment line is.
        let comment = vec![b'x'; 100];
        let mut input: &[u8] = &[b":" as &[u8], &comment].concat();
        let mut parser = Parser::default();
        assert_eq!(parser.next_event(&mut input, 64), Err(TooLarge));
    }
}
