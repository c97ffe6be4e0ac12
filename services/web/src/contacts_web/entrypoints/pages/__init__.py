"""The app's pages, one module per screen or step of the seed (their routers, in menu order)."""

from fastapi import APIRouter

from contacts_web.entrypoints.pages import (
    add,
    add_connect_id,
    add_phone,
    contact,
    contacts,
    import_progress,
    import_results,
    imports,
    invitations,
    language,
    list_columns,
    list_review,
    list_upload,
    sign_in,
)

ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router
    for module in (
        sign_in, language,  # signing in, the reader's language
        contacts, contact, invitations,  # Contacts: the lists, a contact's sidebar, invitations
        add, add_phone, add_connect_id,  # Add Contacts: the choice, numbers, a ConnectID
        list_upload, list_columns, list_review,  # ... a list: upload, columns, Review
        imports, import_progress, import_results,  # an import's statuses, progress, results
    )
)  # fmt: skip
