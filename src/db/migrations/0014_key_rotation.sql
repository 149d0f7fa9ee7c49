-- 0014: a facility changes its signing key (key rotation). The facility keeps every key it has
-- retired (public half only: the secret is destroyed), so BASTs and summaries signed before the
-- change still check; the statement of the change, signed by the old key and by the new, goes to
-- the Kanwil, which retires the old key from the seq the statement names.

CREATE TABLE facility_key_history (
    id          INTEGER PRIMARY KEY,
    public_key  BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
    fingerprint TEXT NOT NULL CHECK (fingerprint IS NULL OR length(fingerprint) = 19),
    retired_at  TEXT NOT NULL,
    retired_on  TEXT NOT NULL CHECK (retired_on IS NULL OR length(retired_on) = 10),
    retired_by  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    -- The highest bundle seq this key signed (NULL: it signed none).
    last_seq    INTEGER CHECK (last_seq IS NULL OR last_seq >= 1),
    -- The rotation statement (the file that goes to the Kanwil), as made.
    statement   BLOB NOT NULL
) STRICT;

CREATE TRIGGER facility_key_history_fixed BEFORE UPDATE ON facility_key_history
BEGIN SELECT RAISE(ABORT, 'a retired key is never changed'); END;
CREATE TRIGGER facility_key_history_no_delete BEFORE DELETE ON facility_key_history
BEGIN SELECT RAISE(ABORT, 'a retired key is never deleted'); END;

-- Kanwil: a key retired by its facility's statement signs no bundle after `last_seq`.
ALTER TABLE member_key ADD COLUMN retired_at TEXT;
ALTER TABLE member_key ADD COLUMN last_seq INTEGER CHECK (last_seq IS NULL OR last_seq >= 0);
ALTER TABLE member_key ADD COLUMN statement BLOB;

CREATE TRIGGER text_limits_facility_key_history_insert BEFORE INSERT ON facility_key_history
BEGIN
    SELECT RAISE(ABORT, 'text too long: facility_key_history.retired_at') WHERE length(NEW.retired_at) > 40;
    SELECT RAISE(ABORT, 'text too long: facility_key_history.retired_by') WHERE length(NEW.retired_by) > 32;
    SELECT RAISE(ABORT, 'text too long: facility_key_history.reason') WHERE length(NEW.reason) > 500;
END;

CREATE TRIGGER text_limits_facility_key_history_update BEFORE UPDATE ON facility_key_history
BEGIN
    SELECT RAISE(ABORT, 'text too long: facility_key_history.retired_at') WHERE length(NEW.retired_at) > 40;
    SELECT RAISE(ABORT, 'text too long: facility_key_history.retired_by') WHERE length(NEW.retired_by) > 32;
    SELECT RAISE(ABORT, 'text too long: facility_key_history.reason') WHERE length(NEW.reason) > 500;
END;

DROP TRIGGER text_limits_member_key_insert;
DROP TRIGGER text_limits_member_key_update;

CREATE TRIGGER text_limits_member_key_insert BEFORE INSERT ON member_key
BEGIN
    SELECT RAISE(ABORT, 'text too long: member_key.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.revoked_at') WHERE length(NEW.revoked_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.retired_at') WHERE length(NEW.retired_at) > 40;
END;

CREATE TRIGGER text_limits_member_key_update BEFORE UPDATE ON member_key
BEGIN
    SELECT RAISE(ABORT, 'text too long: member_key.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.revoked_at') WHERE length(NEW.revoked_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.retired_at') WHERE length(NEW.retired_at) > 40;
END;

-- Kanwil: a key once retired stays retired, at the seq first named.
CREATE TRIGGER member_key_retired_once BEFORE UPDATE OF retired_at, last_seq ON member_key
WHEN OLD.retired_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a retired key stays retired'); END;
