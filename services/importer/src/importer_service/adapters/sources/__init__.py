"""Reading what the user gives the importer into rows of text: pasted numbers, and CSV, XLS,
XLSX and ODS files (format sniffing, size and zip-bomb limits, CSV encodings and delimiters,
sheets read in batches, column mapping guesses), plus the CSV writer that neutralises formulas
in every file the platform hands back. Pure Python: no database, Kafka or HTTP here."""
