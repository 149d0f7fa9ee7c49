-- The beneficiary registry: families, their members, the history of their No. KK, attached
-- scans, duplicate pairs awaiting review, and remembered import column mappings.

CREATE TABLE family (
    id              INTEGER PRIMARY KEY,
    category        TEXT NOT NULL CHECK (category IN ('keluarga_wbp', 'masyarakat_sekitar')),
    kk              TEXT CHECK (kk IS NULL OR length(kk) = 16),
    address         TEXT NOT NULL DEFAULT '',
    rt              TEXT NOT NULL DEFAULT '',
    rw              TEXT NOT NULL DEFAULT '',
    region_code     TEXT,
    region_table    TEXT,
    phone           TEXT NOT NULL DEFAULT '',
    wbp_name        TEXT NOT NULL DEFAULT '',
    wbp_reg_no      TEXT NOT NULL DEFAULT '',
    wbp_reg_key     TEXT NOT NULL DEFAULT '',
    wbp_status      TEXT CHECK (wbp_status IS NULL OR wbp_status IN ('ditahan', 'bebas', 'pindah')),
    wbp_relation    TEXT NOT NULL DEFAULT '',
    reasons         TEXT NOT NULL DEFAULT '[]',
    reason_note     TEXT NOT NULL DEFAULT '',
    dtks_decile     INTEGER CHECK (dtks_decile IS NULL OR dtks_decile BETWEEN 1 AND 10),
    consent_date    TEXT,
    verification    TEXT NOT NULL DEFAULT 'draft' CHECK (verification IN ('draft', 'verified')),
    verified_by     TEXT,
    verified_at     TEXT,
    evidence_note   TEXT NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    inactive_reason TEXT NOT NULL DEFAULT '',
    merged_into     INTEGER REFERENCES family (id),
    source          TEXT NOT NULL DEFAULT 'form',
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX family_kk ON family (kk);
CREATE INDEX family_wbp_reg ON family (wbp_reg_key);
CREATE INDEX family_region ON family (region_code);
CREATE INDEX family_filter ON family (active, verification, category);

CREATE TABLE person (
    id            INTEGER PRIMARY KEY,
    family_id     INTEGER NOT NULL REFERENCES family (id),
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    nik           TEXT UNIQUE,
    nik_temporary INTEGER NOT NULL DEFAULT 0 CHECK (nik_temporary IN (0, 1)),
    sex           TEXT CHECK (sex IS NULL OR sex IN ('L', 'P')),
    birth_date    TEXT,
    relationship  TEXT NOT NULL,
    position      INTEGER NOT NULL
);
CREATE INDEX person_family ON person (family_id, position);
CREATE INDEX person_birth ON person (birth_date);

CREATE TABLE kk_history (
    id         INTEGER PRIMARY KEY,
    family_id  INTEGER NOT NULL REFERENCES family (id),
    kk         TEXT,
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL,
    by_user    TEXT NOT NULL
);
CREATE INDEX kk_history_family ON kk_history (family_id, id);

CREATE TABLE attachment (
    id          INTEGER PRIMARY KEY,
    owner_kind  TEXT NOT NULL,
    owner_id    INTEGER NOT NULL,
    file_name   TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    data        BLOB NOT NULL,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL
);
CREATE INDEX attachment_owner ON attachment (owner_kind, owner_id);

CREATE TABLE duplicate_pair (
    id          INTEGER PRIMARY KEY,
    family_a    INTEGER NOT NULL REFERENCES family (id),
    family_b    INTEGER NOT NULL REFERENCES family (id),
    kind        TEXT NOT NULL CHECK (kind IN ('same_kk', 'similar_person')),
    score       INTEGER NOT NULL,
    detail      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'distinct')),
    found_at    TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT,
    note        TEXT NOT NULL DEFAULT '',
    CHECK (family_a < family_b),
    UNIQUE (family_a, family_b, kind)
);
CREATE INDEX duplicate_open ON duplicate_pair (status, id);

CREATE TABLE import_mapping (
    header_key TEXT PRIMARY KEY,
    mapping    TEXT NOT NULL,
    used_at    TEXT NOT NULL
);

-- Bumped by every change to families or members, so a search index built in another process
-- can tell that it is stale.
INSERT INTO meta (key, value) VALUES ('registry_rev', '0');

-- A family's detail screen shows its own audit entries.
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);
