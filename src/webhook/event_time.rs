//! `event_time` as Cashfree sends it, read leniently: RFC 3339 (`2025-05-22T03:51:14Z`), with
//! `IST` (`2024-02-02 17:30:00 IST`, as [`parse_expiry`](crate::parse_expiry) reads), or a date
//! and time with no zone (`2023-07-19 10:46:16`, the BAV V2 and KYC link samples). A value in none
//! of these is kept as text: a timestamp Cashfree writes another way never refuses a delivery.
//!
//! ```
//! use cashfree_verification::webhook::EventTime;
//! assert_eq!(EventTime::parse("2025-05-22T03:51:14Z").unix_timestamp(), Some(1_747_885_874));
//! assert!(matches!(EventTime::parse("2023-07-19 10:46:16"), EventTime::Unzoned(_)));
//! assert!(matches!(EventTime::parse("yesterday"), EventTime::Unparsed(_)));
//! ```

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime};

/// A webhook's `event_time`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventTime {
    /// A point in time (the text had a zone or offset).
    At(OffsetDateTime),
    /// A date and time with no zone. Cashfree's field tables call `event_time` UTC; its samples in
    /// this form do not say, so the zone is not guessed.
    Unzoned(PrimitiveDateTime),
    /// Text in no format above, as sent.
    Unparsed(String),
    /// The body has no `event_time`.
    Absent,
}

impl EventTime {
    /// Reads `text` in the formats above.
    pub fn parse(text: &str) -> EventTime {
        let text = text.trim();
        if let Ok(at) = crate::parse_expiry(text) {
            return OffsetDateTime::from_unix_timestamp(at.unix_timestamp())
                .map(EventTime::At)
                .unwrap_or_else(|_| EventTime::Unparsed(text.to_string()));
        }
        // `YYYY-MM-DD HH:MM:SS[.f]`: read as RFC 3339 at UTC, then drop the zone again.
        if text.len() >= 19 && text.as_bytes()[10] == b' ' && text.is_char_boundary(10) {
            let as_rfc3339 = format!("{}T{}Z", &text[..10], &text[11..]);
            if let Ok(at) = OffsetDateTime::parse(&as_rfc3339, &Rfc3339) {
                return EventTime::Unzoned(PrimitiveDateTime::new(at.date(), at.time()));
            }
        }
        EventTime::Unparsed(text.to_string())
    }

    /// Seconds since the epoch, when the text named a zone.
    pub fn unix_timestamp(&self) -> Option<i64> {
        match self {
            EventTime::At(at) => Some(at.unix_timestamp()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_of_the_samples_is_read() {
        assert_eq!(
            EventTime::parse("2006-01-02T15:04:05Z").unix_timestamp(),
            Some(1_136_214_245)
        );
        assert_eq!(
            EventTime::parse("2024-02-02 17:30:00 IST").unix_timestamp(),
            EventTime::parse("2024-02-02T12:00:00Z").unix_timestamp()
        );
        let EventTime::Unzoned(t) = EventTime::parse("2024-02-15 16:53:15") else {
            panic!("unzoned")
        };
        assert_eq!((t.hour(), t.minute(), t.second()), (16, 53, 15));
        assert_eq!(
            EventTime::parse("2024-02-15 25:00:00"),
            EventTime::Unparsed("2024-02-15 25:00:00".into())
        );
        assert_eq!(
            EventTime::parse("20240215 é"),
            EventTime::Unparsed("20240215 é".into())
        );
    }
}
