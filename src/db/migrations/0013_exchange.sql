-- 0013: the exchange with the regional office (Kanwil). Both sides of it live in the same program:
-- a facility's database holds its bundles (the outbox), its enrollment and the province key; a
-- Kanwil's database (facility.kind = 'KANWIL', regional mode) holds its member facilities, their
-- keys, every bundle received (the inbox) and the pseudonyms it finds people served twice by.
-- Bundles and received bundles are never deleted, and their bytes never change. A bundle's bytes
-- (up to ~10 MB) are the last column of its row, so listing rows never reads them.

-- The facility row may now be a Kanwil: the table is rebuilt with the wider CHECK.
CREATE TABLE facility_new (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('RUTAN', 'LAPAS', 'LPKA', 'KANWIL')),
    class             TEXT NOT NULL,
    code              TEXT NOT NULL,
    province          TEXT NOT NULL,
    kanwil            TEXT NOT NULL,
    address           TEXT NOT NULL,
    time_zone         TEXT NOT NULL CHECK (time_zone IN ('WIB', 'WITA', 'WIT')),
    head_name         TEXT NOT NULL,
    head_nip          TEXT NOT NULL,
    receipt_pattern   TEXT NOT NULL,
    idle_minutes      INTEGER NOT NULL CHECK (idle_minutes BETWEEN 1 AND 240),
    logo              BLOB,
    public_key        BLOB NOT NULL CHECK (length(public_key) = 32),
    secret_key_sealed BLOB NOT NULL,
    created_at        TEXT NOT NULL
) STRICT;
INSERT INTO facility_new SELECT * FROM facility;
DROP TABLE facility;
ALTER TABLE facility_new RENAME TO facility;

-- The X25519 (age) identity this database receives encrypted files with: at a facility the
-- province key, at a Kanwil the bundles' encrypted parts. Sealed like the signing key.
CREATE TABLE exchange_identity (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    recipient     TEXT NOT NULL,
    secret_sealed BLOB NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

-- Province keys (pseudonyms of NIKs): issued by the Kanwil, received by each facility.
CREATE TABLE province_key (
    id          TEXT PRIMARY KEY,
    from_period TEXT NOT NULL CHECK (from_period IS NULL OR length(from_period) = 7),
    key_sealed  BLOB NOT NULL,
    added_at    TEXT NOT NULL
) STRICT;

-- Facility: the enrollment files imported from the Kanwil, the latest update in force.
CREATE TABLE enrollment (
    update_no   INTEGER PRIMARY KEY CHECK (update_no >= 1),
    kanwil_code TEXT NOT NULL,
    body        BLOB NOT NULL,
    file        BLOB NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
) STRICT;

-- Facility: the outbox. One row per bundle ever made; `seq` is the chain's number.
CREATE TABLE bundle (
    seq            INTEGER PRIMARY KEY CHECK (seq >= 1),
    period         TEXT NOT NULL CHECK (period IS NULL OR length(period) = 7),
    revision       INTEGER NOT NULL CHECK (revision >= 1),
    kind           TEXT NOT NULL CHECK (kind IN ('monthly', 'nihil', 'revision')),
    sha256         TEXT NOT NULL UNIQUE CHECK (sha256 IS NULL OR length(sha256) = 64),
    made_at        TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('created', 'sent', 'acknowledged', 'refused', 'held')),
    sent_at        TEXT,
    sent_to        TEXT,
    answer         BLOB,
    answer_sha256  TEXT CHECK (answer_sha256 IS NULL OR length(answer_sha256) = 64),
    answer_verdict TEXT CHECK (answer_verdict IS NULL OR answer_verdict IN ('accepted', 'revision', 'held_gap', 'fork', 'refused')),
    answer_reason  BLOB,
    answered_at    TEXT,
    -- The bundle itself, last: a row's other columns are read without walking its pages.
    bytes          BLOB NOT NULL,
    UNIQUE (period, revision)
) STRICT;

CREATE TRIGGER bundle_fixed BEFORE UPDATE OF seq, period, revision, kind, sha256, bytes, made_at ON bundle
BEGIN SELECT RAISE(ABORT, 'a bundle, once made, does not change'); END;
CREATE TRIGGER bundle_no_delete BEFORE DELETE ON bundle
BEGIN SELECT RAISE(ABORT, 'a bundle is never deleted'); END;
CREATE TRIGGER bundle_in_order BEFORE INSERT ON bundle
WHEN NEW.seq <= coalesce((SELECT max(seq) FROM bundle), 0)
BEGIN SELECT RAISE(ABORT, 'a bundle takes the next seq'); END;

