"""What a column header says, in English, French, German, Spanish, Italian, Portuguese and
Dutch, and in the exports of Google Contacts, Outlook, vCard-to-CSV tools and HubSpot.

`classify(header)` answers (field, score): the higher the score, the better the column fits;
0 (never returned) would be "not this field". Headers are compared without case, accents or
punctuation: "Téléphone portable", "TELEPHONE-PORTABLE" and "telephone portable" are one.
"""

from __future__ import annotations

import re
import unicodedata

MOBILE = 3  # a mobile phone column is the best phone column: SMS reach it
PLAIN = 2
WEAK = 1  # a home or business phone, an address's country, a vCard N

MOBILE_STEMS = ("mobil", "mobiel", "cell", "celul", "celular", "handy", "portable", "movil",
                "telemovel", "gsm", "natel", "smartphone")  # fmt: skip
PHONE_STEMS = ("phone", "telefo", "telepho", "telfon")
PHONE_WORDS = {"tel", "tlf", "tfno", "tno", "fone", "msisdn", "whatsapp"}
PHONE_QUALIFIERS = {
    "home", "business", "work", "office", "company", "main", "other", "assistant", "car",
    "radio", "tty", "tdd", "landline", "domicile", "bureau", "fixe", "travail", "professionnel",
    "festnetz", "privat", "geschaftlich", "buro", "arbeit", "casa", "trabajo", "oficina", "fijo",
    "ufficio", "lavoro", "fisso", "trabalho", "escritorio", "fixo", "thuis", "werk", "kantoor",
    "vast",
}  # fmt: skip
NOT_A_PHONE = {"fax", "telefax", "pager", "type", "label", "typ", "tipo", "etiquette", "ext",
               "extension", "country", "code", "prefix", "indicatif", "vorwahl", "phonetic"}  # fmt: skip
EMAIL_WORDS = {"email", "mail", "courriel", "correo", "mel", "elettronica"}
NOT_AN_EMAIL = {"type", "label", "display", "name", "typ", "tipo"}
COUNTRY_WORDS = {"country", "pays", "land", "pais", "paese", "nazione"}
COUNTRY_QUALIFIERS = {"home", "business", "work", "other", "mailing", "billing", "shipping"}
FIRST_NAME = {"first name", "firstname", "first", "given name", "givenname", "forename", "fname",
              "prenom", "vorname", "nombre de pila", "primer nombre", "nome proprio",
              "primeiro nome", "voornaam", "roepnaam"}  # fmt: skip
LAST_NAME = {"last name", "lastname", "last", "family name", "familyname", "surname", "lname",
             "nom de famille", "nachname", "familienname", "zuname", "apellido", "apellidos",
             "cognome", "sobrenome", "apelido", "ultimo nome", "achternaam"}  # fmt: skip
DISPLAY_NAME = {"full name", "fullname", "display name", "displayname", "contact name",
                "contact", "nom complet", "nom et prenom", "prenom et nom", "nom prenom",
                "prenom nom", "vollstandiger name", "anzeigename", "nombre completo",
                "nome completo", "volledige naam"}  # fmt: skip
NOT_A_NAME = {"yomi", "phonetic", "furigana", "prefix", "suffix", "middle", "additional",
              "nickname", "maiden", "short", "initials", "company", "account", "organization",
              "organisation", "entreprise", "societe", "firma", "empresa", "azienda", "bedrijf",
              "user", "username", "email", "file", "title"}  # fmt: skip
NAME_PHRASES = {"first_name": FIRST_NAME, "last_name": LAST_NAME, "display_name": DISPLAY_NAME}
GENERIC = {"first", "last", "contact"}  # names only when the whole header: "Last Contacted"
# A word whose meaning depends on its neighbours: ("nom", "Prénom") is a last name, ("nom")
# alone a full name. word -> (the partner column, what the word is beside it).
AMBIGUOUS = {
    "nom": ("first_name", "last_name"),
    "name": ("first_name", "last_name"),
    "naam": ("first_name", "last_name"),
    "nombre": ("last_name", "first_name"),
    "nome": ("last_name", "first_name"),
}
_VCARD = re.compile(r"(?:item\d+\.)?(TEL|EMAIL|FN|N)((?:;[^;]*)*)", re.IGNORECASE)


def normalise(header: str) -> str:
    """Lower case, no accents, "e-mail" as "email", words separated by single spaces."""
    text = unicodedata.normalize("NFKD", header)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = re.sub(r"\be[\s_.\-]*mail", "email", text)
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def classify(header: str, vcard_style: bool = False) -> tuple[str, int] | None:
    """The field `header` names and how well, or None. `vcard_style`: the headers come from a
    vCard-to-CSV tool (`FN`, `TEL;TYPE=CELL`), where a lone `N` is a structured name."""
    vcard = _VCARD.fullmatch(header.strip())
    if vcard and (vcard_style or vcard.group(1).upper() != "N"):
        return _vcard_field(vcard.group(1).upper(), vcard.group(2).upper())
    words = normalise(header).split()
    return _phone(words) or _email(words) or _country(words) or _name(" ".join(words), words)


def _vcard_field(name: str, parameters: str) -> tuple[str, int] | None:
    types = set(re.split(r"[;,=]", parameters))
    if name == "TEL":
        if types & {"FAX", "PAGER"}:
            return None
        if types & {"CELL", "MOBILE", "IPHONE"}:
            return "phone", MOBILE
        return "phone", WEAK if types & {"HOME", "WORK", "MAIN"} else PLAIN
    if name == "EMAIL":
        return "email", PLAIN
    return "display_name", PLAIN if name == "FN" else WEAK


def _phone(words: list[str]) -> tuple[str, int] | None:
    if NOT_A_PHONE.intersection(words):
        return None
    if any(word.startswith(MOBILE_STEMS) for word in words):
        return "phone", MOBILE
    if any(word.startswith(PHONE_STEMS) or word in PHONE_WORDS for word in words):
        return "phone", WEAK if PHONE_QUALIFIERS.intersection(words) else PLAIN
    if words in (["numero"], ["number"], ["nummer"]):
        return "phone", WEAK
    return None


def _email(words: list[str]) -> tuple[str, int] | None:
    is_email = any(word in EMAIL_WORDS or word.startswith("email") for word in words)
    return ("email", PLAIN) if is_email and not NOT_AN_EMAIL.intersection(words) else None


def _country(words: list[str]) -> tuple[str, int] | None:
    if not COUNTRY_WORDS.intersection(words):
        return None
    return "country", WEAK if COUNTRY_QUALIFIERS.intersection(words) else PLAIN


def _name(phrase: str, words: list[str]) -> tuple[str, int] | None:
    """The field of the longest name phrase the header holds ("prenom nom" is a full name,
    though it holds "prenom")."""
    if NOT_A_NAME.intersection(words):
        return None
    matches = [(len(candidate), field) for field, phrases in NAME_PHRASES.items()
               for candidate in phrases if _says(phrase, candidate)]  # fmt: skip
    if matches:
        return max(matches)[1], PLAIN
    if phrase in AMBIGUOUS:
        return f"ambiguous:{phrase}", PLAIN
    return None


def _says(phrase: str, candidate: str) -> bool:
    """`phrase` is `candidate`, or holds it as whole words (`prenom du contact`)."""
    if candidate in GENERIC:
        return phrase == candidate
    return f" {candidate} " in f" {phrase} "
