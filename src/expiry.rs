//! Expiry timestamps in the formats Cashfree returns, as points in time.
//!
//! Accepted formats:
//! - RFC 3339 with `T` (or `t`) between date and time, optional fractional
//!   seconds and a `Z`/`z` or `±HH:MM` offset: `2024-12-31T23:59:59Z`,
//!   `2025-05-05T18:01:05+05:30`, `2024-12-31t23:59:59.5z`;
//! - `YYYY-MM-DD HH:MM:SS IST`, where IST is India Standard Time, UTC+05:30:
//!   `2024-02-02 17:30:00 IST`.
//!
//! Surrounding whitespace is ignored. No other zone name is accepted.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use time::error::{Parse, TryFromParsed};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// Accepted formats, quoted by every [`ExpiryError`] that names an input.
const ACCEPTED: &str = "accepted formats: RFC 3339 such as `2024-12-31T23:59:59Z` or \
                        `2025-05-05T18:01:05+05:30` (fractional seconds allowed), \
                        or `2024-02-02 17:30:00 IST`";
/// Longest part of the input, in characters, repeated in an error.
const MAX_QUOTED_CHARS: usize = 64;

/// A point in time after which something Cashfree issued is no longer valid.
///
/// Compares, orders and hashes by instant, whatever offset the text used, and
/// compares directly with [`SystemTime`]:
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use cashfree_verification::expiry::parse_expiry;
///
/// let expiry = parse_expiry("2025-05-05T18:01:05+05:30")?;
/// assert_eq!(expiry.unix_timestamp(), 1_746_448_265);
/// assert_eq!(expiry.to_string(), "2025-05-05T12:31:05Z");
/// assert!(expiry < SystemTime::now() + Duration::from_secs(1));
/// assert!(expiry.is_expired_at(UNIX_EPOCH + Duration::from_secs(1_746_448_265)));
/// # Ok::<(), cashfree_verification::expiry::ExpiryError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Expiry(OffsetDateTime);

impl Expiry {
    /// Returns the whole seconds since 1970-01-01T00:00:00Z, rounding down.
    #[must_use]
    pub fn unix_timestamp(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// Returns the same instant as a [`SystemTime`].
    #[must_use]
    pub fn to_system_time(&self) -> SystemTime {
        SystemTime::from(self.0)
    }

    /// Tells whether the expiry has been reached at `now` (`now >= expiry`).
    #[must_use]
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        now >= self.to_system_time()
    }

    /// Tells whether the expiry has been reached by the system clock.
    #[must_use]
    pub fn is_expired(&self) -> bool {
        self.is_expired_at(SystemTime::now())
    }
}

impl From<Expiry> for SystemTime {
    fn from(expiry: Expiry) -> Self {
        expiry.to_system_time()
    }
}

impl PartialEq<SystemTime> for Expiry {
    fn eq(&self, other: &SystemTime) -> bool {
        self.to_system_time() == *other
    }
}

impl PartialOrd<SystemTime> for Expiry {
    fn partial_cmp(&self, other: &SystemTime) -> Option<std::cmp::Ordering> {
        self.to_system_time().partial_cmp(other)
    }
}

/// Shows the instant in RFC 3339 form in UTC, such as `2024-02-02T12:00:00Z`.
impl fmt::Display for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        let (year, month, day) = (t.year(), u8::from(t.month()), t.day());
        let (hour, minute, second) = (t.hour(), t.minute(), t.second());
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"
        )?;
        if t.nanosecond() != 0 {
            let fraction = format!("{:09}", t.nanosecond());
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl FromStr for Expiry {
    type Err = ExpiryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_expiry(s)
    }
}

/// Why a text is not an accepted expiry timestamp.
///
/// Each variant with an input keeps at most its first 64 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpiryError {
    /// The text is empty or only whitespace.
    Empty,
    /// The text has none of the accepted shapes.
    UnrecognizedFormat {
        /// The text given.
        input: String,
    },
    /// The text names a time zone other than `IST`.
    UnsupportedTimeZone {
        /// The text given.
        input: String,
        /// The zone name found, such as `PST`.
        zone: String,
    },
    /// The shape is right but a field is out of range, as in `2024-02-30`.
    InvalidValue {
        /// The text given.
        input: String,
        /// The field out of range, such as `day` or `hour`.
        component: &'static str,
    },
}

impl fmt::Display for ExpiryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "empty expiry timestamp; {ACCEPTED}"),
            Self::UnrecognizedFormat { input } => {
                write!(f, "unrecognized expiry timestamp {input:?}; {ACCEPTED}")
            }
            Self::UnsupportedTimeZone { input, zone } => write!(
                f,
                "expiry timestamp {input:?} uses time zone {zone:?}, but only IST is known; {ACCEPTED}"
            ),
            Self::InvalidValue { input, component } => write!(
                f,
                "invalid expiry timestamp {input:?}: the {component} is out of range; {ACCEPTED}"
            ),
        }
    }
}

