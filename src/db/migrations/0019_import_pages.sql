-- 0019: fewer pages written by each bundle the Kanwil imports (a province's year, 30 facilities
-- × 12 months, took 13.7 s; SQLCipher decrypts, checks, encrypts and signs every page it reads
-- or writes, so pages are the cost).

-- A received bundle's bytes in a table of their own. A row of `inbox` is updated when its bundle
-- is decided (its status, answer, aggregates), and SQLite writes an updated row whole: with the
-- bundle in it, every decision read the bundle's pages back and wrote them again. The bytes stay
-- as they came, never changed and never deleted.
CREATE TABLE inbox_bytes (
    inbox INTEGER PRIMARY KEY REFERENCES inbox (id),
    bytes BLOB NOT NULL
) STRICT;
INSERT INTO inbox_bytes (inbox, bytes) SELECT id, bytes FROM inbox;

DROP TRIGGER inbox_fixed;
ALTER TABLE inbox DROP COLUMN bytes;
CREATE TRIGGER inbox_fixed BEFORE UPDATE OF member, seq, period, revision, kind, sha256, received_at ON inbox
BEGIN SELECT RAISE(ABORT, 'a received bundle does not change'); END;

CREATE TRIGGER inbox_bytes_fixed BEFORE UPDATE ON inbox_bytes
BEGIN SELECT RAISE(ABORT, 'a received bundle does not change'); END;
CREATE TRIGGER inbox_bytes_no_delete BEFORE DELETE ON inbox_bytes
BEGIN SELECT RAISE(ABORT, 'a received bundle is never deleted'); END;

-- The people served, found by the pseudonym's first 8 bytes, not its 64 hex digits (the query
-- compares the whole pseudonym after). A bundle's pseudonyms land all over its month's part of
-- this index, so each bundle writes most of that part again: entries of about 30 bytes, not 85,
-- make it a third as many pages.
DROP INDEX served_person_find;
CREATE INDEX served_person_key ON served_person (period, what, unhex(substr(pseudonym, 1, 16)));
