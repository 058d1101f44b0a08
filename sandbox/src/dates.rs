//! Times the sandbox writes itself (the expiry of a token or session it issues), in the format the
//! schema declares, else in the documented example's.

/// Unix seconds now (the clock the sandbox's expiries are written and checked by).
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `unix` as the field declares: `format: date` gives `YYYY-MM-DD`; otherwise the `example`'s
/// style ([`like_example`]).
pub(crate) fn formatted(format: Option<&str>, example: &str, unix: i64) -> String {
    match format {
        Some("date") => civil(unix).0,
        Some("date-time") if !example.contains('T') => like_example("", unix),
        _ => like_example(example, unix),
    }
}

/// `unix` formatted like `example`: `YYYY-MM-DD` alone, `YYYY-MM-DD HH:MM:SS IST`, RFC 3339 with
/// `+05:30`, or (for anything else) RFC 3339 with `Z`.
pub(crate) fn like_example(example: &str, unix: i64) -> String {
    let ist = 5 * 3600 + 1800;
    if example.len() == 10 && example.as_bytes().get(4) == Some(&b'-') {
        return civil(unix + ist).0;
    }
    if example.ends_with(" IST") {
        let (date, time) = civil(unix + ist);
        return format!("{date} {time} IST");
    }
    if example.ends_with("+05:30") {
        let (date, time) = civil(unix + ist);
        return format!("{date}T{time}+05:30");
    }
    let (date, time) = civil(unix);
    format!("{date}T{time}Z")
}

/// (`YYYY-MM-DD`, `HH:MM:SS`) of a Unix time, in UTC (shift `unix` for another offset). A time
/// outside `time`'s range (years -9999..=9999) is written as the nearest end of it.
fn civil(unix: i64) -> (String, String) {
    let at = time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(if unix < 0 {
        time::PrimitiveDateTime::MIN.assume_utc()
    } else {
        time::PrimitiveDateTime::MAX.assume_utc()
    });
    let date = format!(
        "{:04}-{:02}-{:02}",
        at.year(),
        u8::from(at.month()),
        at.day()
    );
    let clock = format!("{:02}:{:02}:{:02}", at.hour(), at.minute(), at.second());
    (date, clock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_keep_the_examples_format() {
        assert_eq!(
            like_example("2024-02-02 17:30:00 IST", 1_706_875_200),
            "2024-02-02 17:30:00 IST"
        );
        assert_eq!(
            like_example("2024-12-31T23:59:59Z", 1_735_689_599),
            "2024-12-31T23:59:59Z"
        );
        assert_eq!(
            like_example("2025-05-05T18:01:05+05:30", 1_746_448_265),
            "2025-05-05T18:01:05+05:30"
        );
        assert_eq!(civil(0), ("1970-01-01".into(), "00:00:00".into()));
        assert_eq!(civil(951_782_400).0, "2000-02-29");
        assert_eq!(civil(-1), ("1969-12-31".into(), "23:59:59".into()));
        assert_eq!(civil(i64::MAX).0, "9999-12-31");
    }

    #[test]
    fn a_date_field_gets_a_date() {
        assert_eq!(
            formatted(Some("date"), "2024-01-07T00:00:00Z", 0),
            "1970-01-01"
        );
        assert_eq!(formatted(None, "2024-01-07", 0), "1970-01-01");
        assert_eq!(
            formatted(Some("date-time"), "2024-01-07", 0),
            "1970-01-01T00:00:00Z"
        );
    }
}
