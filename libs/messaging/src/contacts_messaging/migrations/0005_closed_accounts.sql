-- Accounts the directory closed (UserDeactivated), as this service learnt it: every
-- authenticated request of such a user is refused (accounts/guard.py), and the service's work
-- for them stops. Only known-closed accounts are here; a user never heard of is not refused.
CREATE TABLE closed_accounts (
    user_id   uuid PRIMARY KEY,
    reason    text        NOT NULL,
    closed_at timestamptz NOT NULL DEFAULT now()
);

-- Every process of the service keeps these ids in memory: tell them all when the closing
-- transaction commits. Channel: '<schema>.closed_accounts', payload: the user id.
CREATE FUNCTION closed_accounts_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_TABLE_SCHEMA || '.closed_accounts', NEW.user_id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER closed_accounts_notify AFTER INSERT ON closed_accounts
    FOR EACH ROW EXECUTE FUNCTION closed_accounts_notify();

-- The account lock: work done for an account holds it open (shared) until it commits, and a
-- closure takes it exclusively, so a piece of work either commits before the closure or sees
-- it. Keyed by schema and user (transaction-level advisory locks, two-int key space).
CREATE FUNCTION account_lock_key(account uuid) RETURNS integer[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY[hashtext(current_schema()), hashtext(account::text)]
$$;

-- Close an account (idempotent); true when it was open until now. VOLATILE plpgsql: the
-- INSERT runs with a snapshot taken after the lock was granted; `closed_at` is that moment
-- (not the transaction's start), so work that committed before the closure is older.
CREATE FUNCTION close_account(account uuid, why text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    key integer[] := account_lock_key(account);
BEGIN
    PERFORM pg_advisory_xact_lock(key[1], key[2]);
    INSERT INTO closed_accounts (user_id, reason, closed_at) VALUES (account, why, clock_timestamp())
        ON CONFLICT DO NOTHING;
    RETURN FOUND;
END
$$;

-- Hold these accounts open until the transaction ends; return those already closed. Locks
-- are taken in id order (two callers never wait on each other in a cycle), and the check
-- reads with a snapshot taken after the last lock was granted.
CREATE FUNCTION hold_accounts_open(accounts uuid[]) RETURNS SETOF uuid LANGUAGE plpgsql AS $$
DECLARE
    account uuid;
    key integer[];
BEGIN
    FOR account IN SELECT DISTINCT a FROM unnest(accounts) AS a ORDER BY a LOOP
        key := account_lock_key(account);
        PERFORM pg_advisory_xact_lock_shared(key[1], key[2]);
    END LOOP;
    RETURN QUERY SELECT user_id FROM closed_accounts WHERE user_id = ANY(accounts);
END
$$;
