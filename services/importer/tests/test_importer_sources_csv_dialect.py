"""A CSV file's encoding and delimiter, from its first bytes."""

from __future__ import annotations

import pytest
from importer_service.adapters.sources.csv_dialect import (
    CsvDialect,
    decode_head,
    detect_csv,
    guess_delimiter,
)

pytestmark = pytest.mark.unit

ROWS = [
    ["Nom", "Prénom", "Téléphone", "Société"],
    ["Dupont", "Zoë", "+33 6 12 34 56 78", "Ça & Là"],
    ["Müller", "Jürgen", "0151 2345678", "Straße"],
]
ENCODINGS = {  # how the file is written -> what is detected
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16-le",  # Python writes little-endian with its mark
    "utf-16-be-bom": "utf-16-be",
    "cp1252": "cp1252",
}


def encoded(text: str, how: str) -> bytes:
    if how == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(how)


def csv_text(delimiter: str, rows: list[list[str]] = ROWS, newline: str = "\r\n") -> str:
    return "".join(delimiter.join(row) + newline for row in rows)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("how", ENCODINGS)
def test_every_encoding_and_delimiter_is_recognised(how: str, delimiter: str) -> None:
    assert detect_csv(encoded(csv_text(delimiter), how)) == CsvDialect(ENCODINGS[how], delimiter)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ('Name,Phone\n"Dupont; Jean",0612\n"Martin; Léa",0613\n', ","),
        ('Name;Phone;Amount\n"Dupont, Jean";0612;1,5\nMartin;0613;2,75\nRoux;0614;3\n', ";"),
        ("Name\tPhone\tNote\nDupont, Jean\t0612\ta;b\nMartin\t0613\t\n", "\t"),
        ('Name|Phone\n"He said ""a|b"""|0612\nMartin|0613\n', "|"),
        (
            'Name,Address,Phone\nDupont,"1 rue X;\nParis; France",0612\nMartin,"2; rue Y",0613\n',
            ",",
        ),
        ("Phone\n+33 6 12 34 56 78\n(020) 7123-4567\n06.12.34.56.78\n", ","),
        ("Nom;Prénom;Tél\nO'Neil;5'11\";0612\nRoux;Léa;0613\n", ";"),
    ],
)
def test_the_delimiter_is_the_one_consistent_outside_quotes(text: str, delimiter: str) -> None:
    assert guess_delimiter(text) == delimiter


def test_excel_sep_hint_names_the_delimiter_and_is_skipped() -> None:
    assert detect_csv(b"sep=|\r\nA,B|C\r\n1,2|3\r\n") == CsvDialect(
        "utf-8", "|", skip_lines=1, sep_line=True
    )


def test_blank_lines_before_the_header_are_skipped() -> None:
    assert detect_csv(b"\r\n  \r\nA;B\r\n1;2\r\n") == CsvDialect("utf-8", ";", skip_lines=2)


def test_a_head_cut_anywhere_still_gives_the_dialect() -> None:
    content = csv_text(";", ROWS * 2000).encode("utf-8")
    for cut in range(4090, 4100):
        assert detect_csv(content[:cut]) == CsvDialect("utf-8", ";")


def test_windows_1252_bytes_it_leaves_undefined_read_as_latin1() -> None:
    assert decode_head(b"caf\xe9 \x81 \x80", "cp1252") == "café \x81 €"


def test_a_byte_order_mark_is_not_part_of_the_text() -> None:
    assert decode_head(b"\xef\xbb\xbfA,B", "utf-8-sig") == "A,B"
    assert decode_head("A,B".encode("utf-16"), "utf-16-le") == "A,B"
