"""A large contact list with a realistic mix of rows, and the status each row must end with.

Row `i` (0-based; the file's row number is i + 2, the header being row 1) holds UK mobile
`+44 <block> <i:06d>`, written the national way (`07701 000123`), except:

| rows | what | expected status |
|---|---|---|
| i % 100 == 7 | a registered user's number (1 %) | `user_added` |
| i % 20 == 3 | a number cut short (5 %) | `invalid` |
| i % 25 == 4 | the number of row i - 13, a ready row (4 %) | `duplicate_in_import` |
| the rest | a valid mobile of nobody (90 %) | `ready_to_invite` |

Of the ready rows, those with i % 40 == 10 are invited (2.5 % of the rows), and the invitees
of rows with i % 400 == 10 register while the invitations go out, which must make them
contacts of the importer. Each test takes its own `block` (e.g. 7701), so numbers never meet
another test's registered users.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class BulkMix:
    rows: int
    block: str  # the 4 digits after +44, e.g. "7701": 1,000,000 numbers

    def phone(self, i: int) -> str:
        return f"+44{self.block}{i:06d}"

    def status(self, i: int) -> str:
        if i % 100 == 7:
            return "user_added"
        if i % 20 == 3:
            return "invalid"
        if i % 25 == 4 and i >= 25:
            return "duplicate_in_import"
        return "ready_to_invite"

    def raw(self, i: int) -> str:
        status = self.status(i)
        if status == "invalid":
            return f"+44 {self.block} {i % 100}"
        n = i - 13 if status == "duplicate_in_import" else i
        return f"0{self.block} {n:06d}"

    def csv(self) -> bytes:
        lines = ["Name,Mobile"]
        lines += [f"Person {i},{self.raw(i)}" for i in range(self.rows)]
        return ("\n".join(lines) + "\n").encode()

    @cached_property
    def statuses(self) -> dict[int, str]:
        """Row number (as the importer counts them) -> expected status."""
        return {i + 2: self.status(i) for i in range(self.rows)}

    @cached_property
    def counts(self) -> Counter[str]:
        return Counter(self.statuses.values())

    @cached_property
    def registered(self) -> list[str]:
        """Numbers to register before the import: their rows are `user_added`."""
        return [self.phone(i) for i in range(self.rows) if self.status(i) == "user_added"]

    @cached_property
    def invited_rows(self) -> list[int]:
        """Row numbers to pass to "Invite contact"."""
        return [i + 2 for i in range(self.rows) if i % 40 == 10]

    @cached_property
    def invited(self) -> list[str]:
        return [self.phone(row - 2) for row in self.invited_rows]

    @cached_property
    def joiners(self) -> list[str]:
        """Invited numbers whose owners register while the invitations go out."""
        return [self.phone(i) for i in range(self.rows) if i % 400 == 10]
