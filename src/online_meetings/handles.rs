//! Whose meetings ([`Meetings`], from [`GraphClient::me`] or [`GraphClient::user`]) and
//! one meeting of theirs ([`Meeting`]), with one method per operation.
//!
//! Handles are `Copy` and their methods take them by value, so a handle can be used for
//! any number of calls, and a call's future borrows only the client and the arguments (it
//! can be stored or joined with others).
//!
//! Each method is written once for both scopes: it runs the generated call method that
//! picks the signed-in user's or the given user's operation by the handle's user, and
//! checks the path parameters (the codegen's `calls` transform makes one such method per
//! pair of operations in the spec). A handle never names an operation itself.

use crate::online_meetings::outcomes::CreateOrGet;
use crate::online_meetings::rules::eq_filter;
use crate::runtime::client::GraphClient;
use crate::runtime::error::Result;
use crate::runtime::response::Response;
use crate::types::{CreateOrGetRequest, OnlineMeeting};

impl GraphClient {
    /// The signed-in user's online meetings: needs a delegated token.
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
    /// use graph_online_meetings::types::CreateOrGetRequest;
    ///
    /// let outcome = client.me().create_or_get(&CreateOrGetRequest::new("ticket-4711")).await?;
    /// println!("{:?} ({})", outcome.meeting().join_web_url, outcome.status());
    /// # Ok(())
    /// # }
    /// ```
    pub fn me(&self) -> Meetings<'_, Me> {
        Meetings::new(self, Me)
    }

    /// A given user's online meetings, by the user's object ID or userPrincipalName: with
    /// an application token, the application permission and an application access policy
    /// granted to that user.
    ///
    /// `user_id` is percent-encoded into its path segment; an empty `user_id`, `.` or
    /// `..` is refused with [`ValidationError`](crate::ValidationError) when a call is
    /// made, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
    /// let meeting = client.user("adele.vance@contoso.com").meeting("MSpkYzE3...").get().await?;
    /// println!("{:?} (request-id {:?})", meeting.subject, meeting.request_id());
    /// # Ok(())
    /// # }
    /// ```
    pub fn user<'c>(&'c self, user_id: &'c str) -> Meetings<'c, User<'c>> {
        Meetings::new(self, User(user_id))
    }
}

/// Whose meetings a handle reaches: [`Me`] or a [`User`]. Sealed: only those two.
pub trait Scope: sealed::Sealed + Copy {
    /// The user of a given user's handle, `None` for the signed-in user.
    fn user_id(&self) -> Option<&str>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Me {}
    impl Sealed for super::User<'_> {}
}

/// The signed-in user: the scope of [`GraphClient::me`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Me;

impl Scope for Me {
    fn user_id(&self) -> Option<&str> {
        None
    }
}

/// A user by object ID or userPrincipalName: the scope of [`GraphClient::user`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct User<'c>(pub(crate) &'c str);

impl Scope for User<'_> {
    fn user_id(&self) -> Option<&str> {
        Some(self.0)
    }
}

impl User<'_> {
    /// The user's object ID or userPrincipalName, as given.
    pub fn id(&self) -> &str {
        self.0
    }
}

/// One user's online meetings: the signed-in user's ([`GraphClient::me`]) or a given
/// user's ([`GraphClient::user`]). `Copy`: use it for as many calls as you like.
///
/// ```no_run
/// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
/// use graph_online_meetings::types::CreateOrGetRequest;
///
/// let meetings = client.user("adele.vance@contoso.com");
/// let outcome = meetings.create_or_get(&CreateOrGetRequest::new("ticket-4711")).await?;
/// let id = outcome.meeting().id.clone().unwrap_or_default();
/// let meeting = meetings.meeting(&id);
/// println!("{:?}", meeting.get().await?.subject);
/// meeting.delete().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Meetings<'c, S> {
    client: &'c GraphClient,
    scope: S,
}

impl<'c, S: Scope> Meetings<'c, S> {
    pub(crate) fn new(client: &'c GraphClient, scope: S) -> Self {
        Meetings { client, scope }
    }

