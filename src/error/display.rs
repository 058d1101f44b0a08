//! [`Error`]'s `Display`: one line, whatever the server sent.

use std::fmt;

use reqwest::StatusCode;

use super::{DISPLAY_TEXT_CHARS, Error, ErrorKind};

impl fmt::Display for Error {
    /// One line, whatever the server sent: control characters are escaped and each piece of server
    /// text is cut at [`DISPLAY_TEXT_CHARS`] characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.0;
        fn server(text: &str) -> OneLine<'_> {
            OneLine(text, DISPLAY_TEXT_CHARS)
        }
        fn ours(text: &str) -> OneLine<'_> {
            OneLine(text, usize::MAX)
        }
        match self.kind() {
            ErrorKind::Config => write!(
                f,
                "invalid Cashfree client configuration: {}",
                ours(&i.message)
            )?,
            ErrorKind::MissingCredentials | ErrorKind::WaitDeadline => {
                write!(f, "{}", ours(&i.message))?
            }
            ErrorKind::Signing => write!(
                f,
                "could not sign the request (x-cf-signature), so it was not sent: {}",
                ours(&i.message)
            )?,
            ErrorKind::Validation => {
                write!(f, "invalid request, not sent")?;
                if let Some(code) = &i.code {
                    write!(f, " ({})", ours(code.as_str()))?;
                }
                write!(f, ": {}", ours(&i.message))?;
            }
            ErrorKind::Api => {
                write!(f, "Cashfree answered {}", status_text(i.status))?;
                if let Some(code) = &i.code {
                    write!(f, " {}", server(code.as_str()))?;
                }
                if let Some(t) = &i.error_type {
                    write!(f, " ({})", server(t))?;
                }
                if let Some(m) = &i.api_message {
                    write!(f, ": {}", server(m))?;
                }
            }
            ErrorKind::Redirect => {
                write!(
                    f,
                    "Cashfree answered {} redirecting to {}; redirects are never followed, nothing was sent there",
                    status_text(i.status),
                    match &i.location {
                        Some(l) => format!("\"{}\"", server(l)),
                        None => "no Location".into(),
                    }
                )?;
            }
            ErrorKind::Decode => {
                write!(f, "undecodable response")?;
                if i.status.is_some() {
                    write!(f, " {}", status_text(i.status))?;
                }
                write!(f, " ({}", ours(&i.message))?;
                if let Some(source) = &i.source {
                    write!(f, ": {}", server(&source.to_string()))?;
                }
                write!(f, ")")?;
                if let Some(s) = &i.snippet {
                    write!(f, ": \"{}\"", server(s))?;
                }
            }
            ErrorKind::UnexpectedStatus => {
                write!(
                    f,
                    "Cashfree answered {}, which the spec does not document",
                    status_text(i.status)
                )?;
                if let Some(s) = &i.snippet {
                    write!(f, ": \"{}\"", server(s))?;
                }
            }
            ErrorKind::Timeout | ErrorKind::Connect | ErrorKind::Transport => {
                let what = match self.kind() {
                    ErrorKind::Timeout => "request timed out",
                    ErrorKind::Connect => "could not connect to Cashfree",
                    _ => "transport error",
                };
                if let Some(operation) = i.operation {
                    write!(f, "{}: ", ours(operation))?;
                }
                write!(f, "{what}")?;
                if let Some(elapsed) = i.elapsed {
                    write!(f, " after {}", Elapsed(elapsed))?;
                }
                if let Some(host) = &i.host {
                    write!(f, " ({})", server(host))?;
                }
                if let Some(source) = &i.source {
                    write!(f, ": {}", server(&source.to_string()))?;
                    // The root cause (`Connection refused`, `operation timed out`) is sources down.
                    if let Some(root) = root_cause(source.as_ref())
                        && root != source.to_string()
                    {
                        write!(f, ": {}", server(&root))?;
                    }
                }
            }
        }
        if let Some(first) = &i.first_attempt {
            write!(f, "; {}", ours(&first.to_string()))?;
        }
        if let Some(id) = &i.request_id {
            write!(f, " [request id {}]", server(id))?;
        }
        if let Some(after) = i.retry_after {
            write!(f, " [retry after {}s]", after.as_secs())?;
        }
        Ok(())
    }
}

/// Line and paragraph separators and bidirectional controls: they can forge a line or reorder what a
/// terminal shows without being control characters.
fn is_invisible_layout(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text written on one line: control characters (newlines, terminal escapes, ...) and invisible
/// layout characters are escaped, and at most `.1` characters are written, then `…`.
struct OneLine<'a>(&'a str, usize);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        for (n, c) in self.0.chars().enumerate() {
            if n == self.1 {
                return f.write_char('…');
            }
            if c.is_control() || is_invisible_layout(c) {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// How long a call took, as a person reads it: `12 ms` under a second, `2.5 s` under ten seconds
/// (tenths, cut down), `30 s` from then on (whole seconds, cut down).
struct Elapsed(std::time::Duration);

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        match ms {
            0..=999 => write!(f, "{ms} ms"),
            1_000..=9_999 => write!(f, "{}.{} s", ms / 1000, ms % 1000 / 100),
            _ => write!(f, "{} s", ms / 1000),
        }
    }
}

fn status_text(status: Option<StatusCode>) -> String {
    match status {
        Some(s) => format!("HTTP {}", s.as_u16()),
        None => "with no status".into(),
    }
}

/// The innermost source of `error`, as text, if it has any.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current = error.source()?;
    while let Some(next) = current.source() {
        current = next;
    }
    Some(current.to_string())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Elapsed;

    #[test]
    fn elapsed_time_reads_as_milliseconds_tenths_or_seconds() {
        for (ms, shown) in [
            (0, "0 ms"),
            (999, "999 ms"),
            (1_000, "1.0 s"),
            (2_570, "2.5 s"),
            (9_999, "9.9 s"),
            (10_000, "10 s"),
            (30_004, "30 s"),
            (125_900, "125 s"),
        ] {
            assert_eq!(Elapsed(Duration::from_millis(ms)).to_string(), shown);
        }
    }
}
