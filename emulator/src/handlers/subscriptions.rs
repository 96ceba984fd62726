//! The subscription routes: create (after Graph's validation handshake with the
//! notification URLs), list, get, renew (update) and delete, each for the calling app's
//! own subscriptions in its tenant.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::auth::TokenKind;
use crate::graph_error::{ErrorAnswer, collection_response, meeting_response};
use crate::handlers::meetings::check_content_type;
use crate::handlers::{Before, Call};
use crate::meeting::parse_request_object;
use crate::owner::Owner;
use crate::subscriptions::{HANDSHAKE_TIMEOUT, StoredSubscription, Watched, handshake};

/// The longest a subscription to transcripts or recordings lasts (4,230 minutes), and the
/// expiration past which it needs a `lifecycleNotificationUrl` (an hour).
const MAX_MINUTES: i64 = 4230;
const LIFECYCLE_AFTER_MINUTES: i64 = 60;

/// The longest `clientState` Graph accepts.
const MAX_CLIENT_STATE: usize = 128;

fn context(call: &Call<'_>, suffix: &str) -> String {
    format!(
        "https://graph.microsoft.com/{}/$metadata#subscriptions{suffix}",
        call.version
    )
}

fn not_found(id: &str) -> ErrorAnswer {
    ErrorAnswer::new(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!("The object was not found: subscription '{id}'."),
    )
}

/// A notification URL the emulator can deliver to: `http` on a loopback host (tests need
/// no TLS), or `https` as Graph requires (the emulator has no TLS client, so its
/// handshake fails).
fn check_url(name: &str, value: &str) -> Result<(), ErrorAnswer> {
    let url = url::Url::parse(value)
        .map_err(|err| ErrorAnswer::bad_request(format!("{name} '{value}' is not a URL: {err}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(ErrorAnswer::bad_request(format!(
            "Invalid {name} '{value}': it must be an https URL."
        ))),
    }
}

fn text<'a>(request: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ErrorAnswer> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(ErrorAnswer::bad_request(format!(
            "Invalid value for property '{name}': a string is expected."
        ))),
    }
}

fn required<'a>(request: &'a Map<String, Value>, name: &str) -> Result<&'a str, ErrorAnswer> {
    text(request, name)?
        .filter(|value| !value.is_empty())
        .ok_or_else(|| ErrorAnswer::bad_request(format!("Property '{name}' is required.")))
}

