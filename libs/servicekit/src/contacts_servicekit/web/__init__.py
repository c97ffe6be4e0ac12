"""The web edge every service shares: the FastAPI app around a service host (`app`), and what
each endpoint needs from a request (`requests`: the caller, a connection or a transaction,
ConnectID parsing). Nothing here knows Kafka: the service host is a protocol (`hosted.Host`),
which `contacts_messaging.host.ServiceHost` implements."""
