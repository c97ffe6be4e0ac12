"""The importer service: Imports of pasted numbers and CSV/XLS/XLSX lists, a status per row."""
