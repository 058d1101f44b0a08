//! Quick start: create a VKYC auth token and initiate a 1-Click OAuth session.
//!
//! With none of `CASHFREE_ENV`, `CASHFREE_BASE_URL`, `CASHFREE_CLIENT_ID`, `CASHFREE_ONE_CLICK_CLIENT_ID` set, it starts a small local stand-in for Cashfree on 127.0.0.1 and
//! talks to it, so it runs anywhere. Otherwise it is configured from the environment
//! (`CASHFREE_ENV` or `CASHFREE_BASE_URL`, `CASHFREE_CLIENT_ID`/`CASHFREE_CLIENT_SECRET`,
//! `CASHFREE_ONE_CLICK_CLIENT_ID`/`CASHFREE_ONE_CLICK_CLIENT_SECRET`, ...; see `ClientBuilder::from_env`).
//!
//! ```sh
//! cargo run --example quickstart
//! ```

use std::process::ExitCode;

use cashfree_verification::{Client, types};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    // Environment variables win; with none set, a local stand-in on 127.0.0.1 serves the calls.
    const CLIENT_VARS: [&str; 4] = [
        "CASHFREE_ENV",
        "CASHFREE_BASE_URL",
        "CASHFREE_CLIENT_ID",
        "CASHFREE_ONE_CLICK_CLIENT_ID",
    ];
    let configured = CLIENT_VARS.iter().any(|v| std::env::var_os(v).is_some());
    let client = if configured {
        Client::from_env().map_err(|e| e.to_string())?
    } else {
        let url = start_local_stand_in().await?;
        println!("No CASHFREE_* variables set: using a local stand-in at {url}\n");
        Client::builder()
            .base_url(url)
            .vkyc_credentials("local-vkyc-id", "local-vkyc-secret")
            .one_click_credentials("local-1click-id", "local-1click-secret")
            .build()
            .map_err(|e| e.to_string())?
    };

    let token = client
        .vrs_generate_auth_token()
        .body(
            types::CreateAuthRequestSchema::builder()
                .app_id("app_id_for_vkyc")
                .product("VKYC")
                .metadata(
                    types::CreateAuthRequestSchemaMetadata::builder().vkyc_request_id("249749"),
                )
                .authenticated_user(
                    types::CreateAuthRequestSchemaAuthenticatedUser::builder()
                        .identifier_type("userId")
                        .identifier_value("123456"),
                ),
        )
        .send()
        .await
        .map_err(|e| {
            format!(
                "create auth token: {}",
                cashfree_verification::Error::from(e)
            )
        })?;
    println!("VKYC auth token ({}):", token.status());
    println!(
        "  access_token  {}",
        token.access_token.as_deref().unwrap_or("-")
    );
    let expiry = token.expiry.as_deref().or(token.expires_at.as_deref());
    println!("  expires       {}", expiry.unwrap_or("-"));
    if let Some(at) = expiry.and_then(|e| cashfree_verification::parse_expiry(e).ok()) {
        println!(
            "                (unix {}, expired: {})",
            at.unix_timestamp(),
            at.is_expired()
        );
    }

    let session = client
        .vrs_user_vault_oauth_initiation()
        .body(
            types::InitiateOauthRequestSchema::builder()
                .verification_id(format!("quickstart-{}", std::process::id()))
                .user(
                    types::InitiateOauthRequestSchemaUser::builder()
                        .identifier_type(
                            types::InitiateOauthRequestSchemaUserIdentifierType::Mobile,
                        )
                        .identifier_value("9988776655"),
                ),
        )
        .send()
        .await
        .map_err(|e| {
            format!(
                "initiate 1-Click OAuth: {}",
                cashfree_verification::Error::from(e)
            )
        })?;
    println!("\n1-Click OAuth session ({}):", session.status());
    println!(
        "  verification_id  {}",
        session.verification_id.as_deref().unwrap_or("-")
    );
    println!(
        "  reference_id     {}",
        session
            .reference_id
            .map(|r| r.to_string())
            .unwrap_or("-".into())
    );
    println!(
        "  session_id       {}",
        session.session_id.as_deref().unwrap_or("-")
    );
    println!(
        "  expiry           {}",
        session.expiry.as_deref().unwrap_or("-")
    );
    // Cashfree documents `user` as an object but answers an array; both decode.
    let users = match &session.user {
        Some(types::InitiateOauthResponseSchemaUser::InitiateOauthResponseUser(one)) => {
            vec![one.clone()]
        }
        Some(types::InitiateOauthResponseSchemaUser::Many(many)) => many.clone(),
        None => Vec::new(),
    };
    for user in users {
        println!(
            "  user             {} {}",
            user.identifier_type, user.identifier_value
        );
    }
    Ok(())
}

/// A stand-in that answers the two operations with the documented success bodies.
async fn start_local_stand_in() -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read the head and the body announced by Content-Length.
                loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf);
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                let head = String::from_utf8_lossy(&buf);
                let body = if head.starts_with("POST /oauth/token ") {
                    r#"{"access_token":"local-access-token","expires_at":"2030-01-01 17:30:00 IST"}"#
                        .to_string()
                } else if head.starts_with("POST /oauth2/session ") {
                    r#"{"reference_id":3123123,"verification_id":"quickstart","user":[{"identifier_type":"MOBILE","identifier_value":"9988776655"}],"expiry":"2030-01-01T00:00:00Z","session_id":"local-session"}"#.to_string()
                } else {
                    String::new()
                };
                let status = if body.is_empty() {
                    "404 Not Found"
                } else {
                    "200 OK"
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    Ok(format!("http://{addr}"))
}
