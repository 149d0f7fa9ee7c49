-- 0001: the foundation: facility, regional keys, staff, the audit chain.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE facility (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('RUTAN', 'LAPAS', 'LPKA')),
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

CREATE TABLE regional_key (
    id          INTEGER PRIMARY KEY,
    label       TEXT NOT NULL,
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    added_at    TEXT NOT NULL,
    removed_at  TEXT
) STRICT;
CREATE UNIQUE INDEX regional_key_current ON regional_key (public_key) WHERE removed_at IS NULL;

CREATE TABLE staff (
    id                 INTEGER PRIMARY KEY,
    username           TEXT NOT NULL UNIQUE,
    full_name          TEXT NOT NULL,
    nip                TEXT NOT NULL,
    position           TEXT NOT NULL,
    role               TEXT NOT NULL CHECK (role IN ('petugas', 'verifikator', 'kepala_upt', 'admin')),
    active             INTEGER NOT NULL CHECK (active IN (0, 1)),
    inactive_reason    TEXT,
    created_at         TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    old        TEXT,
    new        TEXT,
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL
) STRICT;

-- The program never updates or deletes an audit entry; these make an accident impossible (a
-- deliberate edit must drop them first, and the hash chain still shows it).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
