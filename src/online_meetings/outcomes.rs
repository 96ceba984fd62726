//! What a call of this resource did, where its status says more than its body:
//! [`CreateOrGet`].

use reqwest::StatusCode;

use crate::runtime::response::Response;
use crate::types::OnlineMeeting;

/// What createOrGet did: `201 Created` made a new meeting, `200 OK` returned the meeting
/// that already had this `externalId` (for this user).
#[derive(Debug, Clone, PartialEq)]
pub enum CreateOrGet {
    /// `201 Created`: a new meeting.
    Created(OnlineMeeting),
    /// `200 OK`: the existing meeting with this `externalId`.
    Existing(OnlineMeeting),
}

impl CreateOrGet {
    /// A createOrGet answer: `Created` for `201`, `Existing` for any other (success)
    /// status.
    pub(crate) fn from_response(response: Response<OnlineMeeting>) -> Response<CreateOrGet> {
        let created = response.status() == StatusCode::CREATED;
        response.map(|meeting| {
            if created {
                CreateOrGet::Created(meeting)
            } else {
                CreateOrGet::Existing(meeting)
            }
        })
    }

    /// Whether the call created a new meeting.
    pub fn is_created(&self) -> bool {
        matches!(self, CreateOrGet::Created(_))
    }

    /// The meeting, new or existing.
    pub fn meeting(&self) -> &OnlineMeeting {
        match self {
            CreateOrGet::Created(m) | CreateOrGet::Existing(m) => m,
        }
    }

    /// The meeting, new or existing.
    pub fn into_meeting(self) -> OnlineMeeting {
        match self {
            CreateOrGet::Created(m) | CreateOrGet::Existing(m) => m,
        }
    }

    /// The status Graph answered with: `201 Created` or `200 OK`.
    pub fn status(&self) -> StatusCode {
        match self {
            CreateOrGet::Created(_) => StatusCode::CREATED,
            CreateOrGet::Existing(_) => StatusCode::OK,
        }
    }
}

impl From<CreateOrGet> for OnlineMeeting {
    fn from(outcome: CreateOrGet) -> Self {
        outcome.into_meeting()
    }
}

impl Response<CreateOrGet> {
    /// The meeting, new or existing, without the rest.
    pub fn into_meeting(self) -> OnlineMeeting {
        self.into_inner().into_meeting()
    }
}
