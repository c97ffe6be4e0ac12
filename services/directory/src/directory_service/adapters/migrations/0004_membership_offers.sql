-- Membership needs the user's consent: a company admin's add is an offer the user answers.

CREATE TABLE membership_offers (
    offer_id    uuid PRIMARY KEY,
    company_id  uuid NOT NULL REFERENCES companies (company_id),
    user_id     uuid NOT NULL REFERENCES users (user_id),
    role        text NOT NULL CHECK (role IN ('member', 'admin')),
    offered_by  uuid NOT NULL REFERENCES users (user_id),
    -- 'pending' past expires_at reads as expired; the row is marked when the company offers again.
    status      text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'expired')),
    offered_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    answered_at timestamptz
);
-- One pending offer per company and user: an admin's repeated add returns it.
CREATE UNIQUE INDEX membership_offers_pending ON membership_offers (company_id, user_id)
    WHERE status = 'pending';
-- A user's list of pending offers.
CREATE INDEX membership_offers_user ON membership_offers (user_id, offered_at)
    WHERE status = 'pending';