impl std::error::Error for ExpiryError {}

/// Parses an expiry timestamp in one of the accepted formats (see the module docs).
///
/// # Errors
///
/// [`ExpiryError::Empty`] for blank text, [`ExpiryError::UnsupportedTimeZone`]
/// for a zone name other than `IST`, [`ExpiryError::InvalidValue`] for a field
/// out of range such as `2024-02-30`, and [`ExpiryError::UnrecognizedFormat`]
/// for anything else.
///
/// ```
/// use cashfree_verification::expiry::parse_expiry;
///
/// let ist = parse_expiry("2024-02-02 17:30:00 IST")?;
/// assert_eq!(ist.unix_timestamp(), 1_706_875_200); // 2024-02-02T12:00:00Z
/// assert!(parse_expiry("2024-02-30T00:00:00Z").is_err());
/// # Ok::<(), cashfree_verification::expiry::ExpiryError>(())
/// ```
pub fn parse_expiry(input: &str) -> Result<Expiry, ExpiryError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(ExpiryError::Empty);
    }
    if let Some((local, zone)) = text.rsplit_once(' ')
        && !zone.is_empty()
        && zone.bytes().all(|b| b.is_ascii_uppercase())
    {
        let Some((date, clock)) = local.split_once(' ') else {
            return Err(unrecognized(input));
        };
        let parsed = parse_rfc3339(&format!("{date}T{clock}+05:30"), input);
        return match zone {
            "IST" => parsed,
            _ if parsed.is_ok() => Err(ExpiryError::UnsupportedTimeZone {
                input: quoted(input),
                zone: quoted(zone),
            }),
            _ => Err(unrecognized(input)),
        };
    }
    // The `time` parser takes any byte as the date-time separator; RFC 3339 allows `T`/`t`.
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't')) {
        return Err(unrecognized(input));
    }
    parse_rfc3339(text, input)
}

/// Parses strict RFC 3339 text, naming `original` in any error.
fn parse_rfc3339(text: &str, original: &str) -> Result<Expiry, ExpiryError> {
    match OffsetDateTime::parse(text, &Rfc3339) {
        Ok(instant) => Ok(Expiry(instant.to_offset(UtcOffset::UTC))),
        Err(Parse::TryFromParsed(TryFromParsed::ComponentRange(range))) => {
            Err(ExpiryError::InvalidValue {
                input: quoted(original),
                component: range.name(),
            })
        }
        Err(_) => Err(unrecognized(original)),
    }
}

/// Builds the error for text of no accepted shape.
fn unrecognized(input: &str) -> ExpiryError {
    ExpiryError::UnrecognizedFormat {
        input: quoted(input),
    }
}

