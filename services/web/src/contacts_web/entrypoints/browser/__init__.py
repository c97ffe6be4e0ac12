"""The browser's defences: the session cookie, CSRF, the security headers."""
