"""`importer-service`: run the importer service (see README.md for its settings)."""

from contacts_messaging.schema import with_messaging
from contacts_servicekit.runner import run_service

from importer_service.entrypoints.app import OWN_MIGRATIONS, build_app
from importer_service.settings import ImporterSettings


def main() -> None:
    run_service(ImporterSettings, build_app, with_messaging(OWN_MIGRATIONS))
