"""The web app's I/O: its session table, the platform's typed client."""
