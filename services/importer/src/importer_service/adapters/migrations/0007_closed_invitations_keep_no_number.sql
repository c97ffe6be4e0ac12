-- A closed invitation (accepted, cancelled, expired) keeps no number: statuses read only open
-- ones, and an accepted invitation's number belongs to a user, whose closure must leave no
-- copy of it (docs/data-retention.md). The projection now empties it when it closes.
UPDATE pending_invitations SET phone_e164 = NULL WHERE closed AND phone_e164 IS NOT NULL;