/// `expirationDateTime`, in the future and at most [`MAX_MINUTES`] ahead.
fn expiration(value: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, ErrorAnswer> {
    let expires = DateTime::parse_from_rfc3339(value)
        .map_err(|_| {
            ErrorAnswer::bad_request(format!(
                "Invalid value for property 'expirationDateTime': '{value}' is not a date-time."
            ))
        })?
        .with_timezone(&Utc);
    if expires <= now {
        return Err(ErrorAnswer::bad_request(format!(
            "Subscription expiration can only be in the future: {value}."
        )));
    }
    if expires > now + Duration::minutes(MAX_MINUTES) {
        return Err(ErrorAnswer::bad_request(format!(
            "Subscription expiration can only be {MAX_MINUTES} minutes in the future."
        )));
    }
    Ok(expires)
}

/// `POST /subscriptions`: checks the request, then (before the `201`) the validation
/// handshake with `notificationUrl` and `lifecycleNotificationUrl`; a failed handshake is
/// a `400` and nothing is stored.
pub(crate) fn create(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    check_content_type(&call.parts.headers)?;
    let request = parse_request_object(call.body)?;
    let change_type = required(&request, "changeType")?;
    if change_type != "created" {
        return Err(ErrorAnswer::bad_request(format!(
            "Invalid changeType '{change_type}': transcripts and recordings notify 'created' only."
        )));
    }
    let resource = required(&request, "resource")?;
    if Watched::parse(resource).is_none() {
        return Err(ErrorAnswer::bad_request(format!(
            "Resource '{resource}' is not supported for subscriptions by the emulator."
        )));
    }
    if resource.starts_with("communications/") && call.caller.kind == TokenKind::Delegated {
        return Err(ErrorAnswer::new(
            StatusCode::FORBIDDEN,
            "ExtensionError",
            format!(
                "Operation: Create; Exception: [Status Code: Forbidden; Reason: The tenant-wide \
                 resource '{resource}' supports application permissions only.]"
            ),
        ));
    }
    let notification_url = required(&request, "notificationUrl")?;
    check_url("notificationUrl", notification_url)?;
    let lifecycle_url = text(&request, "lifecycleNotificationUrl")?;
    if let Some(url) = lifecycle_url {
        check_url("lifecycleNotificationUrl", url)?;
    }
    let now = Utc::now();
    let expires = expiration(required(&request, "expirationDateTime")?, now)?;
    if expires > now + Duration::minutes(LIFECYCLE_AFTER_MINUTES) && lifecycle_url.is_none() {
        return Err(ErrorAnswer::bad_request(
            "lifecycleNotificationUrl is required for subscription creation on this resource \
             when the expirationDateTime value exceeds 1 hour.",
        ));
    }
    let client_state = text(&request, "clientState")?;
    if client_state.is_some_and(|state| state.chars().count() > MAX_CLIENT_STATE) {
        return Err(ErrorAnswer::bad_request(format!(
            "clientState is longer than {MAX_CLIENT_STATE} characters."
        )));
    }
    let include_data = match request.get("includeResourceData") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(include)) => *include,
        Some(_) => {
            return Err(ErrorAnswer::bad_request(
                "Invalid value for property 'includeResourceData': a boolean is expected.",
            ));
        }
    };
    let certificate = text(&request, "encryptionCertificate")?;
    let certificate_id = text(&request, "encryptionCertificateId")?;
    if include_data && (certificate.is_none() || certificate_id.is_none()) {
        return Err(ErrorAnswer::bad_request(
            "encryptionCertificate and encryptionCertificateId are required when \
             includeResourceData is true.",
        ));
    }

    if let (true, Some(certificate)) = (include_data, certificate) {
        crate::seal::certificate_key(certificate).map_err(|reason| {
            ErrorAnswer::bad_request(format!("Invalid encryptionCertificate: {reason}."))
        })?;
    }

    let id = Uuid::new_v4().to_string();
    let body: Map<String, Value> = [
        ("id", json!(id)),
        ("resource", json!(resource)),
        ("applicationId", json!(call.caller.app_id)),
        ("changeType", json!(change_type)),
        ("clientState", json!(client_state)),
        ("notificationUrl", json!(notification_url)),
        ("notificationQueryOptions", Value::Null),
        ("lifecycleNotificationUrl", json!(lifecycle_url)),
        ("expirationDateTime", json!(timestamp(expires))),
        ("creatorId", json!(call.caller.object_id)),
        ("includeResourceData", json!(include_data)),
        ("latestSupportedTlsVersion", json!("v1_2")),
        ("encryptionCertificate", json!(certificate)),
        ("encryptionCertificateId", json!(certificate_id)),
        ("notificationUrlAppId", Value::Null),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    let mut response = entity(call, StatusCode::CREATED, &body);
    let stored = StoredSubscription {
        owner: app(call),
        expires,
        body,
    };
    let urls: Vec<String> = [Some(notification_url), lifecycle_url]
        .into_iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    let http = call.state.http.clone();
    let store = Arc::clone(&call.state.subscriptions);
    response.extensions_mut().insert(Before::new(async move {
        for url in &urls {
            let token = format!("Validation: Testing client application reachability for subscription Request-Id: {}", Uuid::new_v4());
            if let Err(reason) = handshake(&http, url, &token, HANDSHAKE_TIMEOUT).await {
                tracing::info!(%url, %reason, "subscription validation failed");
                return Err(ErrorAnswer::bad_request(format!(
                    "Subscription validation request failed. Notification endpoint must respond \
                     with 200 OK to validation request ({url}: {reason})."
                )));
            }
        }
        store.insert(id, stored);
        Ok(())
    }));
    Ok(response)
}

/// Whose subscriptions a call reaches: its token's app in its tenant.
fn app(call: &Call<'_>) -> Owner {
    Owner::new(&call.caller.tenant_id, &call.caller.app_id)
}

/// `GET /subscriptions`: the app's subscriptions that have not expired.
pub(crate) fn list(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let found = call.state.subscriptions.list(&app(call), Utc::now());
    Ok(collection_response(
        context(call, ""),
        found.iter().map(|s| &s.body),
        call.ctx,
    ))
}

/// `GET /subscriptions/{subscriptionId}`.
pub(crate) fn get(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let id = call.param("subscriptionId");
    let found = call
        .state
        .subscriptions
        .get(&app(call), id, Utc::now())
        .ok_or_else(|| not_found(id))?;
    Ok(entity(call, StatusCode::OK, &found.body))
}

/// `PATCH /subscriptions/{subscriptionId}`: a renewal (`expirationDateTime`; nothing else
/// changes here).
pub(crate) fn update(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    check_content_type(&call.parts.headers)?;
    let request = parse_request_object(call.body)?;
    let now = Utc::now();
    let expires = expiration(required(&request, "expirationDateTime")?, now)?;
    let id = call.param("subscriptionId");
    let found = call
        .state
        .subscriptions
        .update(&app(call), id, now, |stored| {
            stored.expires = expires;
            stored
                .body
                .insert("expirationDateTime".to_owned(), json!(timestamp(expires)));
        })
        .ok_or_else(|| not_found(id))?;
    Ok(entity(call, StatusCode::OK, &found.body))
}

/// `DELETE /subscriptions/{subscriptionId}`: `204`.
pub(crate) fn delete(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let id = call.param("subscriptionId");
    call.state
        .subscriptions
        .remove(&app(call), id, Utc::now())
        .ok_or_else(|| not_found(id))?;
    Ok(call.no_content())
}

/// One subscription as Graph answers it, `@odata.context` first.
fn entity(call: &Call<'_>, status: StatusCode, body: &Map<String, Value>) -> Response {
    meeting_response(status, context(call, "/$entity"), body, call.ctx)
}

/// An expiration as Graph writes it (`2026-12-06T10:00:00Z`).
fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
