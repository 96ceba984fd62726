//! The baseline a user would write by hand for an onlineMeeting: plain serde derives,
//! typed where Graph's example has values, unknown properties dropped. Shared by the
//! benchmarks.

#![allow(dead_code, reason = "each benchmark reads a different part")]

use serde::{Deserialize, Serialize};

/// The baseline a user would write by hand: plain serde derives, typed where the example
/// has values, unknown properties dropped.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainMeeting {
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_admitted_users: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_conferencing: Option<PlainAudio>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_info: Option<PlainChat>,
    pub creation_date_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub end_date_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub id: Option<String>,
    pub join_web_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<PlainParticipants>,
    pub start_date_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub subject: Option<String>,
    pub video_teleconference_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lobby_bypass_settings: Option<PlainLobby>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_meeting_id_settings: Option<PlainJoinId>,
    pub is_entry_exit_announced: Option<bool>,
    pub allowed_presenters: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainAudio {
    pub conference_id: Option<String>,
    pub toll_number: Option<String>,
    pub toll_free_number: Option<String>,
    pub dialin_url: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainChat {
    pub thread_id: Option<String>,
    pub message_id: Option<String>,
    pub reply_chain_message_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainParticipants {
    #[serde(default)]
    pub attendees: Vec<PlainParticipant>,
    pub organizer: Option<PlainParticipant>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainParticipant {
    pub identity: Option<PlainIdentitySet>,
    pub role: Option<String>,
    pub upn: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainIdentitySet {
    pub application: Option<PlainIdentity>,
    pub device: Option<PlainIdentity>,
    pub user: Option<PlainIdentity>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainIdentity {
    pub display_name: Option<String>,
    pub id: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainLobby {
    pub is_dial_in_bypass_enabled: Option<bool>,
    pub scope: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainJoinId {
    pub is_passcode_required: Option<bool>,
    pub join_meeting_id: Option<String>,
    pub passcode: Option<String>,
}
