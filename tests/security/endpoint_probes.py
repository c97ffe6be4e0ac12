"""What every endpoint of every service answers to a user who is not the owner of the ids in
the request. Keys are (METHOD, path template) exactly as each service's OpenAPI document
lists them, so an endpoint added without a row here fails `test_every_endpoint_has_a_probe`.

Placeholders `{...}` in paths and bodies are filled with the owner's ids (`OwnedWorld.ids`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contacts_events.connect_id import display, generate


@dataclass(frozen=True)
class Probe:
    expect: int
    error: str | None = None  # the error code expected with it
    json: Any = None
    files: dict[str, tuple[str, bytes]] | None = None
    data: dict[str, str] = field(default_factory=dict)
    jwt: bool = True  # False: the endpoint is authenticated otherwise (a provider's signature)


UNKNOWN_CONNECT_ID = display(generate())
CSV = b"Mobile\n+447400123456\n"

PROBES: dict[str, dict[tuple[str, str], Probe]] = {
    "directory": {
        # the front door: no JWT needed, and nothing in an answer tells whether a number is a user's
        ("POST", "/v1/auth/codes"): Probe(202, json={"phone": "{owner_phone}"}, jwt=False),
        ("POST", "/v1/auth/sign-in"): Probe(422, "code_invalid", json={"phone": "{owner_phone}", "code": "000000"}, jwt=False),
        ("POST", "/v1/auth/refresh"): Probe(401, "refresh_token_invalid", json={"refresh_token": "x" * 43}, jwt=False),
        ("POST", "/v1/auth/sign-out"): Probe(204, json={"refresh_token": "x" * 43}, jwt=False),
        ("POST", "/v1/auth/service-token"): Probe(401, "invalid_client", jwt=False),
        ("GET", "/.well-known/jwks.json"): Probe(200, jwt=False),
        ("POST", "/v1/auth/signing-keys"): Probe(403, "admin_only"),
        ("POST", "/v1/users/me/verifications"): Probe(202, json={"phone": "{owner_phone}"}),
        ("POST", "/v1/users/me/verifications/confirm"): Probe(422, "code_invalid", json={"phone": "{owner_phone}", "code": "000000"}),
        ("POST", "/v1/users"): Probe(403, "staff_only", json={"display_name": "X", "phone": "+447400000001"}),
        ("GET", "/v1/users/me"): Probe(200),
        ("PATCH", "/v1/users/me"): Probe(200, json={"display_name": "Intruder renamed"}),
        ("POST", "/v1/users/{user_id}/deactivation"): Probe(403, "staff_only"),
        ("GET", "/v1/connect-ids/{connect_id}"): Probe(200),  # public profile: no secret in it
        ("POST", "/v1/companies"): Probe(403, "staff_only", json={"name": "Intruder Ltd"}),
        ("GET", "/v1/companies/{company_id}"): Probe(404, "company_not_found"),
        ("POST", "/v1/companies/{company_id}/members"): Probe(404, "company_not_found", json={"user_id": "{user_id}"}),
        ("DELETE", "/v1/companies/{company_id}/members/{user_id}"): Probe(404, "company_not_found"),
        ("GET", "/v1/companies/{company_id}/contact-points"): Probe(404, "company_not_found"),
        ("POST", "/v1/companies/{company_id}/contact-points"): Probe(404, "company_not_found", json={"display_name": "Fake"}),
        ("DELETE", "/v1/companies/{company_id}/contact-points/{contact_point_id}"): Probe(404, "company_not_found"),
        ("DELETE", "/v1/companies/{company_id}/membership-offers/{offer_id}"): Probe(404, "company_not_found"),
        ("GET", "/v1/users/me/membership-offers"): Probe(200),  # the intruder's own: none
        ("POST", "/v1/users/me/membership-offers/{offer_id}/accept"): Probe(404, "offer_not_found"),
        ("POST", "/v1/users/me/membership-offers/{offer_id}/decline"): Probe(404, "offer_not_found"),
        ("DELETE", "/v1/users/me"): Probe(204),  # last: the intruder closes their own account only
    },
    "contacts": {
        ("GET", "/v1/contacts"): Probe(200),
        ("POST", "/v1/contacts"): Probe(422, "lookup_required", json={"connect_id": UNKNOWN_CONNECT_ID}),
        ("GET", "/v1/contacts/{contact_id}"): Probe(404, "contact_not_found"),
        ("POST", "/v1/contacts/{contact_id}/archive"): Probe(404, "contact_not_found"),
        ("POST", "/v1/contacts/{contact_id}/unarchive"): Probe(404, "contact_not_found"),
    },
    "importer": {
        ("POST", "/v1/imports/pasted"): Probe(201, json={"text": "+447400123456"}),
        ("POST", "/v1/imports/files"): Probe(404, "import_not_found", files={"file": ("a.csv", CSV)}, data={"replaces": "{import_id}"}),
        ("GET", "/v1/imports"): Probe(200),
        ("GET", "/v1/imports/{import_id}"): Probe(404, "import_not_found"),
        ("PUT", "/v1/imports/{import_id}/mapping"): Probe(404, "import_not_found", json={"phone": "Mobile"}),
        ("GET", "/v1/imports/{import_id}/rows"): Probe(404, "import_not_found"),
        ("POST", "/v1/imports/{import_id}/start"): Probe(404, "import_not_found"),
        ("POST", "/v1/imports/{import_id}/invitations"): Probe(404, "import_not_found", json={}),
        ("GET", "/v1/imports/{import_id}/error-report.csv"): Probe(404, "import_not_found"),
        ("GET", "/v1/imports/{import_id}/invitations/refusals"): Probe(404, "import_not_found"),
        ("GET", "/v1/imports/{import_id}/progress"): Probe(404, "import_not_found"),
        ("GET", "/v1/imports/{import_id}/results.csv"): Probe(404, "import_not_found"),
        ("GET", "/v1/imports/{import_id}/results.xlsx"): Probe(404, "import_not_found"),
    },
    "invitations": {
        ("POST", "/v1/invitations"): Probe(201, json={"phone": "{invitee_phone}"}),  # a new one, the intruder's own
        ("GET", "/v1/invitations"): Probe(200),
        ("POST", "/v1/invitations/{invitation_id}/resend"): Probe(404, "invitation_not_found"),
        ("DELETE", "/v1/invitations/{invitation_id}"): Probe(404, "invitation_not_found"),
        ("GET", "/v1/tenants/{tenant_id}/destination-countries"): Probe(404, "tenant_not_found"),
        ("PUT", "/v1/tenants/{tenant_id}/destination-countries"): Probe(404, "tenant_not_found", json={"countries": ["FR"]}),
        ("DELETE", "/v1/tenants/{tenant_id}/destination-countries"): Probe(404, "tenant_not_found"),
        ("POST", "/v1/sms/status"): Probe(403, "bad_signature", data={"MessageSid": "SM1", "MessageStatus": "failed"}, jwt=False),
    },
}  # fmt: skip


def filled(value: Any, ids: dict[str, str]) -> Any:
    """`value` with every `{name}` in its strings replaced by `ids[name]`."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: filled(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [filled(item, ids) for item in value]
    return value
