//! Identity from the bearer token.
//!
//! The emulator never checks signatures: a token is an unsigned JWT
//! (`header.payload.signature`, each part base64url without padding, the signature may be
//! empty) whose payload carries
//!
//! - `tid`: the tenant id (required, non-empty string),
//! - `oid`: the caller's object id (required, non-empty string),
//! - `scp`: present in a delegated (user) token, or
//! - `roles`: present in an application-only token (when `scp` is absent),
//! - optionally `upn` (or `preferred_username`), echoed as the organizer's `upn`,
//! - optionally `appid` (or `azp`), the app the rate limit counts against (tokens without
//!   one share one budget per tenant).
//!
//! [`fake_token`] and [`fake_token_from_claims`] make such tokens for tests and examples.

use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::graph_error::ErrorAnswer;
use crate::route_table::Access;

/// The user a call acts as (a meeting's organizer): the token's user, or for an
/// application token the user in the path.
#[derive(Debug, Clone)]
pub(crate) struct Organizer {
    pub(crate) tenant_id: String,
    pub(crate) user_id: String,
    pub(crate) upn: Option<String>,
}

/// The kind of access token, which decides what `/me` and `/users/{userId}` mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A delegated (user) token: has an `scp` claim; `/me` is the token's user.
    Delegated,
    /// An application-only token: has a `roles` claim and no `scp`; `/me` is rejected and
    /// `/users/{userId}` acts as that user.
    Application,
}

/// Makes an unsigned JWT the emulator accepts: `tid` = `tenant_id`, `oid` = `user_id`, and
/// `scp: "OnlineMeetings.ReadWrite"` for [`TokenKind::Delegated`], or
/// `roles: ["OnlineMeetings.ReadWrite.All"]` and `appid` = `user_id` for
/// [`TokenKind::Application`] (the app's ID: the `applicationId` of its subscriptions,
/// and the audience of their validation tokens).
///
/// Send it as `Authorization: Bearer <token>`. Real Graph would reject it: it is unsigned.
///
/// ```
/// use graph_online_meetings_emulator::{TokenKind, fake_token};
///
/// let token = fake_token("tenant-1", "user-1", TokenKind::Delegated);
/// assert_eq!(token.split('.').count(), 3);
/// ```
pub fn fake_token(tenant_id: &str, user_id: &str, kind: TokenKind) -> String {
    let mut claims = json!({
        "aud": "https://graph.microsoft.com",
        "iss": format!("https://sts.windows.net/{tenant_id}/"),
        "tid": tenant_id,
        "oid": user_id,
    });
    if let Value::Object(map) = &mut claims {
        match kind {
            TokenKind::Delegated => {
                map.insert("scp".to_owned(), json!("OnlineMeetings.ReadWrite"));
            }
            TokenKind::Application => {
                map.insert("roles".to_owned(), json!(["OnlineMeetings.ReadWrite.All"]));
                // The app is its own object here: `appid` names it as the subscribing
                // app, the audience of its notifications' validation tokens.
                map.insert("appid".to_owned(), json!(user_id));
            }
        }
    }
    fake_token_from_claims(&claims)
}

/// Makes an unsigned JWT (`{"alg":"none","typ":"JWT"}` header, the given payload, empty
/// signature) from any claims, for tests that need a `upn`, a missing claim or another oddity.
///
/// ```
/// use graph_online_meetings_emulator::fake_token_from_claims;
///
/// let token = fake_token_from_claims(&serde_json::json!({
///     "tid": "tenant-1", "oid": "user-1", "scp": "OnlineMeetings.ReadWrite",
///     "upn": "adele@contoso.com",
/// }));
/// assert!(token.ends_with('.'));
/// ```
pub fn fake_token_from_claims(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.")
}

/// Who is calling, as read from the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Caller {
    pub(crate) tenant_id: String,
    pub(crate) object_id: String,
    pub(crate) kind: TokenKind,
    pub(crate) upn: Option<String>,
    /// The app the token was issued to (`appid`, or `azp`; empty when it has neither):
    /// the rate limit is per app per tenant.
    pub(crate) app_id: String,
}

