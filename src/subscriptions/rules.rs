//! What a subscription to transcripts or recordings may watch, and the rules Graph
//! documents for it, checked before anything is sent.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::runtime::client::is_loopback;
use crate::runtime::path::encode_path_segment;
use crate::runtime::validation::ValidationError;
use crate::types::Subscription;

/// The longest `clientState` Graph accepts, in characters.
pub const MAX_CLIENT_STATE_CHARS: usize = 128;

/// A meeting resource to subscribe to, as Graph's change-notification pages for
/// transcripts and recordings name them. Each notifies when one is `created`.
///
/// ```
/// use graph_online_meetings::SubscriptionResource;
///
/// assert_eq!(
///     SubscriptionResource::AllTranscripts.resource(),
///     "communications/onlineMeetings/getAllTranscripts"
/// );
/// let one = SubscriptionResource::MeetingRecordings("MSo1N2Y5ZGFjYy03MWJmLTQ3NDMtYjQxMy01M2EdFGkdRWHJlQ".into());
/// assert_eq!(SubscriptionResource::parse(&one.resource()), Some(one));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubscriptionResource {
    /// Every transcript of any online meeting in the tenant (application permission).
    AllTranscripts,
    /// Every recording of any online meeting in the tenant (application permission).
    AllRecordings,
    /// The transcripts of one meeting, by its ID.
    MeetingTranscripts(String),
    /// The recordings of one meeting, by its ID.
    MeetingRecordings(String),
    /// The transcripts of every meeting a user organizes, by the user's ID.
    UserTranscripts(String),
    /// The recordings of every meeting a user organizes, by the user's ID.
    UserRecordings(String),
}

impl SubscriptionResource {
    /// The `resource` of a subscription to it, as Graph's change-notification pages for
    /// transcripts and recordings write it, an ID encoded into its segment as a path
    /// parameter is.
    pub fn resource(&self) -> String {
        match self {
            Self::AllTranscripts => "communications/onlineMeetings/getAllTranscripts".to_owned(),
            Self::AllRecordings => "communications/onlineMeetings/getAllRecordings".to_owned(),
            Self::MeetingTranscripts(id) => {
                format!(
                    "communications/onlineMeetings/{}/transcripts",
                    encode_path_segment(id)
                )
            }
            Self::MeetingRecordings(id) => {
                format!(
                    "communications/onlineMeetings/{}/recordings",
                    encode_path_segment(id)
                )
            }
            Self::UserTranscripts(id) => {
                format!(
                    "users/{}/onlineMeetings/getAllTranscripts",
                    encode_path_segment(id)
                )
            }
            Self::UserRecordings(id) => {
                format!(
                    "users/{}/onlineMeetings/getAllRecordings",
                    encode_path_segment(id)
                )
            }
        }
    }

    /// The resource a subscription's `resource` names, when it is one of these.
    pub fn parse(resource: &str) -> Option<Self> {
        let decode = |id: &str| {
            percent_encoding::percent_decode_str(id)
                .decode_utf8()
                .ok()
                .map(|id| id.into_owned())
                .filter(|id| !id.is_empty())
        };
        let parts: Vec<&str> = resource.trim_start_matches('/').split('/').collect();
        match parts.as_slice() {
            ["communications", "onlineMeetings", "getAllTranscripts"] => Some(Self::AllTranscripts),
            ["communications", "onlineMeetings", "getAllRecordings"] => Some(Self::AllRecordings),
            ["communications", "onlineMeetings", id, "transcripts"] => {
                decode(id).map(Self::MeetingTranscripts)
            }
            ["communications", "onlineMeetings", id, "recordings"] => {
                decode(id).map(Self::MeetingRecordings)
            }
            ["users", id, "onlineMeetings", "getAllTranscripts"] => {
                decode(id).map(Self::UserTranscripts)
            }
            ["users", id, "onlineMeetings", "getAllRecordings"] => {
                decode(id).map(Self::UserRecordings)
            }
            _ => None,
        }
    }

    /// The longest a subscription to it may last: 4,230 minutes (under three days), the
    /// maximum Graph's subscription page gives for transcripts and recordings.
    pub fn max_expiration(&self) -> Duration {
        Duration::minutes(4230)
    }

    /// An expiration further ahead than this needs a `lifecycleNotificationUrl`, Graph
    /// documents for transcripts and recordings.
    pub fn lifecycle_required_after(&self) -> Duration {
        Duration::hours(1)
    }
}

