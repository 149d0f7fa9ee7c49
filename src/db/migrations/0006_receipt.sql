-- The signed BAST receipt: what the QR code carries is written once, in the hand-over's own
-- transaction, so every print (original, SALINAN, BATAL) shows the same signed payload.
-- The recipient's address and WBP line are kept as they were on the day, like the name and NIK.

ALTER TABLE handover ADD COLUMN qr_payload TEXT NOT NULL DEFAULT '';
ALTER TABLE handover ADD COLUMN ledger_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE handover ADD COLUMN recipient_address TEXT NOT NULL DEFAULT '';
ALTER TABLE handover ADD COLUMN wbp_line TEXT NOT NULL DEFAULT '';
ALTER TABLE handover ADD COLUMN printed_at TEXT;

-- The key of the keyed hash (HMAC-SHA256) that stands for a NIK outside this database: on the
-- receipt's QR code now, in the monthly bundle later. Random per database unless the regional
-- office hands out a provincial key.
INSERT INTO meta (key, value) VALUES ('nik_key', lower(hex(randomblob(32))));
