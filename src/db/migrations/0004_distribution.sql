-- Package templates (paket sembako) and distribution events with their planned recipients.
-- A template in use is never edited: a change makes the next version of the same lineage.

CREATE TABLE package_template (
    id          INTEGER PRIMARY KEY,
    lineage     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    per_person  INTEGER NOT NULL DEFAULT 0 CHECK (per_person IN (0, 1)),
    cap_members INTEGER CHECK (cap_members IS NULL OR cap_members BETWEEN 1 AND 30),
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (lineage, version)
);

CREATE TABLE template_line (
    template_id INTEGER NOT NULL REFERENCES package_template (id),
    item_id     INTEGER NOT NULL REFERENCES item (id),
    qty_milli   INTEGER NOT NULL CHECK (qty_milli > 0),
    PRIMARY KEY (template_id, item_id)
);

CREATE TABLE event (
    id            INTEGER PRIMARY KEY,
    date          TEXT NOT NULL,
    place         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('rutin_bulanan', 'serentak_nasional', 'hari_besar', 'kunjungan_rumah')),
    source        TEXT CHECK (source IS NULL OR source IN ('csr', 'bama_kantin', 'koperasi', 'hasil_panen', 'lainnya')),
    template_id   INTEGER NOT NULL REFERENCES package_template (id),
    officials     TEXT NOT NULL DEFAULT '[]',
    note          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'completed', 'cancelled')),
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    approved_by   TEXT,
    approved_at   TEXT,
    closed_at     TEXT,
    cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_date ON event (date);

CREATE TABLE event_recipient (
    event_id  INTEGER NOT NULL REFERENCES event (id),
    family_id INTEGER NOT NULL REFERENCES family (id),
    added_at  TEXT NOT NULL,
    added_by  TEXT NOT NULL,
    PRIMARY KEY (event_id, family_id)
);
CREATE INDEX event_recipient_family ON event_recipient (family_id);

-- How often a family may be served: once per calendar month unless the facility says otherwise.
INSERT INTO meta (key, value) VALUES ('period_rule', 'calendar_month');
