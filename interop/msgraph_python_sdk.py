"""Point Microsoft's official Graph SDK for Python (msgraph-sdk) at the emulator, unchanged.

The SDK is used exactly as its documentation shows; only the base URL (the emulator's
address) and the token (an unsigned JWT the emulator accepts) differ. It exercises create,
createOrGet (/me and /users/{id}) and a Graph error, then what comes after a meeting, and
checks what the SDK parsed, so that the emulator's wire format is Graph's and not this
project's:

- it ends a meeting made with createOrGet 12 times through the emulator's test control
  (`POST /_emulator/v1.0/users/{userId}/onlineMeetings/{meetingId}/end`, plain HTTP, not the
  SDK): 11 sessions of one attendee, then one of 25;
- it lists the meeting's attendance reports, the 25 records of the newest one and the
  transcripts across pages of 10 with msgraph_core's `PageIterator`, and the records again
  page by page with the request builder's `with_url(odata_next_link)`, as
  https://learn.microsoft.com/graph/sdks/paging documents both;
- it downloads the newest transcript's content with `….transcripts.by_call_transcript_id(t)
  .content.get()` and checks it is WebVTT naming every attendee and byte-for-byte what a plain
  HTTP GET of the transcript's `transcriptContentUrl` (same token) returns.

Usage: python msgraph_python_sdk.py BASE_URL
  BASE_URL   the emulator's address, e.g. http://127.0.0.1:8080 (the /v1.0 is added here)
The tokens are unsigned JWTs with the claims the emulator reads (tid, oid, scp or roles).
Prints one line per check and `N passed, M failed` last; exits 1 on any failure.
"""

import asyncio
import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.attendance_record import AttendanceRecord
from msgraph.generated.models.call_transcript import CallTranscript
from msgraph.generated.models.meeting_attendance_report import MeetingAttendanceReport
from msgraph.generated.models.meeting_participant_info import MeetingParticipantInfo
from msgraph.generated.models.meeting_participants import MeetingParticipants
from msgraph.generated.models.online_meeting import OnlineMeeting
from msgraph.generated.models.online_meeting_role import OnlineMeetingRole
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.users.item.online_meetings.create_or_get.create_or_get_post_request_body import (
    CreateOrGetPostRequestBody,
)
from msgraph_core.tasks.page_iterator import PageIterator


def fake_token(tenant: str, user: str, delegated: bool) -> str:
    """An unsigned JWT shaped like Graph's: `tid`, `oid`, and `scp` (delegated) or `roles`."""

    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    claims = {"tid": tenant, "oid": user, "aud": "https://graph.microsoft.com"}
    claims.update({"scp": "OnlineMeetings.ReadWrite"} if delegated else {"roles": ["OnlineMeetings.ReadWrite.All"]})
    return part({"alg": "none", "typ": "JWT"}) + "." + part(claims) + "."


class FixedToken(AccessTokenProvider):
    """Hands the SDK a fixed token, as a test double for azure-identity."""

    def __init__(self, token: str) -> None:
        self.token = token

    async def get_authorization_token(self, uri, additional_authentication_context=None) -> str:
        return self.token

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return AllowedHostsValidator([])


def client(base_url: str, token: str) -> GraphServiceClient:
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(FixedToken(token)))
    adapter.base_url = base_url.rstrip("/") + "/v1.0"
    return GraphServiceClient(request_adapter=adapter)


def plain_http(method: str, url: str, token: str, body: dict | None = None) -> tuple[int, bytes]:
    """One call without the SDK (urllib): the status and the body's bytes."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def end_meeting(base_url: str, token: str, user_id: str, meeting_id: str, attendees: list[dict]) -> int:
    """Ends the meeting through the emulator's test control (not a Graph route): the status."""
    user, meeting = (urllib.parse.quote(part, safe="") for part in (user_id, meeting_id))
    url = f"{base_url.rstrip('/')}/_emulator/v1.0/users/{user}/onlineMeetings/{meeting}/end"
    status, _ = plain_http("POST", url, token, {"attendees": attendees, "recordingBytes": 1000})
    return status


async def iterate_all(response, graph: GraphServiceClient) -> list:
    """Every item of a paged collection, following `@odata.nextLink` with PageIterator."""
    items: list = []

    def callback(item) -> bool:
        items.append(item)
        return True

    await PageIterator(response, graph.request_adapter).iterate(callback)
    return items


