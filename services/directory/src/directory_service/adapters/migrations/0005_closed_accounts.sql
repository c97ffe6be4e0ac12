-- The accounts closed before closures were also recorded in `closed_accounts` (the messaging
-- migration 0005, which the directory's own closing transaction now writes to): refused too.
-- The reason was not kept on the user row: 'closed_before_recording' says so. No notification
-- per row: every process loads the table when it starts.
ALTER TABLE closed_accounts DISABLE TRIGGER closed_accounts_notify;
INSERT INTO closed_accounts (user_id, reason, closed_at)
SELECT user_id, 'closed_before_recording', coalesce(deactivated_at, updated_at)
FROM users WHERE status = 'deactivated'
ON CONFLICT DO NOTHING;
ALTER TABLE closed_accounts ENABLE TRIGGER closed_accounts_notify;
