"""`directory-service`: run the directory service (see README.md for its settings)."""

from contacts_messaging.schema import with_messaging
from contacts_servicekit.runner import run_service

from directory_service.entrypoints.app import OWN_MIGRATIONS, build_app
from directory_service.settings import DirectorySettings


def main() -> None:
    run_service(DirectorySettings, build_app, with_messaging(OWN_MIGRATIONS))
