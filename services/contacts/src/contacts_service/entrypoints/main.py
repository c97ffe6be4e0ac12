"""`contacts-service`: run the contacts service (see README.md for its settings)."""

from contacts_messaging.schema import with_messaging
from contacts_servicekit.runner import run_service

from contacts_service.entrypoints.app import OWN_MIGRATIONS, build_app
from contacts_service.settings import ContactsSettings


def main() -> None:
    run_service(ContactsSettings, build_app, with_messaging(OWN_MIGRATIONS))
