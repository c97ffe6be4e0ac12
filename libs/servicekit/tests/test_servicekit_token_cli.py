"""contacts-token: prints only a token, which the services' TokenVerifier accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from contacts_servicekit.auth import Principal, TokenVerifier
from contacts_servicekit.settings import AuthSettings
from contacts_servicekit.token_cli import main
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AuthSettings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


def printed_token(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.count("\n") == 1
    return out.strip()


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_default_token_is_accepted_with_default_settings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = printed_token(capsys, ["--user", "u1"])

    principal = TokenVerifier.from_settings(AuthSettings()).verify(token)

    assert principal == Principal("u1", None, None, frozenset())


def test_claims_come_from_the_options(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWT_SECRET", "a-shared-secret-of-at-least-32-bytes")
    monkeypatch.setenv("JWT_ISSUER", "staging-idp")
    monkeypatch.setenv("JWT_AUDIENCE", "staging-api")
    argv = ["--user", "u1", "--tenant", "t1", "--company", "c1", "--role", "a", "--role", "b"]

    token = printed_token(capsys, [*argv, "--ttl", "60"])

    principal = TokenVerifier.from_settings(AuthSettings()).verify(token)
    assert principal == Principal("u1", "t1", "c1", frozenset({"a", "b"}))


def test_rs256_signs_with_the_private_key_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "signing.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    monkeypatch.setenv("JWT_PUBLIC_KEY", public_pem.decode())

    token = printed_token(capsys, ["--user", "u1", "--private-key", str(key_file)])

    assert TokenVerifier.from_settings(AuthSettings()).verify(token).user_id == "u1"


def test_an_unreadable_private_key_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key_file = tmp_path / "not-a-key.pem"
    key_file.write_text("hello")

    with pytest.raises(SystemExit) as caught:
        main(["--user", "u1", "--private-key", str(key_file)])

    assert caught.value.code == 2
    assert "cannot read --private-key" in capsys.readouterr().err


def test_production_with_the_development_secret_prints_no_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")

    assert main(["--user", "u1"]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert "JWT_SECRET" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: --user"),
        (["--user", "u1", "--ttl", "0"], "must be a positive number of seconds"),
        (["--user", "u1", "--ttl", "soon"], "must be a whole number of seconds"),
    ],
)
def test_bad_arguments_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)

    assert caught.value.code == 2
    assert message in capsys.readouterr().err
