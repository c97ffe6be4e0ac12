-- Take these accounts' locks exclusively until the transaction ends, in the order
-- `hold_accounts_open` takes them (by id). A consumer batch that takes every account its
-- events need first, in one call, never waits in a cycle with another that does the same
-- (accounts/batch_locks.py): taken event by event, a batch of profile changes and a batch of
-- additions each held an account the other wanted next while waiting on a row the other had
-- written, and Postgres broke the deadlock by failing one (retried, a second lost each time).
CREATE FUNCTION hold_accounts_exclusively(accounts uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    account uuid;
    key integer[];
BEGIN
    FOR account IN SELECT DISTINCT a FROM unnest(accounts) AS a ORDER BY a LOOP
        key := account_lock_key(account);
        PERFORM pg_advisory_xact_lock(key[1], key[2]);
    END LOOP;
END
$$;
