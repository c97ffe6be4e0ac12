"""Refusals several routes document (`problems(STAFF_ONLY)`), described once."""

STAFF_ONLY = (403, "Needs platform credentials: role service or admin (`staff_only`)")
