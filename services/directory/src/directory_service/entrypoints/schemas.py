"""Request and response bodies of the directory's HTTP API."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contacts_events import CompanyRole
from contacts_events.connect_id import display
from pydantic import BaseModel, ConfigDict, Field

from directory_service.domain.model import ContactPoint, PublicProfile, User


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def example(*examples: dict[str, Any]) -> ConfigDict:
    """A request body's configuration: no unknown fields, and `examples` in its schema."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


class RegisterUser(Body):
    model_config = example({"display_name": "Ada Lovelace", "phone": "+447700900123"})

    display_name: str = Field(max_length=400)
    phone: str = Field(max_length=40, description="Verified mobile number, E.164 (+447700900123)")
    email: str | None = Field(default=None, max_length=254)
    company_id: UUID | None = None
    invitation_token: str | None = Field(default=None, max_length=200)


class ChangeProfile(Body):
    model_config = example({"display_name": "Ada King"})

    display_name: str | None = Field(default=None, max_length=400)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254, description='"" removes the email')


class UserView(BaseModel):
    user_id: UUID
    connect_id: str
    display_name: str
    phone: str
    email: str | None
    company_id: UUID | None
    company_role: CompanyRole | None
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            user_id=user.user_id, connect_id=display(user.connect_id),
            display_name=user.display_name, phone=user.phone_e164, email=user.email,
            company_id=user.company_id,
            company_role=CompanyRole(user.company_role) if user.company_role else None,
            created_at=user.created_at,
        )  # fmt: skip


class PublicProfileView(BaseModel):
    """A user's or contact point's public profile: never a phone number or an email."""

    connect_id: str
    display_name: str
    company_name: str | None
    is_contact_point: bool

    @classmethod
    def of(cls, profile: PublicProfile) -> PublicProfileView:
        return cls(
            connect_id=display(profile.connect_id), display_name=profile.display_name,
            company_name=profile.company_name, is_contact_point=profile.is_contact_point,
        )  # fmt: skip


class LookedUpView(PublicProfileView):
    """The profile a look-up found, and the grant to add it as a contact."""

    add_token: str = Field(
        description="POST it with the ConnectID to the contacts service's /v1/contacts within "
        "10 minutes to add this user: adding needs a look-up"
    )


class CreateCompany(Body):
    model_config = example({"name": "Analytical Engines Ltd"})

    name: str = Field(max_length=400)


class CompanyView(BaseModel):
    company_id: UUID
    name: str


class AddMember(Body):
    model_config = example({"user_id": "6f1d2a52-3c1e-4c57-9a57-3bcb1f0c5a10", "role": "member"})

    user_id: UUID
    role: CompanyRole = CompanyRole.MEMBER


class CreateContactPoint(Body):
    model_config = example({"display_name": "Reception"})

    display_name: str = Field(max_length=400)


class ContactPointView(BaseModel):
    contact_point_id: UUID
    company_id: UUID
    connect_id: str
    display_name: str

    @classmethod
    def of(cls, point: ContactPoint) -> ContactPointView:
        return cls(
            contact_point_id=point.contact_point_id, company_id=point.company_id,
            connect_id=display(point.connect_id), display_name=point.display_name,
        )  # fmt: skip


class ContactPointPage(BaseModel):
    items: list[ContactPointView]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )
