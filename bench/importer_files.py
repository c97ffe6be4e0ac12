"""The importer bench's contact lists: realistic rows, streamed to a CSV or XLSX file in /tmp.

Every row is first name, last name, mobile number, email. The mix, drawn from one seeded
generator (so a run can be repeated): mostly valid mobiles (French, typed in the formats people
use, and a few foreign ones), about 5% invalid (landlines, too short, too long, letters, empty,
premium-rate), about 2% duplicates of an earlier row (typed differently), the numbers of some
seeded registered users (part of them already the owner's contacts), some numbers the owner
already invited, and the owner's own number once. The generator knows which status each row
must get, so the bench can compare the import's counts with what was meant.

Memory stays bounded: rows are written as they are made (xlsxwriter in constant_memory mode),
and duplicates are drawn from a ring of the last DUPLICATE_RING numbers.
"""

from __future__ import annotations

import csv
import json
import random
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from contacts_names import FIRST_NAMES, LAST_NAMES

GENERATOR_VERSION = 3  # bump when the rows change: cached files are then made again
FILES_DIR = Path("/tmp/importer-bench")  # noqa: S108 - the brief asks for /tmp
HEADERS = ("First name", "Last name", "Mobile phone", "E-mail")
MAPPING = {"first_name": "First name", "last_name": "Last name", "phone": "Mobile phone",
           "email": "E-mail"}  # fmt: skip
RAW_SAMPLE_ROWS = 100_000  # numbers handed to raw_validation_rate
DUPLICATE_RING = 50_000

# Kinds of row and their share; the remainder are new valid mobiles.
P_USER = 0.004  # a seeded registered user's number (while there are unused users)
P_INVITED = 0.002  # a number the owner already invited (while there are unused ones)
P_DUPLICATE = 0.02
INVALID_SHARES = {  # about 5% in all
    "landline": 0.018, "too_short": 0.012, "letters": 0.008, "empty": 0.005,
    "premium": 0.004, "too_long": 0.003,
}  # fmt: skip
P_FOREIGN = 0.05  # of the new valid mobiles

# FR mobile numbers are 6[0-24-8]d or 7[3-9]d then 6 digits (phonenumbers' metadata); a
# number is one of these two-digit starts and 7 more digits: 15 x 10^7 numbers, indexed by k.
FR_STARTS = ("60", "61", "62", "64", "65", "66", "67", "68", "73", "74", "75", "76", "77", "78",
             "79")  # fmt: skip
_SPREAD = 7_654_321  # coprime with 10^7: k -> digits is one-to-one, and looks random
# Disjoint ranges of k, so that the numbers of each group never meet by chance.
ROW_K0, USER_K0, INVITED_K0, OWNER_K = 1_234_567, 20_000_000, 30_000_000, 40_000_000


def fr_digits(k: int) -> str:
    """The 9 national digits of the k-th French mobile number (k < 1.5e8)."""
    start = FR_STARTS[k % len(FR_STARTS)]
    return f"{start}{(k // len(FR_STARTS)) * _SPREAD % 10_000_000:07d}"


def fr_e164(k: int) -> str:
    return f"+33{fr_digits(k)}"


def fr_typed(digits: str, style: int) -> str:
    """A French mobile as people type it (national or international format)."""
    pairs = " ".join(digits[i : i + 2] for i in range(1, 9, 2))
    national = "0" + digits
    match style % 10:
        case 0 | 1 | 2 | 3:
            return f"0{digits[0]} {pairs}"
        case 4 | 5:
            return national
        case 6:
            return f"+33 {digits[0]} {pairs}"
        case 7:
            return "+33" + digits
        case 8:
            return ".".join(national[i : i + 2] for i in range(0, 10, 2))
        case _:
            return (
                f"0033 {digits[0]} {pairs}"
                if style % 20 == 9
                else "-".join(national[i : i + 2] for i in range(0, 10, 2))
            )


@dataclass(frozen=True)
class Population:
    """Who exists before the import: the owner, registered users (the first `contacts` of
    them already the owner's contacts) and numbers with a pending invitation from the owner."""

    seed: int
    users: int = 3000
    contacts: int = 300
    invited: int = 1000

    def _uuid(self, kind: int, n: int) -> uuid.UUID:
        return uuid.UUID(int=random.Random(f"{self.seed}:{kind}:{n}").getrandbits(128), version=4)

    @property
    def owner_id(self) -> uuid.UUID:
        return self._uuid(0, 0)

    @property
    def owner_phone(self) -> str:
        return fr_e164(OWNER_K)

    def user(self, n: int) -> tuple[uuid.UUID, str]:
        return self._uuid(1, n), fr_e164(USER_K0 + n)

    def invitation(self, n: int) -> tuple[uuid.UUID, str]:
        return self._uuid(2, n), fr_e164(INVITED_K0 + n)


@dataclass
class RowMaker:
    """Rows one at a time, and the status each must end with (`expected`)."""

    population: Population
    rows: int
    rng: random.Random = field(init=False)
    expected: Counter[str] = field(default_factory=Counter)
    _ring: list[tuple[str, str]] = field(default_factory=list)
    _next_k: int = ROW_K0
    _next_user: int = 0
    _next_invited: int = 0
    _foreign: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.population.seed * 1_000_003 + self.rows)
        self._owner_row = self.rows // 3

    def __iter__(self) -> Iterator[tuple[str, str, str, str]]:
        for index in range(self.rows):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            yield first, last, self._phone(index), self._email(first, last, index)

    def _phone(self, index: int) -> str:
        rng, pop = self.rng, self.population
        style = rng.randrange(20)
        if index == self._owner_row:
            self.expected["self"] += 1
            return fr_typed(pop.owner_phone[3:], style)
        roll = rng.random()
        if roll < P_USER and self._next_user < pop.users:
            n, self._next_user = self._next_user, self._next_user + 1
            self.expected["already_contact" if n < pop.contacts else "user_added"] += 1
            return fr_typed(pop.user(n)[1][3:], style)
        roll -= P_USER
        if roll < P_INVITED and self._next_invited < pop.invited:
            n, self._next_invited = self._next_invited, self._next_invited + 1
            self.expected["already_invited"] += 1
            return fr_typed(pop.invitation(n)[1][3:], style)
        roll -= P_INVITED
        if roll < P_DUPLICATE and self._ring:
            self.expected["duplicate_in_import"] += 1
            return self._retyped(rng.choice(self._ring), style)
        roll -= P_DUPLICATE
        for kind, share in INVALID_SHARES.items():
            if roll < share:
                self.expected["invalid"] += 1
                return self._invalid(kind, style)
            roll -= share
        self.expected["ready_to_invite"] += 1
        if rng.random() < P_FOREIGN:
            typed = self._foreign_mobile(style)
            digits = ""
        else:
            digits = fr_digits(self._next_k)
            self._next_k += 1
            typed = fr_typed(digits, style)
        if len(self._ring) < DUPLICATE_RING:
            self._ring.append((typed, digits))
        else:
            self._ring[rng.randrange(DUPLICATE_RING)] = (typed, digits)
        return typed

    @staticmethod
    def _retyped(earlier: tuple[str, str], style: int) -> str:
        """The same number typed another way (a French one), or as it was (a foreign one)."""
        typed, digits = earlier
        return fr_typed(digits, style + 3) if digits else typed

    def _foreign_mobile(self, style: int) -> str:
        n, self._foreign = self._foreign, self._foreign + 1
        body = n * _SPREAD % 10_000_000
        match n % 4:
            case 0:  # GB: 7[1-3]dd then 6 digits
                digits = f"7{1 + n % 3}{n * _SPREAD % 10**8:08d}"
                return f"+44 {digits[:4]} {digits[4:]}" if style % 2 else f"+44{digits}"
            case 1:  # DE: 17d then 7 digits
                digits = f"17{n % 10}{body:07d}"
                return f"+49 {digits[:3]} {digits[3:]}" if style % 2 else f"0049{digits}"
            case 2:  # ES: 6 then 8 digits
                digits = f"6{body:07d}{n % 10}"
                return f"+34 {digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:]}"
            case _:  # BE: 4[5-9]d then 6 digits
                digits = f"4{5 + n % 5}{body:07d}"
                return f"+32 {digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:]}"

    def _invalid(self, kind: str, style: int) -> str:
        digits = f"{self.rng.randrange(10**8):08d}"
        pairs = " ".join(digits[i : i + 2] for i in range(0, 8, 2))
        match kind:
            case "landline":
                return f"0{1 + style % 5} {pairs}" if style % 2 else f"+33 {1 + style % 5} {pairs}"
            case "too_short":
                return f"06 {pairs[:8]}"
            case "too_long":
                return f"06 {pairs} {digits[:4]}"
            case "letters":
                return f"06 {pairs[:6]}AB {digits[:2]}" if style % 2 else f"O6 {pairs}"
            case "empty":
                return ""
            case _:  # premium rate
                return f"08 99 {pairs[:8]}"

    def _email(self, first: str, last: str, index: int) -> str:
        roll = self.rng.random()
        if roll < 0.10:
            return ""
        local = f"{_ascii(first)}.{_ascii(last)}"
        if roll < 0.12:
            return f"{local}@"  # malformed, as real lists have
        domain = ("gmail.com", "orange.fr", "yahoo.fr", "outlook.com", "free.fr", "example.org")
        return f"{local}{index % 97}@{domain[index % len(domain)]}"


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in "-'")).replace("'", "")


@dataclass(frozen=True)
class ContactList:
    path: Path
    rows: int
    expected: dict[str, int]  # status -> rows that must end with it

    @property
    def megabytes(self) -> float:
        return self.path.stat().st_size / 1e6


def raw_sample(population: Population, rows: int) -> list[str]:
    """The first RAW_SAMPLE_ROWS numbers of the list (the same generator, nothing written)."""
    maker = RowMaker(population, rows)
    found = []
    for _first, _last, phone, _email in maker:
        found.append(phone)
        if len(found) >= RAW_SAMPLE_ROWS:
            break
    return found


def contact_list(population: Population, rows: int, fmt: str) -> ContactList:
    """The list as a .csv or .xlsx file in FILES_DIR, made once per (seed, rows, version)."""
    FILES_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"contacts-{rows}-s{population.seed}-v{GENERATOR_VERSION}"
    path, meta = FILES_DIR / f"{stem}.{fmt}", FILES_DIR / f"{stem}.{fmt}.json"
    if path.exists() and meta.exists():
        return ContactList(path, rows, json.loads(meta.read_text()))
    maker = RowMaker(population, rows)
    partial = path.with_suffix(f".partial.{fmt}")
    if fmt == "csv":
        with partial.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(HEADERS)
            writer.writerows(maker)
    elif fmt == "xlsx":
        book = xlsxwriter.Workbook(str(partial), {"constant_memory": True})
        sheet = book.add_worksheet("Contacts")
        for column, header in enumerate(HEADERS):
            sheet.write_string(0, column, header)
        for number, row in enumerate(maker, start=1):
            for column, value in enumerate(row):
                if value:
                    sheet.write_string(number, column, value)
        book.close()
    else:
        raise ValueError(f"unknown format {fmt!r}")
    expected = dict(maker.expected)
    assert sum(expected.values()) == rows
    partial.rename(path)
    meta.write_text(json.dumps(expected))
    return ContactList(path, rows, expected)