/// Keeps at most the first [`MAX_QUOTED_CHARS`] characters of `input`.
fn quoted(input: &str) -> String {
    input.chars().take(MAX_QUOTED_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn unix(s: &str) -> i64 {
        parse_expiry(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .unix_timestamp()
    }

    #[test]
    fn rfc3339_utc_and_offsets_give_exact_timestamps() {
        assert_eq!(unix("2024-12-31T23:59:59Z"), 1_735_689_599);
        assert_eq!(unix("2025-05-05T18:01:05+05:30"), 1_746_448_265);
        assert_eq!(unix("2024-12-31T18:29:59-05:30"), 1_735_689_599);
        assert_eq!(unix("2024-12-31T23:59:59-00:00"), 1_735_689_599);
        assert_eq!(unix("2024-02-29T00:00:00Z"), 1_709_164_800);
    }

    #[test]
    fn lowercase_fractions_and_whitespace_are_accepted() {
        assert_eq!(unix("2024-12-31t23:59:59z"), 1_735_689_599);
        assert_eq!(unix(" 2024-12-31T23:59:59Z\n"), 1_735_689_599);
        let fine = parse_expiry("2024-12-31T23:59:59.123456Z").unwrap();
        assert_eq!(fine.unix_timestamp(), 1_735_689_599);
        let expected = UNIX_EPOCH + Duration::new(1_735_689_599, 123_456_000);
        assert_eq!(fine.to_system_time(), expected);
        assert_eq!(fine.to_string(), "2024-12-31T23:59:59.123456Z");
    }

    #[test]
    fn leap_second_maps_to_the_last_nanosecond() {
        let leap = parse_expiry("2016-12-31T23:59:60Z").unwrap();
        assert_eq!(leap.unix_timestamp(), 1_483_228_799);
        assert_eq!(leap.to_string(), "2016-12-31T23:59:59.999999999Z");
    }

    #[test]
    fn ist_suffix_means_plus_five_thirty() {
        assert_eq!(unix("2024-02-02 17:30:00 IST"), 1_706_875_200);
        let ist = parse_expiry("2025-01-01 05:29:59 IST").unwrap();
        let zulu = parse_expiry("2024-12-31T23:59:59Z").unwrap();
        let offset = parse_expiry("2025-01-01T05:29:59+05:30").unwrap();
        assert_eq!(ist, zulu);
        assert_eq!(offset, zulu);
        assert_eq!(ist.to_string(), "2024-12-31T23:59:59Z");
        assert_eq!(
            "2024-02-02 17:30:00 IST".parse::<Expiry>().unwrap(),
            unix_expiry(1_706_875_200)
        );
    }

    fn unix_expiry(seconds: i64) -> Expiry {
        Expiry(OffsetDateTime::from_unix_timestamp(seconds).unwrap())
    }

    #[test]
    fn compares_with_system_time() {
        let expiry = parse_expiry("2024-12-31T23:59:59Z").unwrap();
        let at = |s| UNIX_EPOCH + Duration::from_secs(s);
        assert!(!expiry.is_expired_at(at(1_735_689_598)));
        assert!(expiry.is_expired_at(at(1_735_689_599)));
        assert!(expiry.is_expired_at(at(1_735_689_600)));
        assert!(expiry < at(1_735_689_600));
        assert!(expiry > at(1_735_689_598));
        assert!(expiry == at(1_735_689_599));
        assert_eq!(SystemTime::from(expiry), at(1_735_689_599));
        assert!(expiry.is_expired(), "2024 is in the past");
        assert!(!parse_expiry("9999-12-31T23:59:59Z").unwrap().is_expired());
    }

    #[test]
    fn impossible_dates_and_times_name_the_field() {
        let cases = [
            ("2024-02-30T10:00:00Z", "day"),
            ("2023-02-29T00:00:00Z", "day"),
            ("2024-02-30 10:00:00 IST", "day"),
            ("2024-13-01T00:00:00Z", "month"),
            ("2024-12-31T25:00:00Z", "hour"),
            ("2024-12-30T23:59:60Z", "second"),
        ];
        for (input, component) in cases {
            let err = parse_expiry(input).unwrap_err();
            let input = input.to_owned();
            assert_eq!(err, ExpiryError::InvalidValue { input, component });
            let message = err.to_string();
            assert!(message.contains(&format!("the {component} is out of range")));
            assert!(message.contains("2024-02-02 17:30:00 IST"), "{message}");
        }
    }

    #[test]
    fn other_zones_are_rejected_by_name() {
        let err = parse_expiry("2024-02-02 17:30:00 PST").unwrap_err();
        assert_eq!(
            err,
            ExpiryError::UnsupportedTimeZone {
                input: "2024-02-02 17:30:00 PST".into(),
                zone: "PST".into()
            }
        );
        assert!(err.to_string().contains("\"PST\", but only IST is known"));
        let err = parse_expiry("2024-02-02 17:30:00 UTC").unwrap_err();
        assert!(matches!(err, ExpiryError::UnsupportedTimeZone { zone, .. } if zone == "UTC"));
    }

    #[test]
    fn malformed_text_is_rejected_with_the_formats_listed() {
        assert_eq!(parse_expiry("").unwrap_err(), ExpiryError::Empty);
        assert_eq!(parse_expiry(" \t\n").unwrap_err(), ExpiryError::Empty);
        assert!(ExpiryError::Empty.to_string().contains("RFC 3339"));
        let inputs = [
            "garbage",
            "hello WORLD",
            "1735689599",
            "2024-12-31",
            "2024-12-31T23:59:59",
            "2024-12-31 23:59:59Z",
            "2024-12-31X23:59:59Z",
            "2024-12-31T23:59:59+24:00",
            "2024-12-31T23:59:59Z trailing",
            "2024-02-02 17:30 IST",
            "2024-02-02T17:30:00 IST",
            "2024-02-02 17:30:00+05:30 IST",
            "2024-02-02 17:30:00 ist",
            "２０２４-12-31T23:59:59Z",
            "2024-12-31T23:59:59Z🙂",
            "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂",
        ];
        for input in inputs {
            let err = parse_expiry(input).unwrap_err();
            let expected = ExpiryError::UnrecognizedFormat {
                input: input.into(),
            };
            assert_eq!(err, expected, "{input}");
            let message = err.to_string();
            assert!(message.contains(&format!("{input:?}")), "{message}");
            assert!(message.contains("`2024-12-31T23:59:59Z`"), "{message}");
        }
    }

    #[test]
    fn long_input_is_shortened_in_errors() {
        let long = "é".repeat(1000);
        let ExpiryError::UnrecognizedFormat { input } = parse_expiry(&long).unwrap_err() else {
            panic!("wrong variant");
        };
        assert_eq!(input, "é".repeat(64));
    }
}
