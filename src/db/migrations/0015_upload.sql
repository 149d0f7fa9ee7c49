-- 0015: the facility's upload to its Kanwil's inbox server. Each bundle keeps how often it was
-- tried, when it may be tried again, the last error, and whether the server refused it outright
-- (then it is not tried again until a person asks).

ALTER TABLE bundle ADD COLUMN upload_tries INTEGER NOT NULL DEFAULT 0 CHECK (upload_tries >= 0);
ALTER TABLE bundle ADD COLUMN next_try_at TEXT;
ALTER TABLE bundle ADD COLUMN last_error TEXT;
ALTER TABLE bundle ADD COLUMN upload_stopped INTEGER NOT NULL DEFAULT 0 CHECK (upload_stopped IN (0, 1));
ALTER TABLE bundle ADD COLUMN uploaded_at TEXT;

DROP TRIGGER text_limits_bundle_insert;
DROP TRIGGER text_limits_bundle_update;

CREATE TRIGGER text_limits_bundle_insert BEFORE INSERT ON bundle
BEGIN
    SELECT RAISE(ABORT, 'text too long: bundle.made_at') WHERE length(NEW.made_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.sent_at') WHERE length(NEW.sent_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.sent_to') WHERE length(NEW.sent_to) > 1000;
    SELECT RAISE(ABORT, 'text too long: bundle.answered_at') WHERE length(NEW.answered_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.next_try_at') WHERE length(NEW.next_try_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.last_error') WHERE length(NEW.last_error) > 1000;
    SELECT RAISE(ABORT, 'text too long: bundle.uploaded_at') WHERE length(NEW.uploaded_at) > 40;
END;

CREATE TRIGGER text_limits_bundle_update BEFORE UPDATE ON bundle
BEGIN
    SELECT RAISE(ABORT, 'text too long: bundle.made_at') WHERE length(NEW.made_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.sent_at') WHERE length(NEW.sent_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.sent_to') WHERE length(NEW.sent_to) > 1000;
    SELECT RAISE(ABORT, 'text too long: bundle.answered_at') WHERE length(NEW.answered_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.next_try_at') WHERE length(NEW.next_try_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.last_error') WHERE length(NEW.last_error) > 1000;
    SELECT RAISE(ABORT, 'text too long: bundle.uploaded_at') WHERE length(NEW.uploaded_at) > 40;
END;