-- Kanwil: its settings.
CREATE TABLE kanwil_setting (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    due_day INTEGER NOT NULL CHECK (due_day BETWEEN 1 AND 28)
) STRICT;

-- Kanwil: the facilities registered with it.
CREATE TABLE member (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    time_zone         TEXT NOT NULL CHECK (time_zone IN ('WIB', 'WITA', 'WIT')),
    recipient         TEXT NOT NULL,
    registration      BLOB NOT NULL,
    first_period      TEXT CHECK (first_period IS NULL OR length(first_period) = 7),
    enrollment_update INTEGER NOT NULL DEFAULT 0,
    registered_at     TEXT NOT NULL,
    registered_by     TEXT NOT NULL,
    revoked_at        TEXT,
    revoked_by        TEXT,
    revoke_reason     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE member_key (
    id          INTEGER PRIMARY KEY,
    member      TEXT NOT NULL REFERENCES member (code),
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    fingerprint TEXT NOT NULL CHECK (fingerprint IS NULL OR length(fingerprint) = 19),
    added_at    TEXT NOT NULL,
    revoked_at  TEXT,
    UNIQUE (member, fingerprint)
) STRICT;

-- Kanwil: every bundle that passed the checks up to the chain. `accepted` and `superseded`
-- count (the latter replaced by a revision); `rejected` took its seq but its content was
-- refused; `held` waits for a missing seq; `fork` is a second bundle with a taken seq.
CREATE TABLE inbox (
    id            INTEGER PRIMARY KEY,
    member        TEXT NOT NULL REFERENCES member (code),
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    period        TEXT NOT NULL CHECK (period IS NULL OR length(period) = 7),
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    kind          TEXT NOT NULL CHECK (kind IN ('monthly', 'nihil', 'revision')),
    nihil         INTEGER NOT NULL CHECK (nihil IN (0, 1)),
    sha256        TEXT NOT NULL UNIQUE CHECK (sha256 IS NULL OR length(sha256) = 64),
    previous      TEXT CHECK (previous IS NULL OR length(previous) = 64),
    status        TEXT NOT NULL CHECK (status IN ('accepted', 'superseded', 'rejected', 'held', 'fork')),
    reason        BLOB,
    aggregates    BLOB,
    stock_opening TEXT CHECK (stock_opening IS NULL OR length(stock_opening) = 64),
    stock_closing TEXT CHECK (stock_closing IS NULL OR length(stock_closing) = 64),
    received_at   TEXT NOT NULL,
    decided_at    TEXT,
    answer        BLOB,
    -- The bundle itself, last: a row's other columns are read without walking its pages.
    bytes         BLOB NOT NULL
) STRICT;
CREATE UNIQUE INDEX inbox_chain ON inbox (member, seq) WHERE status IN ('accepted', 'superseded', 'rejected');
CREATE INDEX inbox_member ON inbox (member, seq);
CREATE INDEX inbox_period ON inbox (period, status);

CREATE TRIGGER inbox_fixed BEFORE UPDATE OF member, seq, period, revision, kind, sha256, bytes, received_at ON inbox
BEGIN SELECT RAISE(ABORT, 'a received bundle does not change'); END;
CREATE TRIGGER inbox_no_delete BEFORE DELETE ON inbox
BEGIN SELECT RAISE(ABORT, 'a received bundle is never deleted'); END;

-- Kanwil: files refused before the chain (damaged, unknown, badly signed …): what and why.
CREATE TABLE refusal (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    file_sha256 TEXT NOT NULL CHECK (file_sha256 IS NULL OR length(file_sha256) = 64),
    member      TEXT,
    file_name   TEXT NOT NULL,
    reason      BLOB NOT NULL
) STRICT;

-- Kanwil: who an accepted bundle served, by pseudonym only (NIKs of heads and members; the
-- No. KK, which only warns).
CREATE TABLE served_person (
    inbox_id  INTEGER NOT NULL REFERENCES inbox (id),
    period    TEXT NOT NULL CHECK (period IS NULL OR length(period) = 7),
    member    TEXT NOT NULL,
    bast_no   TEXT NOT NULL,
    pseudonym TEXT NOT NULL CHECK (pseudonym IS NULL OR length(pseudonym) = 64),
    what      TEXT NOT NULL CHECK (what IN ('nik', 'kk'))
) STRICT;
CREATE INDEX served_person_find ON served_person (period, what, pseudonym);
CREATE INDEX served_person_inbox ON served_person (inbox_id);

CREATE TRIGGER text_limits_facility_insert BEFORE INSERT ON facility
BEGIN
    SELECT RAISE(ABORT, 'text too long: facility.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.class') WHERE length(NEW.class) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.code') WHERE length(NEW.code) > 40;
    SELECT RAISE(ABORT, 'text too long: facility.province') WHERE length(NEW.province) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.kanwil') WHERE length(NEW.kanwil) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.address') WHERE length(NEW.address) > 200;
    SELECT RAISE(ABORT, 'text too long: facility.head_name') WHERE length(NEW.head_name) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.head_nip') WHERE length(NEW.head_nip) > 40;
    SELECT RAISE(ABORT, 'text too long: facility.receipt_pattern') WHERE length(NEW.receipt_pattern) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_facility_update BEFORE UPDATE ON facility
