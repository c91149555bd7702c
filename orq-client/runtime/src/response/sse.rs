//! Server-sent events (`text/event-stream`): the WHATWG EventSource parsing rules, fed
//! chunk by chunk.
//!
//! The parser follows the HTML standard's "event stream interpretation": lines end in
//! CRLF, LF or CR (also split across chunks); `:` starts a comment; `data:` lines are
//! joined with `\n`; `event:`, `id:` (kept for the following events, never with a NUL)
//! and `retry:` (ASCII digits only) set the event's fields; a blank line dispatches the
//! event, unless it has no data; an event left unfinished at the end is dropped; a
//! leading byte order mark is skipped.

use std::time::Duration;

/// An event as parsed, before its data is decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub(crate) event: String,
    pub(crate) data: String,
    pub(crate) id: Option<String>,
    pub(crate) retry: Option<Duration>,
}

/// The incremental parser: feed it chunks as they arrive.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    /// The bytes of the line being read.
    line: Vec<u8>,
    /// The last chunk ended in CR: a LF at the start of the next one belongs to it.
    after_cr: bool,
    /// Whether the start of the stream (and its optional BOM) has been handled.
    started: bool,
    data: String,
    event: String,
    last_id: Option<String>,
    retry: Option<Duration>,
    /// Bytes of the event being gathered, to bound memory.
    pending: usize,
}

/// An event grew past the size limit: the stream is ended with an error.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TooLarge;

impl Parser {
    /// Parse `chunk`, appending every event it completes to `out`. Fails when an event
    /// grows past `max_event_bytes`.
    pub(crate) fn feed(
        &mut self,
        mut chunk: &[u8],
        max_event_bytes: usize,
        out: &mut Vec<RawEvent>,
    ) -> Result<(), TooLarge> {
        if !self.started && !chunk.is_empty() {
            self.started = true;
            chunk = chunk.strip_prefix("\u{feff}".as_bytes()).unwrap_or(chunk);
        }
        if self.after_cr {
            self.after_cr = false;
            chunk = chunk.strip_prefix(b"\n").unwrap_or(chunk);
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&chunk[..end]);
            self.grow(end, max_event_bytes)?;
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, out);
            let crlf = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if crlf {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    None => self.after_cr = true,
                    Some(_) => {}
                }
            }
        }
        self.line.extend_from_slice(chunk);
        self.grow(chunk.len(), max_event_bytes)
    }

    fn grow(&mut self, bytes: usize, max: usize) -> Result<(), TooLarge> {
        self.pending += bytes;
        if self.pending > max {
            Err(TooLarge)
        } else {
            Ok(())
        }
    }

    fn line_done(&mut self, line: &[u8], out: &mut Vec<RawEvent>) {
        let line = String::from_utf8_lossy(line);
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<RawEvent>) {
        self.pending = 0;
        let event = std::mem::take(&mut self.event);
        let retry = self.retry.take();
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // the `\n` after the last data line
        out.push(RawEvent {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            data,
            id: self.last_id.clone(),
            retry,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_chunks(chunks: &[&str]) -> Vec<RawEvent> {
        let mut parser = Parser::default();
        let mut out = Vec::new();
        for chunk in chunks {
            parser.feed(chunk.as_bytes(), 1 << 20, &mut out).unwrap();
        }
        out
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
        let events = parse_chunks(&["data: a\ndata:b\ndata\n\n"]);
        assert_eq!(events, [raw("message", "a\nb\n", None)]);
    }

    #[test]
    fn fields_comments_and_line_endings() {
        let events = parse_chunks(&[
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
        let text = "event: a\r\ndata: x\r\n\r\ndata: y\n\n";
        let whole = parse_chunks(&[text]);
        for split in 0..text.len() {
            let (a, b) = text.split_at(split);
            assert_eq!(parse_chunks(&[a, b]), whole, "split at {split}");
        }
        // A CR at the end of one chunk and the LF at the start of the next are one line end.
        assert_eq!(
            parse_chunks(&["data: z\r", "\n\r", "\n"]),
            [raw("message", "z", None)]
        );
    }

    #[test]
    fn what_the_standard_ignores() {
        let events = parse_chunks(&[
            "retry: soon\nid: a\0b\nunknown: 1\ndata\n\nevent: only\n\n: no data\n\ndata: unfinished",
        ]);
        // `retry` with non-digits and `id` with NUL are ignored; an event without data and
        // the unfinished last one are not dispatched; `data` with no colon is an empty line.
        assert_eq!(events, [raw("message", "", None)]);
    }

    #[test]
    fn an_event_past_the_limit_is_refused() {
        let mut parser = Parser::default();
        let mut out = Vec::new();
        assert!(parser.feed(b"data: 12345\n\n", 16, &mut out).is_ok());
        assert_eq!(
            parser.feed(b"data: 0123456789abcdef", 16, &mut out),
            Err(TooLarge)
        );
    }
}
