-- The stock ledger. Quantities are exact decimals kept as INTEGER thousandths of the item's
-- unit (1 kg = 1000); money as INTEGER hundredths of a rupiah. Both sum exactly in SQL.
-- Movements are append-only: a mistake is undone by a reversing movement, never by an edit.

CREATE TABLE item (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    category    TEXT NOT NULL CHECK (category IN ('sembako', 'hasil_panen', 'lainnya')),
    min_milli   INTEGER NOT NULL DEFAULT 0 CHECK (min_milli >= 0),
    retired_at  TEXT,
    created_at  TEXT NOT NULL
);

INSERT INTO item (code, name, unit, category, created_at) VALUES
    ('beras', 'Beras', 'kg', 'sembako', '2024-01-01T00:00:00Z'),
    ('gula', 'Gula pasir', 'kg', 'sembako', '2024-01-01T00:00:00Z'),
    ('minyak', 'Minyak goreng', 'liter', 'sembako', '2024-01-01T00:00:00Z'),
    ('telur', 'Telur ayam', 'kg', 'sembako', '2024-01-01T00:00:00Z'),
    ('susu', 'Susu kental manis', 'kaleng', 'sembako', '2024-01-01T00:00:00Z'),
    ('kopi', 'Kopi bubuk', 'bungkus', 'sembako', '2024-01-01T00:00:00Z'),
    ('ikan-kaleng', 'Ikan kaleng', 'kaleng', 'sembako', '2024-01-01T00:00:00Z'),
    ('panen-sayur', 'Sayuran hasil panen', 'kg', 'hasil_panen', '2024-01-01T00:00:00Z');

CREATE TABLE donor (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    contact    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- A receipt (penerimaan): one document, one funding source, one or more lots.
CREATE TABLE receipt (
    id            INTEGER PRIMARY KEY,
    date          TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('csr', 'bama_kantin', 'koperasi', 'hasil_panen', 'lainnya')),
    donor_id      INTEGER REFERENCES donor (id),
    source_note   TEXT NOT NULL DEFAULT '',
    doc_ref       TEXT NOT NULL,
    received_by   TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    CHECK (source <> 'csr' OR donor_id IS NOT NULL)
);

CREATE TABLE lot (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES item (id),
    receipt_id  INTEGER NOT NULL REFERENCES receipt (id),
    lot_code    TEXT NOT NULL,
    expiry      TEXT,
    value_cents INTEGER NOT NULL CHECK (value_cents >= 0),
    received_milli INTEGER NOT NULL CHECK (received_milli > 0),
    -- The sum of the lot's movements, kept by the trigger below so that a hand-over does not sum
    -- a year of movements; `bansos stock verify` recomputes it. Never negative, by constraint.
    balance_milli INTEGER NOT NULL DEFAULT 0 CHECK (balance_milli >= 0)
);
CREATE INDEX lot_item ON lot (item_id, expiry);
CREATE INDEX lot_in_stock ON lot (item_id) WHERE balance_milli > 0;

CREATE TABLE movement (
    id          INTEGER PRIMARY KEY,
    date        TEXT NOT NULL,
    at          TEXT NOT NULL,
    item_id     INTEGER NOT NULL REFERENCES item (id),
    lot_id      INTEGER NOT NULL REFERENCES lot (id),
    kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'issue', 'adjustment', 'reversal')),
    qty_milli   INTEGER NOT NULL CHECK (qty_milli <> 0),
    doc_ref     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    reverses    INTEGER REFERENCES movement (id),
    ref_kind    TEXT,
    ref_id      INTEGER
);
CREATE INDEX movement_item ON movement (item_id, date, id);
CREATE INDEX movement_lot ON movement (lot_id, id);
CREATE INDEX movement_ref ON movement (ref_kind, ref_id);

CREATE TRIGGER movement_balance AFTER INSERT ON movement
BEGIN UPDATE lot SET balance_milli = balance_milli + NEW.qty_milli WHERE id = NEW.lot_id; END;
CREATE TRIGGER movement_no_update BEFORE UPDATE ON movement
BEGIN SELECT RAISE(ABORT, 'movement is append-only'); END;
CREATE TRIGGER movement_no_delete BEFORE DELETE ON movement
BEGIN SELECT RAISE(ABORT, 'movement is append-only'); END;

-- Adjustments wait for a verifikator; approval writes the movement.
CREATE TABLE adjustment (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES item (id),
    lot_id       INTEGER NOT NULL REFERENCES lot (id),
    qty_milli    INTEGER NOT NULL CHECK (qty_milli <> 0),
    reason       TEXT NOT NULL CHECK (reason IN ('rusak', 'kedaluwarsa', 'hilang', 'koreksi', 'opname')),
    note         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by   TEXT,
    decided_at   TEXT,
    decision_note TEXT NOT NULL DEFAULT '',
    movement_id  INTEGER REFERENCES movement (id),
    opname_id    INTEGER
);
CREATE INDEX adjustment_status ON adjustment (status, id);

-- Stock opname: recorded balances frozen at the start, counts entered blind.
CREATE TABLE opname (
    id          INTEGER PRIMARY KEY,
    status      TEXT NOT NULL DEFAULT 'counting' CHECK (status IN ('counting', 'approved', 'cancelled')),
    date        TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    decided_by  TEXT,
    decided_at  TEXT,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE TABLE opname_line (
    opname_id       INTEGER NOT NULL REFERENCES opname (id),
    lot_id          INTEGER NOT NULL REFERENCES lot (id),
    item_id         INTEGER NOT NULL REFERENCES item (id),
    recorded_milli  INTEGER NOT NULL,
    counted_milli   INTEGER CHECK (counted_milli IS NULL OR counted_milli >= 0),
    counted_by      TEXT,
    counted_at      TEXT,
    PRIMARY KEY (opname_id, lot_id)
);

INSERT INTO meta (key, value) VALUES ('expiry_alert_days', '30');
