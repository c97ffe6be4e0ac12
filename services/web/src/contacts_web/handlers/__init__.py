"""The web app's use cases: signing in, keeping a session's tokens fresh."""
