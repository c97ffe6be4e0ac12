"""Sending invitations, in one package: from a request to a message with the provider.

- `requests.py`: the consumer of InvitationRequested; it only queues each request
  (`queue.py`, the `invitation_requests` table).
- `processor.py`: takes the queue a batch at a time; `decide.py` turns a batch into
  invitations, each with its first message queued, or refusals (the rules:
  domain/request_batch.py).
- `worker.py`: the delivery worker, claiming queued messages (the `deliveries` table, in
  adapters/deliveries_repository.py) and sending many at once at the provider's rate
  (`pacing.py`);
  `results.py` records what the provider answered, `status.py` what its callback reports
  later.

Invitations made through the API queue their messages the same way (handlers/inviting.py);
expiry is a task of its own (handlers/expiry.py).
"""
