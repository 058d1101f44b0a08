//! Quick start: a VKYC auth token; the complete 1-Click flow (initiate the OAuth session, the user's
//! consent, generate the access token, fetch the user's details); and one PAN verification.
//!
//! The user's consent happens in Cashfree's SDK on their device, which hands your redirect URL an auth
//! code: against the sandbox, `Sandbox::consent` plays that part; against Cashfree, put the code in
//! `CASHFREE_AUTH_CODE` (without it the example stops after the session).
//!
//! With none of `CASHFREE_ENV`, `CASHFREE_BASE_URL`, `CASHFREE_CLIENT_ID`, `CASHFREE_ONE_CLICK_CLIENT_ID` set, it starts the offline sandbox (the cashfree-verification-sandbox crate) on 127.0.0.1
//! and talks to it, so it runs anywhere. Otherwise it is configured from the environment
//! (`CASHFREE_ENV` or `CASHFREE_BASE_URL`, `CASHFREE_CLIENT_ID`/`CASHFREE_CLIENT_SECRET`,
//! `CASHFREE_ONE_CLICK_CLIENT_ID`/`CASHFREE_ONE_CLICK_CLIENT_SECRET`, ...; see `ClientBuilder::from_env`).
//!
//! ```sh
//! cargo run -p cashfree-verification-sandbox --example quickstart
//! ```

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use cashfree_verification::{Client, Error, types};
use cashfree_verification_sandbox::Sandbox;

#[tokio::main]
async fn main() -> ExitCode {
    // Output is collected and written once, so a closed pipe (`| head`) is not a panic.
    let mut report = String::new();
    let result = run(&mut report).await;
    let _ = std::io::stdout().write_all(report.as_bytes());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(report: &mut String) -> Result<(), String> {
    // Environment variables win; with none set, the offline sandbox on 127.0.0.1 serves the calls
    // (and stops when `_sandbox` is dropped at the end of this function).
    const CLIENT_VARS: [&str; 4] = [
        "CASHFREE_ENV",
        "CASHFREE_BASE_URL",
        "CASHFREE_CLIENT_ID",
        "CASHFREE_ONE_CLICK_CLIENT_ID",
    ];
    let configured = CLIENT_VARS.iter().any(|v| std::env::var_os(v).is_some());
    let mut sandbox = None;
    let client = if configured {
        Client::from_env().map_err(|e| e.to_string())?
    } else {
        let started = Sandbox::start().await.map_err(|e| e.to_string())?;
        let _ = writeln!(
            report,
            "No CASHFREE_* client variables set: using the offline sandbox at {}\n",
            started.base_url()
        );
        let client = started
            .client_builder()
            .build()
            .map_err(|e| e.to_string())?;
        sandbox = Some(started);
        client
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
    let _ = writeln!(report, "VKYC auth token ({}):", token.status());
    let _ = writeln!(
        report,
        "  access_token  {}",
        token.access_token.as_deref().unwrap_or("-")
    );
    let expiry = token.expiry.as_deref().or(token.expires_at.as_deref());
    let _ = writeln!(report, "  expires       {}", expiry.unwrap_or("-"));
    if let Some(at) = expiry.and_then(|e| cashfree_verification::parse_expiry(e).ok()) {
        let _ = writeln!(
            report,
            "                (unix {}, expired: {})",
            at.unix_timestamp(),
            at.is_expired()
        );
    }

    let verification_id = format!("quickstart-{}", std::process::id());
    let session = client
        .vrs_user_vault_oauth_initiation()
        .body(
            types::InitiateOauthRequestSchema::builder()
                .verification_id(verification_id.clone())
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
    let _ = writeln!(report, "\n1-Click OAuth session ({}):", session.status());
    let _ = writeln!(
        report,
        "  verification_id  {}",
        session.verification_id.as_deref().unwrap_or("-")
    );
    let _ = writeln!(
        report,
        "  reference_id     {}",
        session
            .reference_id
            .map(|r| r.to_string())
            .unwrap_or("-".into())
    );
    let _ = writeln!(
        report,
        "  session_id       {}",
        session.session_id.as_deref().unwrap_or("-")
    );
    let _ = writeln!(
        report,
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
        let _ = writeln!(
            report,
            "  user             {} {}",
            user.identifier_type, user.identifier_value
        );
    }

    // The user consents in Cashfree's SDK; your redirect URL receives the auth code.
    let auth_code = match (&sandbox, std::env::var("CASHFREE_AUTH_CODE")) {
        (Some(sandbox), _) => Some(
            sandbox
                .consent(&verification_id)
                .map_err(|e| e.to_string())?,
        ),
        (None, Ok(code)) => Some(code),
        (None, Err(_)) => None,
    };
    if let Some(auth_code) = auth_code {
        let token = client
            .vrs_user_vault_access_token_generation()
            .body(types::AccessTokenGenerationRequestSchema::builder().auth_code(auth_code))
            .send()
            .await
            .map_err(|e| format!("generate the 1-Click access token: {}", Error::from(e)))?;
        let access_token = token.access_token.clone().unwrap_or_default();
        let _ = writeln!(report, "\n1-Click access token ({}):", token.status());
        let _ = writeln!(
            report,
            "  expiry           {}",
            token.expiry.as_deref().unwrap_or("-")
        );
        // The access token is the user's, so it goes on the call, not on the client.
        let details = client
            .vrs_user_vault_fetch_details_from_access_token()
            .authorization(access_token)
            .send()
            .await
            .map_err(|e| format!("fetch the user's details: {}", Error::from(e)))?;
        let _ = writeln!(report, "\n1-Click user details ({}):", details.status());
        let scopes = details.scopes.as_deref().unwrap_or_default();
        let _ = writeln!(report, "  scopes           {}", scopes.len());
    } else {
        let _ = writeln!(
            report,
            "\nSet CASHFREE_AUTH_CODE to the code your redirect URL received to finish the 1-Click flow."
        );
    }

    let pan = client
        .vrs_pan_verification()
        .body(
            types::PanRequestSchema::builder()
                .pan("ABCPV1234D")
                .name(Some("John Doe".to_string())),
        )
        .send()
        .await
        .map_err(|e| format!("verify PAN: {}", Error::from(e)))?;
    let _ = writeln!(report, "\nPAN verification ({}):", pan.status());
    let _ = writeln!(
        report,
        "  pan              {}",
        pan.pan.as_deref().unwrap_or("-")
    );
    let _ = writeln!(
        report,
        "  valid            {}",
        pan.valid.map(|v| v.to_string()).unwrap_or("-".into())
    );
    let _ = writeln!(
        report,
        "  name match       {}",
        pan.name_match_result.as_deref().unwrap_or("-")
    );
    Ok(())
}
