-- Hand-overs (serah terima) and their BAST numbers: one sequence per year, advanced in the
-- hand-over's own transaction, so a number is never skipped and never given twice. A voided
-- hand-over keeps its number and its row; its stock comes back by reversing movements.

CREATE TABLE bast_counter (
    year     INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL
);

CREATE TABLE handover (
    id               INTEGER PRIMARY KEY,
    event_id         INTEGER NOT NULL REFERENCES event (id),
    family_id        INTEGER NOT NULL REFERENCES family (id),
    year             INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    bast_no          TEXT NOT NULL UNIQUE,
    date             TEXT NOT NULL,
    at               TEXT NOT NULL,
    officer          TEXT NOT NULL,
    officer_name     TEXT NOT NULL,
    officer_nip      TEXT NOT NULL,
    officer_position TEXT NOT NULL,
    to_proxy         INTEGER NOT NULL DEFAULT 0 CHECK (to_proxy IN (0, 1)),
    recipient_name   TEXT NOT NULL,
    recipient_nik    TEXT,
    proxy_relation   TEXT NOT NULL DEFAULT '',
    items            TEXT NOT NULL,
    voided_at        TEXT,
    voided_by        TEXT,
    void_reason      TEXT NOT NULL DEFAULT '',
    reprints         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (year, seq)
);
CREATE INDEX handover_family ON handover (family_id, date);
CREATE INDEX handover_event ON handover (event_id);
