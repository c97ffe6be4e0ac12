"""`make docs`: the event catalogue (AsyncAPI) and each service's HTTP API (OpenAPI), generated
from the code into docs/generated/ (not committed, so it can never go stale)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from contacts_events.asyncapi import build_document
from contacts_messaging.topic_plan import default_topic_binding

OUT = Path(__file__).resolve().parents[1] / "docs" / "generated"
SERVICES = ("directory", "contacts", "importer", "invitations")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    document = build_document(topic_binding=default_topic_binding)
    (OUT / "asyncapi.json").write_text(json.dumps(document, indent=2) + "\n")
    for name in SERVICES:
        app_module = importlib.import_module(f"{name}_service.entrypoints.app")
        settings_module = importlib.import_module(f"{name}_service.settings")
        settings_class = getattr(settings_module, f"{name.capitalize()}Settings")
        app = app_module.build_app(settings_class())  # building the app opens no connection
        (OUT / f"openapi-{name}.json").write_text(json.dumps(app.openapi(), indent=2) + "\n")
    print(f"wrote {', '.join(sorted(p.name for p in OUT.iterdir()))} to {OUT}")


if __name__ == "__main__":
    main()
