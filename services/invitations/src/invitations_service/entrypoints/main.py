"""`invitations-service`: run the invitations service (see README.md for its settings)."""

from contacts_servicekit.runner import run_service

from invitations_service.entrypoints.app import build_app
from invitations_service.settings import InvitationsSettings


def main() -> None:
    run_service(InvitationsSettings, build_app)
