"""Request and response bodies of sign-in, sessions and verifications."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from directory_service.domain.credentials import Tokens
from directory_service.entrypoints.schemas import UserView, example


class CodeRequest(BaseModel):
    model_config = example({"phone": "+447700900123"})

    phone: str = Field(max_length=40, description="Mobile number, E.164 (+447700900123)")


class CodeSent(BaseModel):
    """A code is on its way (whether or not the number belongs to a user)."""

    expires_in: int = Field(description="seconds the code stays valid")
    attempts: int = Field(description="wrong codes accepted before a new one is needed")


class SignIn(BaseModel):
    model_config = example(
        {"phone": "+447700900123", "code": "123456"},
        {"phone": "+447700900123", "code": "123456", "display_name": "Ada Lovelace"},
    )

    phone: str = Field(max_length=40)
    code: str = Field(max_length=20, description="the six digits of the SMS")
    display_name: str | None = Field(
        default=None, max_length=400, description="sign-up only: the new user's name"
    )
    invitation_token: str | None = Field(
        default=None, max_length=200, description="sign-up only: from the invitation link"
    )


class RefreshRequest(BaseModel):
    model_config = example({"refresh_token": "q3Zl2xw0bHh1dF9GJq7..."})

    refresh_token: str = Field(max_length=200)


class TokensView(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme, not a secret
    expires_in: int = Field(description="seconds the access token stays valid")
    refresh_token: str = Field(description="use once, at /v1/auth/refresh; keep it secret")

    @classmethod
    def of(cls, tokens: Tokens) -> TokensView:
        return cls(
            access_token=tokens.access_token,
            expires_in=tokens.expires_in,
            refresh_token=tokens.refresh_token,
        )


class SignedInView(TokensView):
    user: UserView
    signed_up: bool = Field(description="true when this sign-in created the account")


class ServiceTokenView(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme, not a secret
    expires_in: int


class SigningKeyView(BaseModel):
    kid: str


class StartVerification(BaseModel):
    """Exactly one of `phone` and `email`: the destination to prove."""

    model_config = example({"phone": "+447700900456"}, {"email": "ada@example.com"})

    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)


class ConfirmVerification(StartVerification):
    model_config = example({"phone": "+447700900456", "code": "123456"})

    code: str = Field(max_length=20)
