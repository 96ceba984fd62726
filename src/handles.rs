//! Handles by resource: whose meetings ([`Meetings`], from
//! [`GraphClient::me`] or [`GraphClient::user`]) and one meeting of theirs ([`Meeting`]),
//! with one method per operation.
//!
//! Handles are `Copy` and their methods take them by value, so a call's future borrows
//! only the client and the arguments (it can be stored or joined with others).
//!
//! Each method is written once for both scopes: it checks its arguments and runs the
//! generated method that picks the `/me` or the `/users/{userId}` operation by the
//! handle's user (the codegen's `scoped` transform makes one such method per pair of
//! operations in the spec). The operation a call is retried as is the one that generated
//! method sends, so a handle never names an operation itself.

use crate::client::GraphClient;
use crate::error::Result;
use crate::meetings::{CreateOrGet, MEETING_ID, USER_ID, join_url_filter, validate_segment};
use crate::response::Response;
use crate::types::{CreateOrGetRequest, OnlineMeeting};

impl GraphClient {
    /// The signed-in user's meetings (`/me/onlineMeetings`): needs a delegated token.
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

    /// A user's meetings (`/users/{userId}/onlineMeetings`), by the user's object ID or
    /// userPrincipalName: with an application token, the application permission and an
    /// application access policy granted to that user.
    ///
    /// `user_id` is percent-encoded into one path segment; an empty `user_id`, `.` or
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
    /// The user of a `/users/{userId}` path, `None` for `/me`.
    fn user_id(&self) -> Option<&str>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Me {}
    impl Sealed for super::User<'_> {}
}

/// The signed-in user (`/me`): the scope of [`GraphClient::me`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Me;

impl Scope for Me {
    fn user_id(&self) -> Option<&str> {
        None
    }
}

/// A user by object ID or userPrincipalName (`/users/{userId}`): the scope of
/// [`GraphClient::user`].
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
/// user's ([`GraphClient::user`]).
///
/// ```no_run
/// # async fn run(client: graph_online_meetings::GraphClient) -> graph_online_meetings::Result<()> {
/// use graph_online_meetings::types::CreateOrGetRequest;
///
/// let meetings = client.user("adele.vance@contoso.com");
/// let outcome = meetings.create_or_get(&CreateOrGetRequest::new("ticket-4711")).await?;
/// let id = outcome.meeting().id.clone().unwrap_or_default();
/// meetings.meeting(&id).delete().await?;
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

    /// The scope's user, checked: `None` for `/me`.
    pub(crate) fn user(&self) -> Result<Option<&str>> {
        let user = self.scope.user_id();
        if let Some(user_id) = user {
            validate_segment(USER_ID, user_id)?;
        }
        Ok(user)
    }

    /// One meeting, by the `id` Graph gave it.
    ///
    /// `meeting_id` is percent-encoded into one path segment; an empty one, `.` or `..`
    /// is refused with [`ValidationError`](crate::ValidationError) when a call is made.
    pub fn meeting(self, meeting_id: &'c str) -> Meeting<'c, S> {
        Meeting {
            meetings: self,
            id: meeting_id,
        }
    }

    /// Create a meeting with an `externalId`, or get the one that already has it
    /// (`POST …/onlineMeetings/createOrGet`): [`CreateOrGet::Created`] for `201`,
    /// [`CreateOrGet::Existing`] for `200`. The key is tenant + user + `externalId`.
    ///
    /// Idempotent by `externalId`: retried on `429`, `503`, `504`, timeouts and
    /// connection failures. The request is checked first
    /// ([`CreateOrGetRequest::validate`]).
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
        let user = self.user()?;
        request.validate()?;
        self.client
            .run(|raw| raw.create_or_get_online_meeting_scoped(user, request))
            .await
            .map(Response::into_create_or_get)
    }

    /// The meetings with this join URL (`GET …/onlineMeetings?$filter=JoinWebUrl eq '…'`):
    /// empty when none has it. Idempotent.
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
        let user = self.user()?;
        let filter = join_url_filter(join_web_url)?;
        self.client
            .run(|raw| raw.list_online_meetings_scoped(user, &filter))
            .await
            .map(|response| response.map(|collection| collection.value))
    }
}

impl Meetings<'_, Me> {
    /// Create a meeting for the signed-in user (`POST /me/onlineMeetings`, `201`). Graph
    /// has no such call for `/users/{userId}`; use
    /// [`create_or_get`](Self::create_or_get) there.
    ///
    /// Not idempotent: retried only after a `429` (refused, not processed), never after a
    /// timeout or a `5xx`, so it cannot make a second meeting. The meeting is checked
    /// first ([`OnlineMeeting::validate`]).
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
            .run(|raw| raw.create_online_meeting(meeting))
            .await
    }
}

/// One online meeting of a user: from [`Meetings::meeting`].
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

    /// The scope's user and this meeting's id, checked.
    pub(crate) fn path(&self) -> Result<(Option<&str>, &str)> {
        let user = self.meetings.user()?;
        validate_segment(MEETING_ID, self.id)?;
        Ok((user, self.id))
    }

    /// Get the meeting (`GET …/onlineMeetings/{meetingId}`). An unknown or deleted id is
    /// an [`Error::Api`](crate::Error::Api) with status `404`. Idempotent.
    pub async fn get(self) -> Result<Response<OnlineMeeting>> {
        let (user, id) = self.path()?;
        self.meetings
            .client
            .run(|raw| raw.get_online_meeting_scoped(user, id))
            .await
    }

    /// Update the meeting (`PATCH …/onlineMeetings/{meetingId}`): only the properties set
    /// in `changes` are sent and changed. Graph answers with the updated meeting.
    ///
    /// Not idempotent for this client: retried only after a `429`. The changes are
    /// checked first ([`OnlineMeeting::validate_update`]).
    pub async fn update(self, changes: &OnlineMeeting) -> Result<Response<OnlineMeeting>> {
        let (user, id) = self.path()?;
        changes.validate_update()?;
        self.meetings
            .client
            .run(|raw| raw.update_online_meeting_scoped(user, id, changes))
            .await
    }

    /// Delete the meeting (`DELETE …/onlineMeetings/{meetingId}`, `204`). A later
    /// createOrGet with its `externalId` makes a new meeting. Idempotent: retried like
    /// createOrGet, so a retry after a lost answer can see `404`.
    pub async fn delete(self) -> Result<Response<()>> {
        let (user, id) = self.path()?;
        self.meetings
            .client
            .run(|raw| raw.delete_online_meeting_scoped(user, id))
            .await
    }
}
