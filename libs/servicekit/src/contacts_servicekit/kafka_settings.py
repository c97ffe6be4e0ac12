"""How to reach Kafka: addresses, TLS and SASL, read from ``KAFKA_*`` environment variables.

Every service inherits :class:`KafkaConnectionSettings` (through ``ServiceSettings``) and the
command-line tools read it alone, so ``contacts-status`` and ``contacts-dlt`` reach a secured
cluster with the services' own variables. ``contacts_messaging.kafka_connection`` turns it into
the keyword arguments of aiokafka's clients and FastStream's broker.

Mistakes are refused at start-up with the variable named, instead of surfacing later as a
broker that drops the connection: SASL without a user or password, a CA file that is missing
or holds no PEM certificate, a client certificate without its key, TLS files or SASL
credentials given to a protocol that would silently ignore them, and, with
``ENVIRONMENT=production``, an unencrypted protocol to a broker off this machine (see
:meth:`KafkaConnectionSettings._refuse_plaintext_in_production`).
"""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path
from typing import Literal, Self

from cryptography import x509
from pydantic import Field, SecretStr, field_validator, model_validator

from contacts_servicekit.environment_settings import EnvironmentSettings

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]
SASL_PROTOCOLS = ("SASL_PLAINTEXT", "SASL_SSL")
TLS_PROTOCOLS = ("SSL", "SASL_SSL")


class KafkaConnectionSettings(EnvironmentSettings):
    """The Kafka cluster's addresses and how to authenticate to it and encrypt the traffic."""

    kafka_bootstrap_servers: str = Field(default="127.0.0.1:19092", min_length=1)
    kafka_security_protocol: SecurityProtocol = "PLAINTEXT"
    kafka_sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_sasl_password_file: Path | None = Field(
        default=None,
        description="KAFKA_SASL_PASSWORD_FILE: a file holding the password (a mounted Secret); "
        "read at each connection, so a rotated password needs no restart",
    )
    kafka_ssl_ca_file: Path | None = Field(
        default=None, description="KAFKA_SSL_CA_FILE: PEM CA(s) of the brokers; default: system's"
    )
    kafka_ssl_cert_file: Path | None = None
    kafka_ssl_key_file: Path | None = None
    kafka_allow_plaintext: bool = Field(
        default=False,
        description="KAFKA_ALLOW_PLAINTEXT: with ENVIRONMENT=production, accept an unencrypted "
        "protocol to a remote broker (only where the network itself encrypts)",
    )

    @property
    def kafka_uses_sasl(self) -> bool:
        return self.kafka_security_protocol in SASL_PROTOCOLS

    @property
    def kafka_uses_tls(self) -> bool:
        return self.kafka_security_protocol in TLS_PROTOCOLS

    def kafka_sasl_secret(self) -> str:
        """The SASL password: KAFKA_SASL_PASSWORD, or the file KAFKA_SASL_PASSWORD_FILE names."""
        if self.kafka_sasl_password is not None:
            return self.kafka_sasl_password.get_secret_value()
        if self.kafka_sasl_password_file is not None:
            return self.kafka_sasl_password_file.read_text().strip()
        raise ValueError("no SASL password is set")

    @field_validator("kafka_sasl_username")
    @classmethod
    def _empty_username_is_none(cls, username: str | None) -> str | None:
        return username.strip() or None if username is not None else None

    @field_validator("kafka_sasl_password_file")
    @classmethod
    def _check_password_file(cls, path: Path | None) -> Path | None:
        if path is not None and not (path.is_file() and path.read_text().strip()):
            raise ValueError(f"{path} is not a readable file holding a password")
        return path

    @field_validator("kafka_ssl_ca_file")
    @classmethod
    def _check_ca_file(cls, path: Path | None) -> Path | None:
        if path is None:
            return None
        if not path.is_file():
            raise ValueError(f"{path} does not exist or is not a file")
        try:
            x509.load_pem_x509_certificates(path.read_bytes())
        except ValueError:
            raise ValueError(f"{path} holds no PEM certificate") from None
        return path

    @model_validator(mode="after")
    def _check_sasl(self) -> Self:
        has_password = self.kafka_sasl_password is not None or self.kafka_sasl_password_file
        if self.kafka_sasl_password is not None and self.kafka_sasl_password_file is not None:
            raise ValueError("set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both")
        if self.kafka_uses_sasl and not (self.kafka_sasl_username and has_password):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} needs "
                "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)"
            )
        if not self.kafka_uses_sasl and (self.kafka_sasl_username or has_password):
            raise ValueError(
                f"KAFKA_SASL_USERNAME/PASSWORD are set but KAFKA_SECURITY_PROTOCOL="
                f"{self.kafka_security_protocol} sends no credentials: use SASL_SSL"
            )
        return self

    @model_validator(mode="after")
    def _check_tls_files(self) -> Self:
        files = (self.kafka_ssl_ca_file, self.kafka_ssl_cert_file, self.kafka_ssl_key_file)
        if not self.kafka_uses_tls and any(files):
            raise ValueError(
                f"KAFKA_SSL_* files are set but KAFKA_SECURITY_PROTOCOL="
                f"{self.kafka_security_protocol} does not use TLS: use SSL or SASL_SSL"
            )
        cert, key = self.kafka_ssl_cert_file, self.kafka_ssl_key_file
        if (cert is None) != (key is None):
            raise ValueError("KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together")
        if cert is not None and key is not None:
            try:
                ssl.create_default_context().load_cert_chain(cert, key)
            except (OSError, ssl.SSLError) as error:
                raise ValueError(
                    f"KAFKA_SSL_CERT_FILE/KAFKA_SSL_KEY_FILE are not a PEM certificate and its "
                    f"unencrypted private key ({error})"
                ) from None
        return self

    @model_validator(mode="after")
    def _refuse_plaintext_in_production(self) -> Self:
        """Refused rather than warned: a warning in a log nobody reads would send every
        contact's phone number and email, and the SASL password, over the network in clear.
        A broker on this machine (loopback) is exempt, and KAFKA_ALLOW_PLAINTEXT=true is the
        deliberate way out where the network encrypts (a service mesh with mutual TLS)."""
        if self.environment != "production" or self.kafka_uses_tls or self.kafka_allow_plaintext:
            return self
        remote = [a for a in self.kafka_bootstrap_servers.split(",") if not _is_loopback(a)]
        if remote:
            raise ValueError(
                f"ENVIRONMENT=production refuses KAFKA_SECURITY_PROTOCOL="
                f"{self.kafka_security_protocol} to {', '.join(remote)}: use SASL_SSL or SSL "
                "(or KAFKA_ALLOW_PLAINTEXT=true where the network itself encrypts)"
            )
        return self


def _is_loopback(address: str) -> bool:
    """``127.0.0.1:9092``, ``localhost:9092`` or ``[::1]:9092``: a broker on this machine."""
    host = address.strip().rpartition(":")[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
