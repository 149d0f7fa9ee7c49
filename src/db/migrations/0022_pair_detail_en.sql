-- 0022: a duplicate pair's finding kept in English as well as Indonesian, so that the Duplikat
-- screen speaks the user's language (pairs found before keep their Indonesian only).
ALTER TABLE duplicate_pair ADD COLUMN detail_en TEXT NOT NULL DEFAULT '';

DROP TRIGGER text_limits_duplicate_pair_insert;
CREATE TRIGGER text_limits_duplicate_pair_insert BEFORE INSERT ON duplicate_pair
BEGIN
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.detail') WHERE length(NEW.detail) > 4000;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.detail_en') WHERE length(NEW.detail_en) > 4000;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.found_at') WHERE length(NEW.found_at) > 40;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.resolved_by') WHERE length(NEW.resolved_by) > 32;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.resolved_at') WHERE length(NEW.resolved_at) > 40;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.note') WHERE length(NEW.note) > 500;
END;

DROP TRIGGER text_limits_duplicate_pair_update;
CREATE TRIGGER text_limits_duplicate_pair_update BEFORE UPDATE ON duplicate_pair
BEGIN
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.detail') WHERE length(NEW.detail) > 4000;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.detail_en') WHERE length(NEW.detail_en) > 4000;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.found_at') WHERE length(NEW.found_at) > 40;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.resolved_by') WHERE length(NEW.resolved_by) > 32;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.resolved_at') WHERE length(NEW.resolved_at) > 40;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.note') WHERE length(NEW.note) > 500;
END;