/// Reads the caller from the `Authorization` header, or the 401 Graph answers.
pub(crate) fn authenticate(headers: &HeaderMap) -> Result<Caller, ErrorAnswer> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ErrorAnswer::unauthenticated("Access token is empty."));
    };
    let Ok(value) = value.to_str() else {
        return Err(malformed("the Authorization header is not visible ASCII"));
    };
    let value = value.trim();
    let token = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ if value.eq_ignore_ascii_case("bearer") => "",
        _ => {
            return Err(malformed(
                "the Authorization header is not 'Bearer <token>'",
            ));
        }
    };
    if token.is_empty() {
        return Err(ErrorAnswer::unauthenticated("Access token is empty."));
    }
    parse_token(token)
}

fn malformed(detail: &str) -> ErrorAnswer {
    ErrorAnswer::unauthenticated(format!(
        "IDX14100: JWT is not well formed: {detail}. The token needs to be in JWS or JWE Compact Serialization Format."
    ))
}

fn invalid(detail: &str) -> ErrorAnswer {
    ErrorAnswer::unauthenticated(format!("Access token validation failure. {detail}"))
}

fn parse_token(token: &str) -> Result<Caller, ErrorAnswer> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return Err(malformed(&format!(
            "it has {} part(s) separated by dots, expected 3",
            parts.len()
        )));
    };
    decode_json_object(header, "header")?;
    let claims = decode_json_object(payload, "payload")?;
    if !signature.is_empty() && URL_SAFE_NO_PAD.decode(signature).is_err() {
        return Err(malformed("the signature is not base64url without padding"));
    }

    let tenant_id = required_string_claim(&claims, "tid")?;
    let object_id = required_string_claim(&claims, "oid")?;
    let kind = if claims.get("scp").is_some_and(|v| !v.is_null()) {
        TokenKind::Delegated
    } else if claims.get("roles").is_some_and(|v| !v.is_null()) {
        TokenKind::Application
    } else {
        return Err(ErrorAnswer::unauthenticated(
            "Either scp or roles claim need to be present in the token.",
        ));
    };
    let upn = ["upn", "preferred_username", "unique_name"]
        .iter()
        .find_map(|name| claims.get(*name).and_then(Value::as_str))
        .map(str::to_owned);
    let app_id = ["appid", "azp"]
        .iter()
        .find_map(|name| claims.get(*name).and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned();
    Ok(Caller {
        tenant_id,
        object_id,
        kind,
        upn,
        app_id,
    })
}

fn decode_json_object(part: &str, what: &str) -> Result<Map<String, Value>, ErrorAnswer> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|err| {
        malformed(&format!(
            "the {what} is not base64url without padding ({err})"
        ))
    })?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(malformed(&format!("the {what} is not a JSON object"))),
        Err(err) => Err(malformed(&format!("the {what} is not valid JSON ({err})"))),
    }
}

fn required_string_claim(claims: &Map<String, Value>, name: &str) -> Result<String, ErrorAnswer> {
    match claims.get(name) {
        Some(Value::String(value)) if !value.trim().is_empty() => Ok(value.clone()),
        Some(_) => Err(invalid(&format!(
            "The '{name}' claim must be a non-empty string."
        ))),
        None => Err(invalid(&format!("The token has no '{name}' claim."))),
    }
}

