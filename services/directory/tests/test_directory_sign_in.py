"""Sign-up and sign-in with a code by SMS, against a directory process, real Postgres and Kafka."""

from __future__ import annotations

import uuid

import asyncpg
import httpx
import jwt
import pytest
from contacts_events import topics
from contacts_testing.codes import latest_code, wait_for_code
from contacts_testing.kafka_reader import read_topic

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def auth(start_directory, messages) -> httpx.Client:
    service = start_directory(
        DEV_MESSAGES_DIR=str(messages), CODES_PER_NUMBER_BURST="3", CODES_PER_ADDRESS_BURST="5",
        SIGN_IN_ATTEMPTS_PER_ADDRESS_BURST="100",
    )  # fmt: skip
    with httpx.Client(base_url=service.url, timeout=10) as client:
        yield client


def from_address() -> dict[str, str]:
    """A client address of the test's own (uvicorn believes X-Forwarded-For from 127.0.0.1), so
    that the per-address limits of one test do not spend another's."""
    a, b, c = uuid.uuid4().bytes[:3]
    return {"X-Forwarded-For": f"10.{a}.{b}.{c}"}


async def on_schema(admin_url: str, schema: str, sql: str, *args: object) -> asyncpg.Record:
    """Run `sql` (`{}` the directory's schema) as the database's administrator."""
    conn = await asyncpg.connect(admin_url)
    try:
        return await conn.fetchrow(sql.format(f'"{schema}"'), *args)
    finally:
        await conn.close()


def send_code(auth, phone, headers=None):
    return auth.post("/v1/auth/codes", json={"phone": phone}, headers=headers or from_address())


def sign_in(auth, phone, code, headers=None, **extra):
    body = {"phone": phone, "code": code, **extra}
    return auth.post("/v1/auth/sign-in", json=body, headers=headers or from_address())


