"""`web-service`: run the web app (see README.md for its settings)."""

from contacts_servicekit.runner import run_service

from contacts_web.entrypoints.app import MIGRATIONS, build_app
from contacts_web.settings import WebSettings


def main() -> None:
    run_service(WebSettings, build_app, MIGRATIONS)
