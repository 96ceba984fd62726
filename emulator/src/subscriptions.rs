//! The change-notification subscriptions an emulator holds, per app per tenant (an app
//! sees only its own, as in Graph), and the validation handshake Graph runs on a new
//! one's notification URL before it answers.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::delivery::{DeliveryClient, causes};
use crate::owner::Owner;

/// How long the emulator waits for a notification URL to answer the validation request:
/// Graph's documented 10 seconds.
pub(crate) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What a subscription's `resource` watches, for the resources Graph's pages name for
/// transcripts and recordings (an ID percent-decoded); the one place the emulator reads
/// them, to accept a subscription and to match a meeting's end to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Watched {
    /// `communications/onlineMeetings/getAllTranscripts` or `…/getAllRecordings`.
    Tenant { recordings: bool },
    /// `communications/onlineMeetings/{meetingId}/transcripts` or `…/recordings`.
    Meeting { id: String, recordings: bool },
    /// `users/{userId}/onlineMeetings/getAllTranscripts` or `…/getAllRecordings`.
    Organizer { id: String, recordings: bool },
}

impl Watched {
    /// The resource `resource` names, if it is one the emulator notifies about.
    pub(crate) fn parse(resource: &str) -> Option<Self> {
        let parts: Vec<String> = resource
            .trim_start_matches('/')
            .split('/')
            .map(|part| {
                percent_encoding::percent_decode_str(part)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let id = |id: &str| (!id.is_empty()).then(|| id.to_owned());
        Some(match parts.as_slice() {
            ["communications", "onlineMeetings", "getAllTranscripts"] => {
                Self::Tenant { recordings: false }
            }
            ["communications", "onlineMeetings", "getAllRecordings"] => {
                Self::Tenant { recordings: true }
            }
            ["communications", "onlineMeetings", meeting, "transcripts"] => Self::Meeting {
                id: id(meeting)?,
                recordings: false,
            },
            ["communications", "onlineMeetings", meeting, "recordings"] => Self::Meeting {
                id: id(meeting)?,
                recordings: true,
            },
            ["users", user, "onlineMeetings", "getAllTranscripts"] => Self::Organizer {
                id: id(user)?,
                recordings: false,
            },
            ["users", user, "onlineMeetings", "getAllRecordings"] => Self::Organizer {
                id: id(user)?,
                recordings: true,
            },
            _ => return None,
        })
    }
}

/// One subscription: whose it is and what was stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredSubscription {
    /// The tenant and app that created it.
    pub(crate) owner: Owner,
    pub(crate) expires: DateTime<Utc>,
    /// The subscription as `GET` answers it (without `@odata.context`).
    pub(crate) body: Map<String, Value>,
}

/// Every subscription, by id.
#[derive(Debug, Default)]
pub(crate) struct SubscriptionStore {
    subscriptions: Mutex<BTreeMap<String, StoredSubscription>>,
}

impl SubscriptionStore {
    /// Every subscription that has not expired at `now`, with its id.
    pub(crate) fn live(&self, now: DateTime<Utc>) -> Vec<(String, StoredSubscription)> {
        self.lock()
            .iter()
            .filter(|(_, s)| s.expires > now)
            .map(|(id, s)| (id.clone(), s.clone()))
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, StoredSubscription>> {
        // A panic while the lock was held left no half-written entry (each change is one
        // insert or remove), so the map is still whole.
        self.subscriptions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Store `subscription` under `id`.
    pub(crate) fn insert(&self, id: String, subscription: StoredSubscription) {
        self.lock().insert(id, subscription);
    }

    /// The app's subscription `id`, if it has one that has not expired at `now`.
    pub(crate) fn get(
        &self,
        owner: &Owner,
        id: &str,
        now: DateTime<Utc>,
    ) -> Option<StoredSubscription> {
        self.lock()
            .get(id)
            .filter(|s| s.visible(owner, now))
            .cloned()
    }

    /// The app's subscriptions that have not expired at `now`, oldest id first.
    pub(crate) fn list(&self, owner: &Owner, now: DateTime<Utc>) -> Vec<StoredSubscription> {
        self.lock()
            .values()
            .filter(|s| s.visible(owner, now))
            .cloned()
            .collect()
    }

    /// Change the app's subscription `id` with `change`, if it has one that has not
    /// expired; the changed subscription.
    pub(crate) fn update(
        &self,
        owner: &Owner,
        id: &str,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut StoredSubscription),
    ) -> Option<StoredSubscription> {
        let mut subscriptions = self.lock();
        let stored = subscriptions
            .get_mut(id)
            .filter(|s| s.visible(owner, now))?;
        change(stored);
        Some(stored.clone())
    }

    /// Delete the app's subscription `id`, if it has one that has not expired.
    pub(crate) fn remove(
        &self,
        owner: &Owner,
        id: &str,
        now: DateTime<Utc>,
    ) -> Option<StoredSubscription> {
        let mut subscriptions = self.lock();
        subscriptions.get(id).filter(|s| s.visible(owner, now))?;
        subscriptions.remove(id)
    }
}

impl StoredSubscription {
    /// Whether `owner` sees it at `now`: theirs, and not expired.
    fn visible(&self, owner: &Owner, now: DateTime<Utc>) -> bool {
        self.owner == *owner && self.expires > now
    }
}

/// Graph's validation handshake: `POST {url}?validationToken={token}` with an empty
/// `text/plain` body; the URL is valid when it answers `200` with the token as its body
/// within `timeout`. `Err` says what went wrong.
pub(crate) async fn handshake(
    client: &DeliveryClient,
    url: &str,
    token: &str,
    timeout: Duration,
) -> Result<(), String> {
    use http_body_util::BodyExt as _;

    let mut target = url::Url::parse(url).map_err(|err| format!("`{url}` is not a URL: {err}"))?;
    target
        .query_pairs_mut()
        .append_pair("validationToken", token);
    let request = http::Request::post(target.as_str())
        .header(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .map_err(|err| format!("the validation request cannot be made: {err}"))?;
    let exchange = async {
        let answer = client
            .request(request)
            .await
            .map_err(|err| format!("the validation request failed: {}", causes(&err)))?;
        let status = answer.status();
        let body = answer
            .into_body()
            .collect()
            .await
            .map_err(|err| format!("the validation answer could not be read: {err}"))?
            .to_bytes();
        Ok::<_, String>((status, body))
    };
    let (status, body) = tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| format!("no answer within {} s", timeout.as_secs()))??;
    if status != http::StatusCode::OK {
        return Err(format!("the endpoint answered {status}, not 200 OK"));
    }
    if body.as_ref() != token.as_bytes() {
        let shown: String = String::from_utf8_lossy(&body).chars().take(120).collect();
        return Err(format!(
            "the endpoint answered `{shown}`, not the validation token `{token}` (the query \
             parameter, URL-decoded)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Watched;

    /// Each resource Graph's pages name for transcripts and recordings, an ID
    /// percent-decoded; anything else is not one the emulator notifies about.
    #[test]
    fn each_documented_resource_is_read_and_nothing_else() {
        let cases = [
            (
                "communications/onlineMeetings/getAllTranscripts",
                Some(Watched::Tenant { recordings: false }),
            ),
            (
                "communications/onlineMeetings/getAllRecordings",
                Some(Watched::Tenant { recordings: true }),
            ),
            (
                "communications/onlineMeetings/MSo1%2Fx/transcripts",
                Some(Watched::Meeting {
                    id: "MSo1/x".into(),
                    recordings: false,
                }),
            ),
            (
                "communications/onlineMeetings/MSo1/recordings",
                Some(Watched::Meeting {
                    id: "MSo1".into(),
                    recordings: true,
                }),
            ),
            (
                "users/ada%40contoso.com/onlineMeetings/getAllTranscripts",
                Some(Watched::Organizer {
                    id: "ada@contoso.com".into(),
                    recordings: false,
                }),
            ),
            (
                "/users/u1/onlineMeetings/getAllRecordings",
                Some(Watched::Organizer {
                    id: "u1".into(),
                    recordings: true,
                }),
            ),
            ("communications/onlineMeetings//transcripts", None),
            ("users/u1/onlineMeetings", None),
            ("communications/callRecords", None),
        ];
        for (resource, expected) in cases {
            assert_eq!(Watched::parse(resource), expected, "{resource}");
        }
    }
}
