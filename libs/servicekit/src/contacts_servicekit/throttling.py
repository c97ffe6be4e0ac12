"""What a refusal for a limit tells the client beside `Retry-After`: the IETF RateLimit fields
(draft-ietf-httpapi-ratelimit-headers), so a client can pace itself instead of guessing.

`RateLimit-Policy: "connect_id_lookup";q=30;w=180` names the limit, its quota and its window
in seconds; `RateLimit: "connect_id_lookup";r=0;t=12` says none is left and when there will
be one again. Both are structured-field lists whose items are the policy's name.
"""

from __future__ import annotations

from contacts_servicekit.domain_errors import QuotaPolicy


def throttled_headers(retry_after: int, policy: QuotaPolicy | None) -> dict[str, str]:
    """`Retry-After`, and the RateLimit fields when the limit reached is known."""
    headers = {"Retry-After": str(retry_after)}
    if policy is not None:
        name = f'"{policy.name}"'
        headers["RateLimit-Policy"] = f"{name};q={policy.quota};w={policy.window}"
        headers["RateLimit"] = f"{name};r=0;t={retry_after}"
    return headers