/// Who the call acts as, from the path (`for_user`: `/users/{userId}`, else `/me`) and
/// the token: `/me` needs a delegated token (400), a delegated token acts only for its own
/// user (403), and a route for [`Access::Application`] refuses delegated tokens (403).
pub(crate) fn organizer_of(
    for_user: bool,
    access: Access,
    caller: &Caller,
    user_id: Option<&String>,
) -> Result<Organizer, ErrorAnswer> {
    let myself = || Organizer {
        tenant_id: caller.tenant_id.clone(),
        user_id: caller.object_id.clone(),
        upn: caller.upn.clone(),
    };
    if access == Access::Application && caller.kind == TokenKind::Delegated {
        return Err(ErrorAnswer::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "This function supports application permissions only: call it with an application token.",
        ));
    }
    if access == Access::App {
        return Ok(myself());
    }
    if !for_user {
        return match caller.kind {
            TokenKind::Delegated => Ok(myself()),
            TokenKind::Application => Err(ErrorAnswer::bad_request(
                "/me request is only valid with delegated authentication flow.",
            )),
        };
    }
    let user_id = user_id.map(String::as_str).unwrap_or_default();
    if user_id.trim().is_empty() {
        return Err(ErrorAnswer::bad_request("The userId in the path is empty."));
    }
    match caller.kind {
        TokenKind::Application => Ok(Organizer {
            tenant_id: caller.tenant_id.clone(),
            user_id: user_id.to_owned(),
            upn: None,
        }),
        TokenKind::Delegated => {
            let is_self = user_id.eq_ignore_ascii_case(&caller.object_id)
                || caller
                    .upn
                    .as_deref()
                    .is_some_and(|upn| upn.eq_ignore_ascii_case(user_id));
            if is_self {
                Ok(myself())
            } else {
                Err(ErrorAnswer::new(
                    StatusCode::FORBIDDEN,
                    "Forbidden",
                    format!(
                        "A delegated token can only act for its own user: '{user_id}' is not the signed-in user."
                    ),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers_with(auth: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(auth) {
            headers.insert(header::AUTHORIZATION, value);
        }
        headers
    }

    #[test]
    fn delegated_token_round_trips() {
        let token = fake_token("t1", "u1", TokenKind::Delegated);
        let caller = authenticate(&headers_with(&format!("Bearer {token}")));
        assert_eq!(
            caller.ok(),
            Some(Caller {
                tenant_id: "t1".into(),
                object_id: "u1".into(),
                kind: TokenKind::Delegated,
                upn: None,
                app_id: String::new(),
            })
        );
    }

    #[test]
    fn application_token_round_trips() {
        let token = fake_token("t1", "app", TokenKind::Application);
        let caller = authenticate(&headers_with(&format!("bearer {token}")));
        assert_eq!(caller.map(|c| c.kind).ok(), Some(TokenKind::Application));
    }

    #[test]
    fn upn_claim_is_read() {
        let token = fake_token_from_claims(&json!({
            "tid": "t", "oid": "o", "scp": "x", "upn": "a@b.c"
        }));
        let caller = authenticate(&headers_with(&format!("Bearer {token}")));
        assert_eq!(caller.ok().and_then(|c| c.upn), Some("a@b.c".to_owned()));
    }

    #[test]
    fn bad_tokens_are_401() {
        let no_tid = fake_token_from_claims(&json!({"oid": "o", "scp": "x"}));
        let no_oid = fake_token_from_claims(&json!({"tid": "t", "scp": "x"}));
        let empty_tid = fake_token_from_claims(&json!({"tid": "", "oid": "o", "scp": "x"}));
        let no_kind = fake_token_from_claims(&json!({"tid": "t", "oid": "o"}));
        let array_payload = format!("e30.{}.", URL_SAFE_NO_PAD.encode("[1]"));
        let bad_json = format!("e30.{}.", URL_SAFE_NO_PAD.encode("{nope"));
        let cases = [
            String::new(),
            "Basic abc".to_owned(),
            "Bearer".to_owned(),
            "Bearer a.b".to_owned(),
            "Bearer a.b.c.d".to_owned(),
            "Bearer !!!.e30.".to_owned(),
            "Bearer e30.e30.!!".to_owned(),
            format!("Bearer {no_tid}"),
            format!("Bearer {no_oid}"),
            format!("Bearer {empty_tid}"),
            format!("Bearer {no_kind}"),
            format!("Bearer {array_payload}"),
            format!("Bearer {bad_json}"),
        ];
        for case in cases {
            let result = authenticate(&headers_with(&case));
            match result {
                Err(err) => {
                    assert_eq!(err.status, axum::http::StatusCode::UNAUTHORIZED, "{case}");
                    assert_eq!(err.code, "InvalidAuthenticationToken", "{case}");
                }
                Ok(caller) => panic!("{case:?} was accepted as {caller:?}"),
            }
        }
    }
}
