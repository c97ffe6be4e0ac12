-- Accounts closed before closures erased the person's number and email (adapters/erasure.py):
-- erase them now, as a closure does today. The user rows stay, with the redaction marker.
DELETE FROM one_time_codes c USING users u
    WHERE u.status = 'deactivated'
      AND (c.user_id = u.user_id OR c.destination IN (u.phone_e164, u.email));
UPDATE users SET phone_e164 = 'erased', email = NULL WHERE status = 'deactivated';
