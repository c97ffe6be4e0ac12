"""The app's words in the reader's language: the catalogue, refusals, reasons, numbers."""
