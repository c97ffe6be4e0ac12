"""``contacts-token``: mint a bearer token for local development and manual testing.

Reads ``JWT_SECRET``, ``JWT_ISSUER``, ``JWT_AUDIENCE`` and ``JWT_ALGORITHM`` from the environment
with the same defaults as the services, and prints only the token, so that::

    TOKEN=$(contacts-token --user u1 --tenant t1 --role admin)
    curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8002/...

For ``JWT_ALGORITHM=RS256`` pass the signing key with ``--private-key FILE``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .auth import mint_token
from .settings import AuthSettings, SettingsError


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of seconds, not {text!r}"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contacts-token",
        description="Print a signed JWT for the contacts platform (development only).",
    )
    parser.add_argument("--user", required=True, help="user id (the 'sub' claim)")
    parser.add_argument("--tenant", help="tenant id (the 'tenant' claim)")
    parser.add_argument("--company", help="company id (the 'company' claim)")
    parser.add_argument(
        "--role", action="append", default=[], help="a role to grant; repeat for several"
    )
    parser.add_argument(
        "--ttl", type=_positive_int, default=3600, help="lifetime in seconds (default 3600)"
    )
    parser.add_argument("--private-key", type=Path, help="PEM RSA private key (RS256 only)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status (0 ok, 2 bad arguments or configuration)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = AuthSettings.load()
    except SettingsError as error:
        print(f"contacts-token: {error}", file=sys.stderr)
        return 2
    private_key: bytes | None = None
    if settings.jwt_algorithm == "RS256":
        if args.private_key is None:
            parser.error("JWT_ALGORITHM=RS256 needs --private-key FILE")
        try:
            private_key = args.private_key.read_bytes()
        except OSError as error:
            parser.error(f"cannot read --private-key: {error}")
    secret = settings.jwt_secret.get_secret_value()
    token = mint_token(
        args.user,
        secret=secret,
        tenant_id=args.tenant,
        company_id=args.company,
        roles=args.role,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl_seconds=args.ttl,
        algorithm=settings.jwt_algorithm,
        private_key=private_key,
    )
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
