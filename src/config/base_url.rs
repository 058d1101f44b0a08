//! Checking a base URL, and showing one without its secrets.

use std::net::IpAddr;

pub(crate) fn check_base_url(url: &str) -> Result<(), String> {
    let shown = shown_url(url);
    // Cashfree's URLs hold no `@`; one anywhere is user-info, even where the URL parser would read
    // it as part of the path (`https://user:pa/ss@host` parses as host `user`, path `/ss@host`).
    if url.contains('@') {
        return Err(format!(
            "base URL {shown} carries a user name or password; give credentials with the builder's credential setters"
        ));
    }
    let parsed =
        reqwest::Url::parse(url).map_err(|e| format!("base URL {shown} does not parse: {e}"))?;
    // Credentials travel in Cashfree's headers only; a query or fragment would end up in the middle of
    // every request path (`/base?x=/oauth/token`).
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "base URL {shown} carries a user name or password; give credentials with the builder's credential setters"
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "base URL {shown} has a query or fragment; give scheme, host, port and path only"
        ));
    }
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&parsed) => Ok(()),
        "http" => Err(format!(
            "base URL {shown} is plain http to a non-loopback host; credentials would travel in clear text (use https)"
        )),
        other => Err(format!("base URL {shown} has scheme {other:?}; use https")),
    }
}

/// `url` as it may be shown in messages and `Debug`: user name, password, query and fragment replaced
/// by `<redacted>`, whether or not the URL parses.
///
/// Where user-info ends cannot be told from a URL that does not parse: a password may hold `/`, `?`,
/// `#` or `@` (`https://u:pa/ss@host` does not parse, and `/` would seem to end the host). So
/// everything between the scheme and the last `@` is hidden, wherever that `@` is; a URL with an `@`
/// only in its path loses a little of what it shows, and no password shows in part.
pub(crate) fn shown_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let (user_info, rest) = match rest.rfind('@') {
        // A `?` or `#` before it: the `@` may be in a query or fragment, so what follows it may be
        // too, and nothing of the rest is shown.
        Some(at) if rest[..at].contains(['?', '#']) => (true, ""),
        Some(at) => (true, &rest[at + 1..]),
        None => (false, rest),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(end);
    let authority = if user_info {
        format!("<redacted>@{host}")
    } else {
        host.to_string()
    };
    let tail = match tail.find(['?', '#']) {
        Some(i) => format!("{}<redacted>", &tail[..i]),
        None => tail.to_string(),
    };
    let shown = match scheme {
        // A "scheme" that is not one (text before `://` that holds more) is hidden too.
        Some(scheme)
            if scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) =>
        {
            format!("{scheme}://{authority}{tail}")
        }
        Some(_) => format!("<redacted>://{authority}{tail}"),
        None => format!("{authority}{tail}"),
    };
    format!("{:?}", shown)
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_must_be_https_unless_loopback() {
        assert!(check_base_url("https://proxy.example.com/verification").is_ok());
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        assert!(
            check_base_url("http://10.0.0.1")
                .unwrap_err()
                .contains("clear text")
        );
        assert!(check_base_url("ftp://x").unwrap_err().contains("scheme"));
        assert!(
            check_base_url("not a url")
                .unwrap_err()
                .contains("does not parse")
        );
    }
}
