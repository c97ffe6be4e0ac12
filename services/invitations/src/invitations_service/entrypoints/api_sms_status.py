"""POST /v1/sms/status: the SMS provider's delivery-status callback (signed, no JWT)."""

from __future__ import annotations

from contacts_channels import InvalidStatusCallback, is_valid_signature, parse_status_callback
from contacts_events import EventContext
from contacts_messaging.api import unit_of_work
from contacts_servicekit.errors import Invalid, NotAllowed
from contacts_servicekit.openapi_conventions import problems
from fastapi import APIRouter, Request, Response

from invitations_service.adapters.unit_of_work import PostgresInvitationsWork
from invitations_service.handlers.sending.status import record_status

router = APIRouter(prefix="/v1/sms", tags=["provider callbacks"])
_FORM = {  # read from the request itself: the signature covers every field, known or not
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {
                    name: {"type": "string"}
                    for name in ("MessageSid", "MessageStatus", "ErrorCode")
                },
            },
            "example": {
                "MessageSid": "SM0123456789abcdef0123456789abcdef",
                "MessageStatus": "delivered",
            },
        }
    },
}


@router.post(
    "/status",
    status_code=204,
    responses=problems(
        (403, "Not signed by the SMS provider (`bad_signature`)"),
        (422, "Signed, but not a status callback (`bad_callback`)"),
    ),
    openapi_extra={"requestBody": _FORM},
)
async def receive_sms_status(request: Request) -> Response:
    """Delivery status of one SMS, posted by the provider (form-encoded, `X-Twilio-Signature`
    signed with the account's auth token; anything unsigned is refused)."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    url, token = request.app.state.sms_callback
    if not is_valid_signature(url, form, request.headers.get("X-Twilio-Signature"), token):
        raise NotAllowed("bad_signature", "This callback is not signed by the SMS provider.")
    try:
        update = parse_status_callback(form)
    except InvalidStatusCallback as error:
        raise Invalid("bad_callback", str(error)) from None
    async with unit_of_work(request, PostgresInvitationsWork, EventContext()) as work:
        await record_status(work, update)
    return Response(status_code=204)
