"""A Postgres cluster serving TLS with a certificate the test made, by deploy/local/postgres.sh
(its PG_SSL_CERT_FILE / PG_SSL_KEY_FILE options) on a port and state directory of its own.

The server certificate names `localhost` only: a client with ``sslmode=verify-full`` reaches it
as ``localhost`` and is refused as ``127.0.0.1``, the same server under a name it was not
issued for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contacts_testing.infra import LocalPostgres
from contacts_testing.tls import CertificateAuthority, Issued

SERVER_NAME = "localhost"


@dataclass(kw_only=True)
class SecurePostgres(LocalPostgres):
    authority: CertificateAuthority
    server: Issued = field(init=False)

    def __post_init__(self) -> None:
        self.server = self.authority.issue_server("postgres-server", (SERVER_NAME,))

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, "PG_SSL_CERT_FILE": str(self.server.cert_file),
                "PG_SSL_KEY_FILE": str(self.server.key_file), "PG_SHARED_BUFFERS": "128MB"}  # fmt: skip

    def verified_url(self, ca_file: Path, host: str = SERVER_NAME) -> str:
        """The superuser's URL with ``sslmode=verify-full`` against `ca_file`, to `host`."""
        return (f"postgresql://postgres:postgres@{host}:{self.port}/contacts_platform"
                f"?sslmode=verify-full&sslrootcert={ca_file}")  # fmt: skip
