"""``contacts-token``: mint a bearer token for local development and manual testing.

Reads ``JWT_SECRET``, ``JWT_ISSUER`` and ``JWT_AUDIENCE`` from the environment with the same
defaults as the services, and prints only the token, so that::

    TOKEN=$(contacts-token --user u1 --tenant t1 --role admin)
    curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8002/...

The token is an HS256 development token, which the services accept unless
``ENVIRONMENT=production``; with ``--private-key FILE`` (an RSA or Ed25519 PEM key whose public
half the services are given as ``JWT_PUBLIC_KEY``) it is RS256 or EdDSA instead. People sign in
through the directory (``POST /v1/auth/sessions``), which issues the real tokens.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from .auth import Algorithm, mint_token
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
    parser.add_argument(
        "--private-key", type=Path, help="PEM RSA or Ed25519 private key (RS256 / EdDSA)"
    )
    return parser


def _claims(args: argparse.Namespace, settings: AuthSettings) -> dict[str, Any]:
    return {
        "tenant_id": args.tenant,
        "company_id": args.company,
        "roles": args.role,
        "issuer": settings.jwt_issuer,
        "audience": settings.jwt_audience,
        "ttl_seconds": args.ttl,
    }


def _private_key(parser: argparse.ArgumentParser, path: Path) -> RSAPrivateKey | Ed25519PrivateKey:
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        parser.error(f"cannot read --private-key: {error}")
    if not isinstance(key, RSAPrivateKey | Ed25519PrivateKey):
        parser.error("--private-key must be an RSA or Ed25519 key")
    return key


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status (0 ok, 2 bad arguments or configuration)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = AuthSettings.load()
    except SettingsError as error:
        print(f"contacts-token: {error}", file=sys.stderr)
        return 2
    if args.private_key is None:
        secret = settings.development_secret
        if secret is None:
            print(
                "contacts-token: development tokens (JWT_SECRET, HS256) are not accepted when "
                "ENVIRONMENT=production; pass --private-key",
                file=sys.stderr,
            )
            return 2
        token = mint_token(args.user, secret=secret, **_claims(args, settings))
    else:
        key = _private_key(parser, args.private_key)
        algorithm: Algorithm = "RS256" if isinstance(key, RSAPrivateKey) else "EdDSA"
        token = mint_token(
            args.user, algorithm=algorithm, private_key=key, **_claims(args, settings)
        )
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