BEGIN
    SELECT RAISE(ABORT, 'text too long: facility.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.class') WHERE length(NEW.class) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.code') WHERE length(NEW.code) > 40;
    SELECT RAISE(ABORT, 'text too long: facility.province') WHERE length(NEW.province) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.kanwil') WHERE length(NEW.kanwil) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.address') WHERE length(NEW.address) > 200;
    SELECT RAISE(ABORT, 'text too long: facility.head_name') WHERE length(NEW.head_name) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.head_nip') WHERE length(NEW.head_nip) > 40;
    SELECT RAISE(ABORT, 'text too long: facility.receipt_pattern') WHERE length(NEW.receipt_pattern) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_exchange_identity_insert BEFORE INSERT ON exchange_identity
BEGIN
    SELECT RAISE(ABORT, 'text too long: exchange_identity.recipient') WHERE length(NEW.recipient) > 100;
    SELECT RAISE(ABORT, 'text too long: exchange_identity.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_exchange_identity_update BEFORE UPDATE ON exchange_identity
BEGIN
    SELECT RAISE(ABORT, 'text too long: exchange_identity.recipient') WHERE length(NEW.recipient) > 100;
    SELECT RAISE(ABORT, 'text too long: exchange_identity.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_province_key_insert BEFORE INSERT ON province_key
BEGIN
    SELECT RAISE(ABORT, 'text too long: province_key.id') WHERE length(NEW.id) > 100;
    SELECT RAISE(ABORT, 'text too long: province_key.added_at') WHERE length(NEW.added_at) > 40;
END;

CREATE TRIGGER text_limits_province_key_update BEFORE UPDATE ON province_key
BEGIN
    SELECT RAISE(ABORT, 'text too long: province_key.id') WHERE length(NEW.id) > 100;
    SELECT RAISE(ABORT, 'text too long: province_key.added_at') WHERE length(NEW.added_at) > 40;
END;

CREATE TRIGGER text_limits_enrollment_insert BEFORE INSERT ON enrollment
BEGIN
    SELECT RAISE(ABORT, 'text too long: enrollment.kanwil_code') WHERE length(NEW.kanwil_code) > 40;
    SELECT RAISE(ABORT, 'text too long: enrollment.imported_at') WHERE length(NEW.imported_at) > 40;
    SELECT RAISE(ABORT, 'text too long: enrollment.imported_by') WHERE length(NEW.imported_by) > 32;
END;

CREATE TRIGGER text_limits_enrollment_update BEFORE UPDATE ON enrollment
BEGIN
    SELECT RAISE(ABORT, 'text too long: enrollment.kanwil_code') WHERE length(NEW.kanwil_code) > 40;
    SELECT RAISE(ABORT, 'text too long: enrollment.imported_at') WHERE length(NEW.imported_at) > 40;
    SELECT RAISE(ABORT, 'text too long: enrollment.imported_by') WHERE length(NEW.imported_by) > 32;
END;

CREATE TRIGGER text_limits_bundle_insert BEFORE INSERT ON bundle
BEGIN
    SELECT RAISE(ABORT, 'text too long: bundle.made_at') WHERE length(NEW.made_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.sent_at') WHERE length(NEW.sent_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.sent_to') WHERE length(NEW.sent_to) > 1000;
    SELECT RAISE(ABORT, 'text too long: bundle.answered_at') WHERE length(NEW.answered_at) > 40;
END;

CREATE TRIGGER text_limits_bundle_update BEFORE UPDATE ON bundle
BEGIN
    SELECT RAISE(ABORT, 'text too long: bundle.made_at') WHERE length(NEW.made_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.sent_at') WHERE length(NEW.sent_at) > 40;
    SELECT RAISE(ABORT, 'text too long: bundle.sent_to') WHERE length(NEW.sent_to) > 1000;
    SELECT RAISE(ABORT, 'text too long: bundle.answered_at') WHERE length(NEW.answered_at) > 40;
END;

CREATE TRIGGER text_limits_member_insert BEFORE INSERT ON member
BEGIN
    SELECT RAISE(ABORT, 'text too long: member.code') WHERE length(NEW.code) > 40;
    SELECT RAISE(ABORT, 'text too long: member.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: member.recipient') WHERE length(NEW.recipient) > 100;
    SELECT RAISE(ABORT, 'text too long: member.registered_at') WHERE length(NEW.registered_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member.registered_by') WHERE length(NEW.registered_by) > 32;
    SELECT RAISE(ABORT, 'text too long: member.revoked_at') WHERE length(NEW.revoked_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member.revoked_by') WHERE length(NEW.revoked_by) > 32;
    SELECT RAISE(ABORT, 'text too long: member.revoke_reason') WHERE length(NEW.revoke_reason) > 500;
END;

CREATE TRIGGER text_limits_member_update BEFORE UPDATE ON member
BEGIN
    SELECT RAISE(ABORT, 'text too long: member.code') WHERE length(NEW.code) > 40;
    SELECT RAISE(ABORT, 'text too long: member.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: member.recipient') WHERE length(NEW.recipient) > 100;
    SELECT RAISE(ABORT, 'text too long: member.registered_at') WHERE length(NEW.registered_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member.registered_by') WHERE length(NEW.registered_by) > 32;
    SELECT RAISE(ABORT, 'text too long: member.revoked_at') WHERE length(NEW.revoked_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member.revoked_by') WHERE length(NEW.revoked_by) > 32;
    SELECT RAISE(ABORT, 'text too long: member.revoke_reason') WHERE length(NEW.revoke_reason) > 500;
END;

CREATE TRIGGER text_limits_member_key_insert BEFORE INSERT ON member_key
BEGIN
    SELECT RAISE(ABORT, 'text too long: member_key.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.revoked_at') WHERE length(NEW.revoked_at) > 40;
END;

CREATE TRIGGER text_limits_member_key_update BEFORE UPDATE ON member_key
BEGIN
    SELECT RAISE(ABORT, 'text too long: member_key.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: member_key.revoked_at') WHERE length(NEW.revoked_at) > 40;
END;

CREATE TRIGGER text_limits_inbox_insert BEFORE INSERT ON inbox
BEGIN
    SELECT RAISE(ABORT, 'text too long: inbox.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: inbox.received_at') WHERE length(NEW.received_at) > 40;
    SELECT RAISE(ABORT, 'text too long: inbox.decided_at') WHERE length(NEW.decided_at) > 40;
END;

CREATE TRIGGER text_limits_inbox_update BEFORE UPDATE ON inbox
BEGIN
    SELECT RAISE(ABORT, 'text too long: inbox.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: inbox.received_at') WHERE length(NEW.received_at) > 40;
    SELECT RAISE(ABORT, 'text too long: inbox.decided_at') WHERE length(NEW.decided_at) > 40;
END;

CREATE TRIGGER text_limits_refusal_insert BEFORE INSERT ON refusal
BEGIN
    SELECT RAISE(ABORT, 'text too long: refusal.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: refusal.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: refusal.file_name') WHERE length(NEW.file_name) > 1000;
END;

CREATE TRIGGER text_limits_refusal_update BEFORE UPDATE ON refusal
BEGIN
    SELECT RAISE(ABORT, 'text too long: refusal.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: refusal.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: refusal.file_name') WHERE length(NEW.file_name) > 1000;
END;

CREATE TRIGGER text_limits_served_person_insert BEFORE INSERT ON served_person
BEGIN
    SELECT RAISE(ABORT, 'text too long: served_person.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: served_person.bast_no') WHERE length(NEW.bast_no) > 100;
END;

CREATE TRIGGER text_limits_served_person_update BEFORE UPDATE ON served_person
BEGIN
    SELECT RAISE(ABORT, 'text too long: served_person.member') WHERE length(NEW.member) > 40;
    SELECT RAISE(ABORT, 'text too long: served_person.bast_no') WHERE length(NEW.bast_no) > 100;
END;
