"""`contacts-status`: the state of the platform at a glance (services, outboxes, consumer lag,
dead letters)."""
