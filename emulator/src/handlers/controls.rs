//! The `/_emulator` test controls: not Graph routes (no faults, no per-route count).

use axum::response::Response;

use crate::artifacts::MeetingEnd;
use crate::graph_error::ErrorAnswer;
use crate::handlers::{Call, item_not_found};
use crate::store::EndError;

/// `POST /_emulator/v1.0/…/onlineMeetings/{meetingId}/end`: ends the meeting with the
/// [`MeetingEnd`] in the body (a new session: report, transcript, recording); `204`.
pub(crate) fn end_meeting(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    let end: MeetingEnd = serde_json::from_slice(call.body).map_err(|err| {
        ErrorAnswer::bad_request(format!(
            "The body must be {{\"attendees\": [{{\"displayName\", \"emailAddress\", \"intervals\": [{{\"joinDateTime\", \"leaveDateTime\"}}]}}], \"recordingBytes\": N}}: {err}."
        ))
    })?;
    let session = call
        .state
        .store
        .end_meeting(
            &call.organizer.tenant_id,
            &call.organizer.user_id,
            call.param("meetingId"),
            &end,
        )
        .map_err(|err| match err {
            EndError::Invalid(reason) => {
                ErrorAnswer::bad_request(format!("The meeting end is not valid: {reason}."))
            }
            EndError::NotFound => item_not_found(),
        })?;
    crate::notify::meeting_ended(call.state, &session);
    Ok(call.no_content())
}

/// `POST /_emulator/v1.0/subscriptions/{subscriptionId}/lifecycle`: sends the calling
/// app's subscription the lifecycle notification `{"lifecycleEvent": "…"}` names
/// (`reauthorizationRequired`, `subscriptionRemoved`, which also removes it, or
/// `missed`); `204`.
pub(crate) fn send_lifecycle(call: &Call<'_>) -> Result<Response, ErrorAnswer> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        lifecycle_event: String,
    }
    let body: Body = serde_json::from_slice(call.body).map_err(|err| {
        ErrorAnswer::bad_request(format!(
            "The body must be {{\"lifecycleEvent\": \"…\"}}: {err}."
        ))
    })?;
    let owner = crate::owner::Owner::new(&call.caller.tenant_id, &call.caller.app_id);
    crate::notify::send_lifecycle(
        call.state,
        Some(&owner),
        call.param("subscriptionId"),
        &body.lifecycle_event,
    )
    .map_err(ErrorAnswer::bad_request)?
    .ok_or_else(item_not_found)?;
    Ok(call.no_content())
}
