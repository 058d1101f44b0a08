//! Valid calls of the two operations and a client configured for the recording server.

use cashfree_verification::{Client, Error, RetryPolicy, builder, types};

use super::support::Server;

pub const VKYC_ID: &str = "vkyc-id-123";
pub const VKYC_SECRET: &str = "vkyc-SECRET-do-not-leak";
pub const ONE_CLICK_ID: &str = "oneclick-id-456";
pub const ONE_CLICK_SECRET: &str = "oneclick-SECRET-do-not-leak";
pub const PUBLIC_KEY: &str = include_str!("../fixtures/test_key_public.pem");
pub const PRIVATE_KEY: &str = include_str!("../fixtures/test_key_private.pem");

pub fn client_for(server: &Server) -> cashfree_verification::ClientBuilder {
    Client::builder()
        .base_url(&server.url)
        .vkyc_credentials(VKYC_ID, VKYC_SECRET)
        .one_click_credentials(ONE_CLICK_ID, ONE_CLICK_SECRET)
        .retry_policy(RetryPolicy::none())
}

pub fn token_call(client: &Client) -> builder::VrsGenerateAuthToken<'_> {
    client.vrs_generate_auth_token().body(
        types::CreateAuthRequestSchema::builder()
            .app_id("app_id_for_vkyc")
            .product("VKYC")
            .metadata(types::CreateAuthRequestSchemaMetadata::builder().vkyc_request_id("249749"))
            .authenticated_user(
                types::CreateAuthRequestSchemaAuthenticatedUser::builder()
                    .identifier_type("userId")
                    .identifier_value("123456"),
            ),
    )
}

pub fn session_call<'a>(
    client: &'a Client,
    verification_id: &str,
    mobile: &str,
) -> builder::VrsUserVaultOauthInitiation<'a> {
    client.vrs_user_vault_oauth_initiation().body(
        types::InitiateOauthRequestSchema::builder()
            .verification_id(verification_id)
            .user(
                types::InitiateOauthRequestSchemaUser::builder()
                    .identifier_type(types::InitiateOauthRequestSchemaUserIdentifierType::Mobile)
                    .identifier_value(mobile),
            ),
    )
}

/// Calls the operation at `path` with a valid request (a fixed verification id).
pub async fn call(client: &Client, path: &str) -> Result<(), Error> {
    match path {
        "/oauth/token" => token_call(client)
            .send()
            .await
            .map(drop)
            .map_err(Error::from),
        "/oauth2/session" => session_call(client, "v-3", "9988123456")
            .send()
            .await
            .map(drop)
            .map_err(Error::from),
        other => panic!("this test does not know how to call {other}; add it"),
    }
}