def signed_up(auth, messages, phone, name="Ada Lovelace"):
    assert send_code(auth, phone).status_code == 202
    answer = sign_in(auth, phone, wait_for_code(messages, phone), display_name=name)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_new_number_signs_up_with_the_code_and_a_name(auth, messages, new_phone):
    phone = new_phone()
    sent = send_code(auth, phone)
    assert sent.status_code == 202
    assert sent.json() == {"expires_in": 300, "attempts": 5}
    code = wait_for_code(messages, phone)

    nameless = sign_in(auth, phone, code)
    assert nameless.status_code == 422
    assert nameless.json()["error"] == "display_name_required"
    assert nameless.json()["field"] == "display_name"

    answer = sign_in(auth, phone, code, display_name="Grace Hopper", invitation_token="inv-1")
    assert answer.status_code == 201
    body = answer.json()
    assert body["signed_up"] is True
    assert body["user"]["phone"] == phone
    assert body["user"]["display_name"] == "Grace Hopper"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    me = auth.get("/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["user_id"] == body["user"]["user_id"]


async def test_sign_up_announces_the_user_with_the_invitation_token(
    auth, messages, new_phone, kafka_bootstrap
):
    phone = new_phone()
    send_code(auth, phone)
    answer = sign_in(
        auth, phone, wait_for_code(messages, phone), display_name="Invitee", invitation_token="t-9"
    )
    user_id = answer.json()["user"]["user_id"]

    records = await read_topic(kafka_bootstrap, topics.DIRECTORY_USERS, expect=10_000, seconds=8)
    mine = [r for r in records if r.key == user_id.encode()]
    assert len(mine) == 1
    assert dict(mine[0].headers)["ce_type"] == b"io.connect.contacts.UserRegistered.v1"
    assert b'"invitation_token":"t-9"' in mine[0].value.replace(b" ", b"")


def test_a_known_number_signs_in_to_its_account(auth, messages, new_phone):
    phone = new_phone()
    first = signed_up(auth, messages, phone)
    send_code(auth, phone)

    again = sign_in(auth, phone, wait_for_code(messages, phone, after=None))

    assert again.status_code == 200
    assert again.json()["signed_up"] is False
    assert again.json()["user"]["user_id"] == first["user"]["user_id"]


def test_asking_for_a_code_tells_nothing_about_registration(auth, messages, new_phone):
    registered = new_phone()
    signed_up(auth, messages, registered)
    answers = [send_code(auth, phone) for phone in (registered, new_phone())]

    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()
    assert set(answers[0].headers) == set(answers[1].headers)


def test_a_code_works_once(auth, messages, new_phone):
    phone = new_phone()
    send_code(auth, phone)
    code = wait_for_code(messages, phone)
    assert sign_in(auth, phone, code, display_name="Once").status_code == 201

    again = sign_in(auth, phone, code)

    assert again.status_code == 422
    assert (again.json()["error"], again.json()["field"]) == ("code_invalid", "code")


def test_five_wrong_codes_use_the_code_up(auth, messages, new_phone):
    phone = new_phone()
    send_code(auth, phone)
    code = wait_for_code(messages, phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert sign_in(auth, phone, wrong).json()["error"] == "code_invalid"

    assert sign_in(auth, phone, code, display_name="Too late").json()["error"] == "code_invalid"


async def test_an_expired_code_is_refused(
    auth, messages, new_phone, postgres_admin_url, directory_schema
):
    phone = new_phone()
    send_code(auth, phone)
    code = wait_for_code(messages, phone)
    expire = (
        "UPDATE {}.one_time_codes SET expires_at = now() - interval '1 s' WHERE destination = $1"
    )
    await on_schema(postgres_admin_url, directory_schema, expire, phone)

    assert sign_in(auth, phone, code, display_name="Late").json()["error"] == "code_invalid"


async def test_codes_are_stored_only_as_an_hmac(
    auth, messages, new_phone, postgres_admin_url, directory_schema
):
    phone = new_phone()
    send_code(auth, phone)
    code = wait_for_code(messages, phone)
    read = "SELECT * FROM {}.one_time_codes WHERE destination = $1"
    row = await on_schema(postgres_admin_url, directory_schema, read, phone)

    assert len(row["code_hmac"]) == 32
    assert code.encode() not in row["code_hmac"]
    assert code not in str(dict(row))


def test_a_new_code_replaces_the_previous_one(auth, messages, new_phone):
    phone = new_phone()
    send_code(auth, phone)
    first = wait_for_code(messages, phone)
    send_code(auth, phone)
    second = wait_for_code(messages, phone, after=first)

    assert sign_in(auth, phone, first, display_name="X").json()["error"] == "code_invalid"
    assert sign_in(auth, phone, second, display_name="X").status_code == 201


def test_codes_are_limited_per_number(auth, new_phone):
    phone = new_phone()
    answers = [send_code(auth, phone) for _ in range(4)]

    assert [a.status_code for a in answers] == [202, 202, 202, 429]
    assert answers[3].json()["error"] == "rate_limited"
    assert answers[3].json()["field"] == "phone"
    assert int(answers[3].headers["Retry-After"]) > 0
    assert answers[3].headers["RateLimit-Policy"].startswith('"sign_in_code";q=3;w=')


def test_codes_are_limited_per_client_address(auth, new_phone):
    address = from_address()
    answers = [send_code(auth, new_phone(), address) for _ in range(6)]

    assert [a.status_code for a in answers] == [202] * 5 + [429]
    assert int(answers[5].headers["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("phone", "code", "error", "field"),
    [
        ("+44 20 7946 0958", "123456", "phone_not_mobile", "phone"),
        ("not a number", "123456", "phone_not_e164", "phone"),
        ("+447400123456", "12345", "code_malformed", "code"),
        ("+447400123456", "12a456", "code_malformed", "code"),
    ],
)
def test_bad_input_names_the_field(auth, phone, code, error, field):
    answer = sign_in(auth, phone, code)

    assert answer.status_code == 422
    assert (answer.json()["error"], answer.json()["field"]) == (error, field)


def test_the_code_goes_out_in_words_a_person_understands(auth, messages, new_phone):
    phone = new_phone()
    send_code(auth, phone)
    code = wait_for_code(messages, phone)

    assert latest_code(messages, phone) == code
    text = next(
        line for line in (messages / "messages.jsonl").read_text().splitlines() if phone in line
    )
    assert "sign-in code" in text
    assert "expires in 5 minutes" in text


def test_access_tokens_are_eddsa_and_verify_with_the_published_keys(auth, messages, new_phone):
    tokens = signed_up(auth, messages, new_phone())
    jwks = auth.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    assert "max-age" in jwks.headers["Cache-Control"]
    header = jwt.get_unverified_header(tokens["access_token"])
    assert header["alg"] == "EdDSA"
    key = next(k for k in jwks.json()["keys"] if k["kid"] == header["kid"])
    assert "d" not in key  # public only

    claims = jwt.decode(
        tokens["access_token"], jwt.PyJWK(key).key, algorithms=["EdDSA"],
        audience="contacts-platform", issuer="contacts-platform-dev",
    )  # fmt: skip

    assert claims["sub"] == tokens["user"]["user_id"]
    assert claims["exp"] - claims["iat"] == 900
    assert claims["roles"] == []
    assert claims["sid"]


def refresh(auth, refresh_token):
    return auth.post("/v1/auth/refresh", json={"refresh_token": refresh_token})


def test_a_refresh_token_is_used_once_and_rotated(auth, messages, new_phone):
    first = signed_up(auth, messages, new_phone())

    second = refresh(auth, first["refresh_token"])

    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert second.json()["access_token"] != first["access_token"]
    assert refresh(auth, second.json()["refresh_token"]).status_code == 200


def test_reusing_a_rotated_refresh_token_closes_the_session(auth, messages, new_phone):
    stolen = signed_up(auth, messages, new_phone())["refresh_token"]
    legitimate = refresh(auth, stolen).json()["refresh_token"]

    reuse = refresh(auth, stolen)

    assert reuse.status_code == 401
    assert reuse.json()["error"] == "refresh_token_reused"
    assert refresh(auth, legitimate).json()["error"] == "refresh_token_invalid"


def test_signing_out_ends_the_session(auth, messages, new_phone):
    tokens = signed_up(auth, messages, new_phone())

    assert (
        auth.post("/v1/auth/sign-out", json={"refresh_token": tokens["refresh_token"]}).status_code
        == 204
    )

    assert refresh(auth, tokens["refresh_token"]).status_code == 401


def test_closing_the_account_revokes_its_refresh_tokens(auth, messages, new_phone):
    phone = new_phone()
    tokens = signed_up(auth, messages, phone)
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}

    assert auth.delete("/v1/users/me", headers=bearer).status_code == 204

    assert refresh(auth, tokens["refresh_token"]).json()["error"] == "refresh_token_invalid"


def test_garbage_refresh_tokens_are_refused(auth):
    answer = refresh(auth, "x" * 43)

    assert answer.status_code == 401
    assert answer.json()["field"] == "refresh_token"
