# ruff: noqa: RUF001 - names in Cyrillic and other scripts are what these files hold
"""CSV files saved in a code page, not UTF-8: the encoding is detected (charset-normalizer)
and every name comes out right; a person's choice of encoding wins."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.tables import Table, open_table
from importer_service.adapters.sources.text_encoding import canonical_encoding

pytestmark = pytest.mark.unit

LISTS = {  # (encoding the file is saved in, what it must read as: cp932 is Windows' Shift-JIS)
    ("cp1251", "cp1251"): "Имя;Фамилия;Мобильный\nИван;Петров;+7 912 345 67 89\n"
    "Ольга;Смирнова;+7 912 345 67 80\nЁлка;Щукина;+7 912 345 67 81\n",
    ("iso8859_2", "iso8859-2"): "Imię;Nazwisko;Telefon\nŁukasz;Żółkiewski;+48 512 345 678\n"
    "Agnieszka;Wąsowicz;+48 512 345 679\nŚwiętosław;Źdźbło;+48 512 345 670\n",
    ("shift_jis", "cp932"): "名前,姓,携帯電話\n太郎,山田,090-1234-5678\n花子,佐藤,090-1234-5679\n",
    ("gbk", "gb18030"): "名字,姓氏,手机\n伟,王,138 0013 8000\n芳,李,138 0013 8001\n",
    ("cp1252", "cp1252"): "Prénom;Nom;Téléphone\nRené;Müller;06 12 34 56 78\n"
    "Françoise;Gößmann;06 12 34 56 79\nHélène;Bœuf;06 12 34 56 70\n",
}


def opened(tmp_path: Path, content: bytes, encoding: str | None = None) -> Table:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    return open_table(path, FileFormat.CSV, SourceLimits(), encoding=encoding)


def read_back(table: Table) -> list[list[str]]:
    return [table.headers] + [row for _, rows in table.batches() for row in rows]


@pytest.mark.parametrize(("saved_in", "read_as"), list(LISTS))
def test_a_list_saved_in_a_code_page_comes_out_right(
    tmp_path: Path, saved_in: str, read_as: str
) -> None:
    text = LISTS[(saved_in, read_as)]
    delimiter = ";" if ";" in text else ","
    with opened(tmp_path, text.encode(saved_in)) as table:
        assert table.encoding == read_as
        assert read_back(table) == [line.split(delimiter) for line in text.splitlines()]


def test_a_file_utf8_at_first_and_in_a_code_page_further_on_gets_the_later_bytes_encoding(
    tmp_path: Path,
) -> None:
    head = "Phone,Name\n" + "".join(f"+7912345{n:04d},Ivan\n" for n in range(30_000))
    tail = "+79120000000,Ёлка Щукина\n+79120000001,Ольга Смирнова\n"
    with opened(tmp_path, head.encode() + tail.encode("cp1251")) as table:
        assert table.encoding == "cp1251"
        assert read_back(table)[-2:] == [["+79120000000", "Ёлка Щукина"],
                                         ["+79120000001", "Ольга Смирнова"]]  # fmt: skip


def test_the_encoding_a_person_chooses_wins_over_the_detected_one(tmp_path: Path) -> None:
    text = "Name;Mobile\nČeněk Dvořák;+420 601 123 456\n"  # reads in cp1252 too, wrongly
    with opened(tmp_path, text.encode("cp1250"), "cp1250") as table:
        assert table.encoding == "cp1250" and read_back(table)[1][0] == "Čeněk Dvořák"


def test_a_chosen_encoding_the_file_is_not_in_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        opened(tmp_path, "Name,Mobile\nZoë,0612\n".encode("cp1252"), "utf-8")
    assert refused.value.code == "bad_encoding" and "encoding" in refused.value.message


@pytest.mark.parametrize(
    ("typed", "codec"),
    [("windows-1251", "cp1251"), ("Shift_JIS", "shift_jis"), ("latin-1", "iso8859-1"),
     ("GBK", "gbk"), ("UTF-8", "utf-8"), ("rot13", None), ("klingon", None)],
)  # fmt: skip
def test_an_encoding_as_a_person_types_it(typed: str, codec: str | None) -> None:
    assert canonical_encoding(typed) == codec
