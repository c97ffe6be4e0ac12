"""Realistic, varied display names for the contacts benchmark: first and last names from many
languages (with accents and non-Latin-1 letters), drawn with a skewed (Zipf-like) frequency so
that some names and prefixes are common and most are rare, as in a real address book.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

FIRST_NAMES = [
    "Maria", "María", "Marie", "Mariam", "Marta", "Martina", "Martin", "Martín", "Mark", "Marco",
    "Marcos", "Markus", "Mateo", "Matteo", "Mathilde", "Matthias", "Max", "Maxime", "Maya",
    "Mehmet", "Mei", "Mia", "Michael", "Michał", "Miguel", "Mikael", "Milan", "Mohamed",
    "Muhammad", "Anna", "Anne", "Ana", "André", "Andrea", "Andrés", "Andreas", "Angela", "Ángel",
    "Antoine", "Antonio", "Aleksandra", "Alexander", "Alexandre", "Ali", "Alice", "Amélie", "Amir",
    "Ayşe", "Aurélie", "Ahmed", "Aino", "Ben", "Benjamin", "Béatrice", "Bruno", "Björn", "Carlos",
    "Carla", "Camille", "Catherine", "Cédric", "Chloé", "Chen", "Chiara", "Christian", "Claire",
    "Clément", "Daniel", "Daniela", "Dávid", "David", "Diego", "Dmitri", "Dorothée", "Elena",
    "Elif", "Élise", "Élodie", "Emil", "Emilia", "Emily", "Emma", "Enzo", "Eric", "Erik", "Eva",
    "Fabien", "Fatima", "Felipe", "Felix", "Fernando", "Florian", "François", "Françoise",
    "Frédéric", "Gabriel", "Gaëlle", "Giulia", "Giovanni", "Grégoire", "Hannah", "Hans", "Hélène",
    "Henrik", "Hugo", "Ingrid", "Inès", "Isabel", "Isabelle", "Ivan", "Jakub", "Jan", "Javier",
    "Jean", "Jean-Pierre", "Jérôme", "João", "Jonas", "Jordi", "José", "Juan", "Julia", "Julien",
    "Jürgen", "Karl", "Katarzyna", "Kenji", "Laura", "Léa", "Léon", "Lars", "Lucas", "Lucía",
    "Luis", "Łukasz", "Magnus", "Manon", "Małgorzata", "Noémie", "Nicolás", "Nikolai", "Nina",
    "Noah", "Olga", "Olivier", "Oscar", "Paula", "Paulo", "Pedro", "Pierre", "Piotr", "Rafael",
    "Raphaël", "Renée", "Ricardo", "Rosa", "Sakura", "Samuel", "Sara", "Sarah", "Sébastien",
    "Seo-yeon", "Sofía", "Sophie", "Søren", "Stefan", "Šárka", "Thomas", "Tomás", "Théo", "Ursula",
    "Valentina", "Véronique", "Victor", "Wei", "Yasmin", "Yusuf", "Zoé", "Zoë"
]  # fmt: skip

LAST_NAMES = [
    "García", "Martínez", "Martin", "Müller", "Martins", "Marchand", "Marino", "Marković", "Mazur",
    "Meyer", "Moreau", "Morales", "Moreno", "Murphy", "Nguyễn", "Nowak", "Novák", "Olsen", "Ortiz",
    "Papadopoulos", "Pereira", "Pérez", "Petit", "Petrov", "Popescu", "Ramírez", "Rossi",
    "Rodríguez", "Romano", "Roux", "Russo", "Sánchez", "Santos", "Schmidt", "Schneider", "Schulz",
    "Silva", "Smith", "Sørensen", "Suárez", "Svensson", "Szabó", "Tanaka", "Torres", "Türk",
    "Wagner", "Wang", "Weber", "Wójcik", "Yılmaz", "Zhang", "Álvarez", "Andersson", "Anderson",  # noqa: RUF001 - Turkish dotless i
    "Bauer", "Becker", "Bernard", "Bianchi", "Blanco", "Bouchard", "Brown", "Caron", "Castro",
    "Çelik", "Chen", "Costa", "Dąbrowski", "Dubois", "Dupont", "Durand", "Díaz", "Écuyer",
    "Fernández", "Ferreira", "Fischer", "Fontaine", "Fournier", "Gómez", "González", "Gonçalves",
    "Hansen", "Hernández", "Hoffmann", "Horváth", "Ivanov", "Jensen", "Jiménez", "Johansson",
    "Johnson", "Jones", "Kaya", "Keller", "Kim", "Klein", "Koch", "Kowalski", "Kovač", "Kumar",
    "Larsen", "Laurent", "Lefèvre", "Lemaire", "Leroy", "Lewandowski", "López", "Lindqvist",
    "Łukaszewicz", "Mercier", "Mathieu", "Michel", "Navarro", "Nielsen", "O'Brien", "Ødegaard",
    "Öztürk", "Richter", "Rousseau", "Ruiz", "Sato", "Schäfer", "Søndergaard", "Vidal", "Vincent",
    "Wolf", "Zieliński", "Žemaitis"
]  # fmt: skip

MIDDLE_INITIALS = "ABCDEFGHJKLMNPRST"
CONTACT_POINT_NAMES = [
    "Reception", "Front Desk", "IT Helpdesk", "Facilities", "Security Desk", "HR Service Centre",
    "Payroll", "Mail Room", "Travel Desk", "Accounts Payable", "Legal Office", "Press Office",
    "Switchboard", "Café", "Événements", "Logistique", "Empfang", "Recepción", "Accueil",
    "Service Desk",
]  # fmt: skip
SITES = ["Paris", "Berlin", "Madrid", "Lyon", "München", "São Paulo", "Zürich", "Kraków", "Oslo"]


def _zipf_weights(count: int, exponent: float = 0.5) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


class NameMaker:
    """Display names from one seeded random generator: repeatable from run to run."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        firsts, lasts = FIRST_NAMES[:], LAST_NAMES[:]
        self.rng.shuffle(firsts)  # which names are the frequent ones is itself random
        self.rng.shuffle(lasts)
        self._firsts, self._lasts = firsts, lasts
        self._first_cum = list(itertools.accumulate(_zipf_weights(len(firsts))))
        self._last_cum = list(itertools.accumulate(_zipf_weights(len(lasts))))

    def _pick(self, names: Sequence[str], cumulative: list[float]) -> str:
        return self.rng.choices(names, cum_weights=cumulative)[0]

    def person(self) -> str:
        """`Élodie Lefèvre`, sometimes with a middle initial, a double last name, or typed in
        lower case (sorting and search fold case and accents)."""
        first = self._pick(self._firsts, self._first_cum)
        last = self._pick(self._lasts, self._last_cum)
        roll = self.rng.random()
        if roll < 0.08:
            last = f"{last} {self._pick(self._lasts, self._last_cum)}"
        elif roll < 0.15:
            first = f"{first} {self.rng.choice(MIDDLE_INITIALS)}."
        name = f"{first} {last}"
        return name.lower() if self.rng.random() < 0.02 else name

    def contact_point(self, number: int) -> str:
        base = CONTACT_POINT_NAMES[number % len(CONTACT_POINT_NAMES)]
        site = SITES[(number // len(CONTACT_POINT_NAMES)) % len(SITES)]
        return base if number < len(CONTACT_POINT_NAMES) else f"{base} {site}"

    def company(self, number: int) -> str:
        return f"{self._pick(self._lasts, self._last_cum)} & Co {number}"
