"""Who is calling: what a verified token says about its caller."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: str
    tenant_id: str | None
    company_id: str | None
    roles: frozenset[str]

    def has_role(self, role: str) -> bool:
        """Whether the token granted ``role``."""
        return role in self.roles
