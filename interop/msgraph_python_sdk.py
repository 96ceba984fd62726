"""Point Microsoft's official Graph SDK for Python (msgraph-sdk) at the emulator, unchanged.

The SDK is used exactly as its documentation shows; only the base URL (the emulator's
address) and the token (an unsigned JWT the emulator accepts) differ. It exercises the
three emulated calls and checks what the SDK parsed, so that the emulator's wire format
is Graph's and not this project's.

Usage: python msgraph_python_sdk.py BASE_URL
  BASE_URL   the emulator's address, e.g. http://127.0.0.1:8080 (the /v1.0 is added here)
The tokens are unsigned JWTs with the claims the emulator reads (tid, oid, scp or roles).
Prints one line per check and `N passed, M failed` last; exits 1 on any failure.
"""

import asyncio
import base64
import json
import sys
from datetime import datetime, timedelta, timezone

from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.meeting_participant_info import MeetingParticipantInfo
from msgraph.generated.models.meeting_participants import MeetingParticipants
from msgraph.generated.models.online_meeting import OnlineMeeting
from msgraph.generated.models.online_meeting_role import OnlineMeetingRole
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.users.item.online_meetings.create_or_get.create_or_get_post_request_body import (
    CreateOrGetPostRequestBody,
)


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
