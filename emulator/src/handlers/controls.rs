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
    call.state
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
    Ok(call.no_content())
}
