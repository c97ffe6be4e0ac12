"""Typed client of the contacts platform: :class:`AsyncContactsPlatform` (asyncio) and
:class:`ContactsPlatform` (blocking), each with the groups ``auth``, ``users``, ``directory``,
``contacts``, ``imports`` and ``invitations``; every refusal raises :class:`ApiError`."""

from contacts_client.clients import AsyncContactsPlatform, ContactsPlatform
from contacts_client.errors import (
    ApiError,
    Conflict,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    RateLimited,
    ServerError,
    TooLarge,
    Unauthorized,
    Unavailable,
)
from contacts_client.models.auth import CodeSent, KeySet, SignedIn, SigningKey, Tokens
from contacts_client.models.base import Model, Page
from contacts_client.models.contacts import Contact, ContactList
from contacts_client.models.directory import Company, ContactPoint, LookedUp, PublicProfile
from contacts_client.models.imports import (
    ColumnMapping,
    Import,
    ImportProgress,
    InvitationsRequested,
    Refusal,
    Row,
    Sheet,
    Upload,
)
from contacts_client.models.invitations import Channel, DestinationCountries, Invitation
from contacts_client.models.users import MembershipOffer, User
from contacts_client.retrying import RetryPolicy
from contacts_client.session import SaveTokens
from contacts_client.settings import PlatformSettings

__all__ = [
    "ApiError",
    "AsyncContactsPlatform",
    "Channel",
    "CodeSent",
    "ColumnMapping",
    "Company",
    "Conflict",
    "Contact",
    "ContactList",
    "ContactPoint",
    "ContactsPlatform",
    "DestinationCountries",
    "Forbidden",
    "Gone",
    "Import",
    "ImportProgress",
    "Invalid",
    "Invitation",
    "InvitationsRequested",
    "KeySet",
    "LookedUp",
    "MembershipOffer",
    "Model",
    "NotFound",
    "Page",
    "PlatformSettings",
    "PublicProfile",
    "RateLimited",
    "Refusal",
    "RetryPolicy",
    "Row",
    "SaveTokens",
    "ServerError",
    "Sheet",
    "SignedIn",
    "SigningKey",
    "Tokens",
    "TooLarge",
    "Unauthorized",
    "Unavailable",
    "Upload",
    "User",
]