    /// The client the handle calls.
    pub(crate) fn client(&self) -> &'c GraphClient {
        self.client
    }

    /// The scope's user: `None` for the signed-in user.
    pub(crate) fn user(&self) -> Option<&str> {
        self.scope.user_id()
    }

    /// One meeting, by the `id` Graph gave it.
    ///
    /// `meeting_id` is percent-encoded into its path segment; an empty one, `.` or `..`
    /// is refused with [`ValidationError`](crate::ValidationError) when a call is made.
    pub fn meeting(self, meeting_id: &'c str) -> Meeting<'c, S> {
        Meeting {
            meetings: self,
            id: meeting_id,
        }
    }
    /// Create a meeting with an `externalId`, or get the one that already has it:
    /// [`CreateOrGet::Created`] when Graph made a new one, [`CreateOrGet::Existing`] when
    /// this user's meeting with this `externalId` existed (the key is tenant + user +
    /// `externalId`). The request is checked first ([`CreateOrGetRequest::validate`]).
    ///
    /// Runs [`Operation::CreateOrGetOnlineMeeting`](crate::Operation::CreateOrGetOnlineMeeting)
    /// (or [its twin](crate::Operation::CreateOrGetOnlineMeetingForUser) for a given
    /// user).
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
    /// use graph_online_meetings::CreateOrGet;
    /// use graph_online_meetings::types::CreateOrGetRequest;
    ///
    /// let request = CreateOrGetRequest::new("course-42-session-7").with_subject("Session 7");
    /// match client.me().create_or_get(&request).await?.into_inner() {
    ///     CreateOrGet::Created(meeting) => println!("new: {:?}", meeting.join_web_url),
    ///     CreateOrGet::Existing(meeting) => println!("existing: {:?}", meeting.join_web_url),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_or_get(
        self,
        request: &CreateOrGetRequest,
    ) -> Result<Response<CreateOrGet>> {
        request.validate()?;
        let user = self.user();
        self.client
            .run(|raw| raw.call_create_or_get_online_meeting(user, request))
            .await
            .map(CreateOrGet::from_response)
    }

    /// The meetings with this join URL (Graph's `$filter` on `JoinWebUrl`): empty when
    /// none has it.
    ///
    /// Runs [`Operation::ListOnlineMeetings`](crate::Operation::ListOnlineMeetings) (or
    /// its twin for a given user).
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
    /// let found = client
    ///     .me()
    ///     .find_by_join_url("https://teams.microsoft.com/l/meetup-join/19%3ameeting_x")
    ///     .await?;
    /// for meeting in found.iter() {
    ///     println!("{:?}", meeting.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn find_by_join_url(
        self,
        join_web_url: &str,
    ) -> Result<Response<Vec<OnlineMeeting>>> {
        let filter = eq_filter("JoinWebUrl", "joinWebUrl", join_web_url)?;
        let user = self.user();
        self.client
            .run(|raw| raw.call_list_online_meetings(user, &filter))
            .await
            .map(|response| response.map(|collection| collection.value))
    }

    /// The meetings with this join meeting ID (the ID people type to join, in
    /// `joinMeetingIdSettings`): empty when none has it.
    ///
    /// Runs [`Operation::ListOnlineMeetings`](crate::Operation::ListOnlineMeetings) (or
    /// its twin for a given user).
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
    /// for meeting in client.me().find_by_join_meeting_id("1234567890").await?.iter() {
    ///     println!("{:?}: {:?}", meeting.id, meeting.subject);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn find_by_join_meeting_id(
        self,
        join_meeting_id: &str,
    ) -> Result<Response<Vec<OnlineMeeting>>> {
        let filter = eq_filter(
            "joinMeetingIdSettings/joinMeetingId",
            "joinMeetingId",
            join_meeting_id,
        )?;
        let user = self.user();
        self.client
            .run(|raw| raw.call_list_online_meetings(user, &filter))
            .await
            .map(|response| response.map(|collection| collection.value))
    }
}

impl Meetings<'_, Me> {
    /// Create a meeting for the signed-in user. Graph has this call for the signed-in
    /// user only; use [`create_or_get`](Self::create_or_get) for a given user. The
    /// meeting is checked first ([`OnlineMeeting::validate`]).
    ///
    /// Runs [`Operation::CreateOnlineMeeting`](crate::Operation::CreateOnlineMeeting).
    ///
    /// ```no_run
    /// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
    /// use graph_online_meetings::types::OnlineMeeting;
    ///
    /// let meeting = OnlineMeeting::default().with_subject("Weekly sync");
    /// let created = client.me().create(&meeting).await?;
    /// println!("{:?}", created.join_web_url);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create(self, meeting: &OnlineMeeting) -> Result<Response<OnlineMeeting>> {
        meeting.validate()?;
        self.client
            .run(|raw| raw.call_create_online_meeting(meeting))
            .await
    }
}

/// One online meeting of a user: from [`Meetings::meeting`]. `Copy`: use it for as many
/// calls as you like.
///
/// ```no_run
/// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
/// use graph_online_meetings::types::OnlineMeeting;
///
/// let meeting = client.me().meeting("MSpkYzE3...");
/// let changes = OnlineMeeting::default().with_subject("Moved to Thursday");
/// let updated = meeting.update(&changes).await?;
/// println!("{:?}", updated.subject);
/// meeting.delete().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Meeting<'c, S> {
    meetings: Meetings<'c, S>,
    id: &'c str,
}

impl<'c, S: Scope> Meeting<'c, S> {
    /// The meeting's id, as given.
    pub fn id(&self) -> &str {
        self.id
    }

    /// The client the handle calls.
    pub(crate) fn client(&self) -> &'c GraphClient {
        self.meetings.client
    }

    /// The scope's user (`None` for the signed-in user) and this meeting's id.
    pub(crate) fn path(&self) -> (Option<&str>, &'c str) {
        (self.meetings.user(), self.id)
    }

    /// Get the meeting. An unknown or deleted id is an
    /// [`Error::Api`](crate::Error::Api) with status `404`.
    ///
    /// Runs [`Operation::GetOnlineMeeting`](crate::Operation::GetOnlineMeeting) (or its
    /// twin for a given user).
    pub async fn get(self) -> Result<Response<OnlineMeeting>> {
        let (user, id) = self.path();
        self.client()
            .run(|raw| raw.call_get_online_meeting(user, id))
            .await
    }

    /// Update the meeting: only the properties set in `changes` are sent and changed;
    /// Graph answers with the updated meeting. The changes are checked first
    /// ([`OnlineMeeting::validate_update`]).
    ///
    /// Runs [`Operation::UpdateOnlineMeeting`](crate::Operation::UpdateOnlineMeeting) (or
    /// its twin for a given user).
    pub async fn update(self, changes: &OnlineMeeting) -> Result<Response<OnlineMeeting>> {
        changes.validate_update()?;
        let (user, id) = self.path();
        self.client()
            .run(|raw| raw.call_update_online_meeting(user, id, changes))
            .await
    }

    /// Delete the meeting. A later createOrGet with its `externalId` makes a new meeting;
    /// a second delete of it answers `404`.
    ///
    /// Runs [`Operation::DeleteOnlineMeeting`](crate::Operation::DeleteOnlineMeeting) (or
    /// its twin for a given user).
    pub async fn delete(self) -> Result<Response<()>> {
        let (user, id) = self.path();
        self.client()
            .run(|raw| raw.call_delete_online_meeting(user, id))
            .await
    }
}

#[cfg(test)]
mod tests {
    /// A call's future holds the loop's state inline: it must stay a few kilobytes,
    /// below the 16 KB past which tokio boxes a spawned future itself in a release build,
    /// so that a growing state is noticed here.
    #[test]
    fn a_call_future_is_small() {
        let client = crate::GraphClient::builder()
            .base_url("http://127.0.0.1:9")
            .bearer_token("token")
            .build()
            .expect("a client");
        let request = crate::types::CreateOrGetRequest::new("key");
        let call = client.me().create_or_get(&request);
        let size = std::mem::size_of_val(&call);
        assert!(size <= 8192, "a create_or_get future is {size} bytes");
    }
}
