"""The web app: the seed's "Manage contacts" screens, server-rendered, over the platform's APIs."""
