"""HTTP: the app, its pages, the browser-facing security."""