impl Subscription {
    /// A subscription to `resource`'s `created` notifications, sent to
    /// `notification_url`, until `expiration`. Set the rest with the `with_…` setters:
    /// `with_client_state` (checked on every notification), `with_lifecycle_notification_url`
    /// (needed past an hour), `with_include_resource_data` with
    /// `with_encryption_certificate` and `with_encryption_certificate_id`.
    pub fn to(
        resource: &SubscriptionResource,
        notification_url: impl Into<String>,
        expiration: DateTime<FixedOffset>,
    ) -> Self {
        Subscription::default()
            .with_change_type("created")
            .with_resource(resource.resource())
            .with_notification_url(notification_url.into())
            .with_expiration_date_time(expiration)
    }

    /// Check the rules Graph documents for a new subscription, as of now (see
    /// [`validate_at`](Self::validate_at)).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.validate_at(Utc::now().fixed_offset())
    }

    /// Check the rules Graph documents for a new subscription, as of `now`, which the
    /// client checks before sending: `changeType` and `resource` are set; the
    /// notification URLs are `https` (or `http` to a loopback host, for a local
    /// receiver or the emulator); `expirationDateTime` is after `now` and, for a
    /// [`SubscriptionResource`], at most its maximum ahead, with a
    /// `lifecycleNotificationUrl` when over an hour; `clientState` has at most 128
    /// characters; `includeResourceData` comes with an encryption certificate and its ID.
    pub fn validate_at(&self, now: DateTime<FixedOffset>) -> Result<(), ValidationError> {
        let required = |name: &'static str, value: &Option<String>| match value.as_deref() {
            Some(value) if !value.is_empty() => Ok(value.to_owned()),
            _ => Err(ValidationError::Empty { name }),
        };
        required("changeType", &self.change_type)?;
        let resource_path = required("resource", &self.resource)?;
        check_url(
            "notificationUrl",
            &required("notificationUrl", &self.notification_url)?,
        )?;
        if let Some(url) = &self.lifecycle_notification_url {
            check_url("lifecycleNotificationUrl", url)?;
        }
        let Some(expiration) = self.expiration_date_time else {
            return Err(ValidationError::Empty {
                name: "expirationDateTime",
            });
        };
        check_expiration(expiration, now)?;
        if let Some(resource) = SubscriptionResource::parse(&resource_path) {
            let ahead = expiration - now;
            if ahead > resource.max_expiration() {
                return Err(ValidationError::Rule {
                    name: "expirationDateTime",
                    rule: format!(
                        "is {} minutes ahead; a subscription to {resource_path} lasts at most \
                         {} minutes",
                        ahead.num_minutes(),
                        resource.max_expiration().num_minutes()
                    ),
                });
            }
            if ahead > resource.lifecycle_required_after()
                && self.lifecycle_notification_url.is_none()
            {
                return Err(ValidationError::Rule {
                    name: "lifecycleNotificationUrl",
                    rule: format!(
                        "is required when expirationDateTime is more than {} minutes ahead \
                         (it is {} minutes ahead)",
                        resource.lifecycle_required_after().num_minutes(),
                        ahead.num_minutes()
                    ),
                });
            }
        }
        if let Some(state) = &self.client_state
            && state.chars().count() > MAX_CLIENT_STATE_CHARS
        {
            return Err(ValidationError::Rule {
                name: "clientState",
                rule: format!(
                    "has {} characters; Graph accepts at most {MAX_CLIENT_STATE_CHARS}",
                    state.chars().count()
                ),
            });
        }
        if self.include_resource_data == Some(true) {
            for (name, value) in [
                ("encryptionCertificate", &self.encryption_certificate),
                ("encryptionCertificateId", &self.encryption_certificate_id),
            ] {
                if value.as_deref().is_none_or(str::is_empty) {
                    return Err(ValidationError::Rule {
                        name,
                        rule: "is required when includeResourceData is true".to_owned(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// A renewal's or a new subscription's `expirationDateTime` is in the future.
pub(crate) fn check_expiration(
    expiration: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<(), ValidationError> {
    if expiration <= now {
        return Err(ValidationError::Rule {
            name: "expirationDateTime",
            rule: format!("({expiration}) is not in the future"),
        });
    }
    Ok(())
}

/// A notification URL is `https`, or `http` to a loopback host.
fn check_url(name: &'static str, value: &str) -> Result<(), ValidationError> {
    let rule = |rule: String| Err(ValidationError::Rule { name, rule });
    let url = match url::Url::parse(value) {
        Ok(url) => url,
        Err(err) => return rule(format!("`{value}` is not a URL: {err}")),
    };
    let loopback = url.host().is_some_and(|host| is_loopback(&host));
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if loopback => Ok(()),
        _ => rule(format!(
            "`{value}` must be an https URL (Graph requires it; http only to a loopback host)"
        )),
    }
}
