"""`invitations-service`: run the invitations service (see README.md for its settings)."""

from contacts_messaging.schema import with_messaging
from contacts_servicekit.runner import run_service

from invitations_service.entrypoints.app import OWN_MIGRATIONS, build_app
from invitations_service.settings import InvitationsSettings


def main() -> None:
    run_service(InvitationsSettings, build_app, with_messaging(OWN_MIGRATIONS))