async def main(base_url: str, token: str, app_token: str) -> int:
    results = []

    def check(name: str, ok: bool, detail: str = "") -> None:
        results.append(ok)
        print(f"{'ok' if ok else 'FAILED'}: {name}{' (' + detail + ')' if detail and not ok else ''}")

    me = client(base_url, token)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=-8)))

    created = await me.me.online_meetings.post(
        OnlineMeeting(subject="SDK create", start_date_time=start, end_date_time=start + timedelta(minutes=30))
    )
    check("create: parsed an OnlineMeeting with an id", bool(created and created.id), repr(created))
    check("create: subject echoed", created is not None and created.subject == "SDK create")
    check("create: join URL present", created is not None and bool(created.join_web_url))
    check(
        "create: start keeps its instant",
        created is not None and created.start_date_time == start,
        repr(created and created.start_date_time),
    )

    body = CreateOrGetPostRequestBody(
        external_id="sdk-interop-1",
        subject="SDK createOrGet",
        participants=MeetingParticipants(attendees=[MeetingParticipantInfo(upn="a@contoso.com", role=OnlineMeetingRole.Presenter)]),
    )
    first = await me.me.online_meetings.create_or_get.post(body)
    second = await me.me.online_meetings.create_or_get.post(body)
    check("createOrGet /me: parsed twice", bool(first and second and first.id))
    check("createOrGet /me: same meeting both times", first is not None and second is not None and first.id == second.id)
    organizer = first.participants.organizer if first and first.participants else None
    check("createOrGet /me: organizer parsed", organizer is not None and organizer.identity is not None and organizer.identity.user is not None)
    attendees = first.participants.attendees if first and first.participants else None
    check("createOrGet /me: attendee role parsed as the SDK enum", bool(attendees) and attendees[0].role == OnlineMeetingRole.Presenter)

    app = client(base_url, app_token)
    user_body = CreateOrGetPostRequestBody(external_id="sdk-interop-2", subject="for a user")
    for_user = await app.users.by_user_id("user-b").online_meetings.create_or_get.post(user_body)
    check("createOrGet /users/{id}: parsed", bool(for_user and for_user.id))

    await after_the_meeting(base_url, app_token, app, "user-b", for_user.id if for_user else "", check)

    try:
        await me.me.online_meetings.create_or_get.post(CreateOrGetPostRequestBody(subject="no external id"))
        check("error: a 400 raises ODataError", False, "no exception")
    except ODataError as err:
        check("error: a 400 raises ODataError", err.response_status_code == 400, str(err.response_status_code))
        code = err.error.code if err.error else None
        check("error: the Graph error code is parsed", bool(code), repr(code))

    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


async def after_the_meeting(base_url: str, app_token: str, app: GraphServiceClient, user_id: str, meeting_id: str, check) -> None:
    """Ends meeting `meeting_id` of `user_id` 12 times, then reads what it left with the SDK."""
    nine = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    # 25 attendees: attendee i joins i minutes after nine and stays 30 minutes; one name is
    # not ASCII, so that the transcript's bytes are not all ASCII either.
    names = [f"Attendee {i:02}" for i in range(24)] + ["Zoë Ångström"]
    attendees = [
        {
            "displayName": name,
            "emailAddress": f"attendee{i:02}@contoso.com",
            "intervals": [
                {
                    "joinDateTime": (nine + timedelta(minutes=i)).isoformat().replace("+00:00", "Z"),
                    "leaveDateTime": (nine + timedelta(minutes=i + 30)).isoformat().replace("+00:00", "Z"),
                }
            ],
        }
        for i, name in enumerate(names)
    ]
    warm_up = [[{"displayName": f"Early {k}", "emailAddress": f"early{k}@contoso.com", "intervals": []}] for k in range(11)]
    statuses = [await asyncio.to_thread(end_meeting, base_url, app_token, user_id, meeting_id, a) for a in warm_up + [attendees]]
    check("end (test control): 12 ends answered 204", statuses == [204] * 12, repr(statuses))

    meeting = app.users.by_user_id(user_id).online_meetings.by_online_meeting_id(meeting_id)

    # Attendance reports: 12, newest first, in pages of 10.
    first_page = await meeting.attendance_reports.get()
    check(
        "attendanceReports: the first page has 10 and an @odata.nextLink",
        first_page is not None and len(first_page.value or []) == 10 and bool(first_page.odata_next_link),
        repr(first_page and (len(first_page.value or []), first_page.odata_next_link)),
    )
    reports = await iterate_all(first_page, app) if first_page else []
    check("attendanceReports (PageIterator): 12 reports across pages", len(reports) == 12, str(len(reports)))
    check(
        "attendanceReports: parsed as MeetingAttendanceReport, newest (25 participants) first",
        all(isinstance(r, MeetingAttendanceReport) for r in reports)
        and [r.total_participant_count for r in reports] == [25] + [1] * 11,
        repr([r.total_participant_count for r in reports]),
    )
    newest = reports[0] if reports else None
    check(
        "attendanceReports: the newest report's start and end are the first join and last leave",
        newest is not None
        and newest.meeting_start_date_time == nine
        and newest.meeting_end_date_time == nine + timedelta(minutes=24 + 30),
        repr(newest and (newest.meeting_start_date_time, newest.meeting_end_date_time)),
    )

    # Its records: 25, in pages of 10, 10 and 5.
    records_builder = meeting.attendance_reports.by_meeting_attendance_report_id(newest.id if newest else "")
    first_records = await records_builder.attendance_records.get()
    records = await iterate_all(first_records, app) if first_records else []
    check("attendanceRecords (PageIterator): 25 records across pages", len(records) == 25, str(len(records)))
    check(
        "attendanceRecords: email addresses are the attendees', in order",
        all(isinstance(r, AttendanceRecord) for r in records) and [r.email_address for r in records] == [a["emailAddress"] for a in attendees],
        repr([r.email_address for r in records]),
    )
    check(
        "attendanceRecords: display names and role parsed",
        [r.identity.display_name if r.identity else None for r in records] == names and all(r.role == "Attendee" for r in records),
        repr([(r.identity and r.identity.display_name, r.role) for r in records]),
    )
    expected_intervals = [(nine + timedelta(minutes=i), nine + timedelta(minutes=i + 30), 1800) for i in range(25)]
    got_intervals = [
        [(v.join_date_time, v.leave_date_time, v.duration_in_seconds) for v in (r.attendance_intervals or [])] for r in records
    ]
    check(
        "attendanceRecords: each has its attendance interval (join, leave, duration)",
        got_intervals == [[e] for e in expected_intervals],
        repr(got_intervals[:2]),
    )
    check(
        "attendanceRecords: totalAttendanceInSeconds parsed",
        [r.total_attendance_in_seconds for r in records] == [1800] * 25,
        repr([r.total_attendance_in_seconds for r in records]),
    )

    # The same records, page by page with with_url(odata_next_link).
    page_sizes = []
    by_url = []
    page = first_records
    while page is not None:
        page_sizes.append(len(page.value or []))
        by_url.extend(page.value or [])
        if not page.odata_next_link or len(page_sizes) > 10:
            break
        page = await records_builder.attendance_records.with_url(page.odata_next_link).get()
    check("attendanceRecords (with_url): pages of 10, 10 and 5", page_sizes == [10, 10, 5], repr(page_sizes))
    check(
        "attendanceRecords (with_url): the same records as PageIterator",
        [r.id for r in by_url] == [r.id for r in records] and len({r.id for r in records}) == 25,
    )

    # Transcripts: 12, oldest first, in pages of 10; the newest is the 25 attendees'.
    first_transcripts = await meeting.transcripts.get()
    transcripts = await iterate_all(first_transcripts, app) if first_transcripts else []
    check(
        "transcripts (PageIterator): 12 transcripts across pages",
        len(transcripts) == 12 and all(isinstance(t, CallTranscript) for t in transcripts),
        str(len(transcripts)),
    )
    transcript = transcripts[-1] if transcripts else None
    check(
        "transcripts: meetingId, organizer and transcriptContentUrl parsed",
        transcript is not None
        and transcript.meeting_id == meeting_id
        and transcript.meeting_organizer is not None
        and transcript.meeting_organizer.user is not None
        and transcript.meeting_organizer.user.id == user_id
        and bool(transcript.transcript_content_url),
        repr(transcript),
    )

    content = await meeting.transcripts.by_call_transcript_id(transcript.id if transcript else "").content.get()
    check("transcript content (SDK): bytes", isinstance(content, bytes) and len(content) > 0, repr(type(content)))
    text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else ""
    check("transcript content: WebVTT (first line WEBVTT)", text.split("\n", 1)[0].strip() == "WEBVTT", repr(text[:40]))
    missing = [name for name in names if f"<v {name}>" not in text]
    check("transcript content: names every attendee", not missing, repr(missing))
    status, plain = await asyncio.to_thread(plain_http, "GET", transcript.transcript_content_url if transcript else "", app_token)
    check(
        "transcript content: byte-for-byte what plain HTTP gets from transcriptContentUrl",
        status == 200 and content == plain,
        f"status {status}, {len(content or b'')} bytes vs {len(plain)}",
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    tenant = "11111111-2222-3333-4444-555555555555"
    sys.exit(
        asyncio.run(
            main(sys.argv[1], fake_token(tenant, "user-a", True), fake_token(tenant, "app", False))
        )
    )
