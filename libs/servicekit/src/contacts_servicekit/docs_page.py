"""`/docs`: Swagger UI served by the service itself, so the page works where no CDN can be
reached (a locked-down network, this machine) and runs no third party's script.

The assets come from the `fastapi-offline` package (Swagger UI 5, which reads OpenAPI 3.1;
`swagger-ui-bundle` ships Swagger UI 4, which cannot), under `/docs/assets/`, beside the
page's own start script. The page's Content-Security-Policy allows nothing but the service
itself: no inline script, no other host to load from or connect to (images may also be
`data:` URIs, which Swagger UI's stylesheet uses for its icons).
"""

from __future__ import annotations

from html import escape

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="{assets}/favicon.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body>
</html>
"""


def install_docs(app: FastAPI) -> None:
    """Serve the page at `/docs` and its assets (build the app with `docs_url=None`)."""
    assets = StaticFiles(packages=[("fastapi_offline", "static"), ("contacts_servicekit", "docs_assets")])  # fmt: skip
    app.mount(ASSETS_PATH, assets, name="docs-assets")

    @app.get(DOCS_PATH, include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        page = _PAGE.format(
            title=escape(f"{app.title} - API"),
            assets=escape(root + ASSETS_PATH),
            openapi_url=escape(root + (app.openapi_url or "/openapi.json")),
        )
        headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY,
                   "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}  # fmt: skip
        return HTMLResponse(page, headers=headers)
