"""What the web app knows without I/O: how statuses, refusals and lists are shown."""
