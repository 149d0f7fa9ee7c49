-- Monthly closing (tutup buku). Closing a month stores everything a later bundle needs — the
-- report as canonical data, PDF and XLSX bytes with their SHA-256, the audit chain's head, the
-- control totals, who closed and when — and locks every record dated in it or before it.
-- Reopening marks the latest closing row; closing again adds revision 2. Rows are never deleted
-- and, once written, only the reopening columns of the latest closing change, once.

CREATE TABLE month_close (
    id             INTEGER PRIMARY KEY,
    period         TEXT NOT NULL CHECK (period IS NULL OR length(period) = 7)
                   CHECK (period GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
    revision       INTEGER NOT NULL CHECK (revision >= 1),
    nihil          INTEGER NOT NULL CHECK (nihil IN (0, 1)),
    closed_at      TEXT NOT NULL,
    closed_by      TEXT NOT NULL,
    closed_by_name TEXT NOT NULL,
    audit_head     TEXT NOT NULL,
    totals         TEXT NOT NULL,
    report         BLOB NOT NULL,
    report_sha256  TEXT NOT NULL,
    pdf            BLOB NOT NULL,
    pdf_sha256     TEXT NOT NULL,
    xlsx           BLOB NOT NULL,
    xlsx_sha256    TEXT NOT NULL,
    reopened_at    TEXT,
    reopened_by    TEXT,
    reopen_reason  TEXT NOT NULL DEFAULT '',
    UNIQUE (period, revision)
);

-- The month's hand-overs are read by their day (the report, the checklist), its voids by when
-- they were made.
CREATE INDEX handover_date ON handover (date);
CREATE INDEX handover_voided ON handover (voided_at) WHERE voided_at IS NOT NULL;

CREATE TRIGGER text_limits_month_close_insert BEFORE INSERT ON month_close
BEGIN
    SELECT RAISE(ABORT, 'text too long: month_close.closed_at') WHERE length(NEW.closed_at) > 40;
    SELECT RAISE(ABORT, 'text too long: month_close.closed_by') WHERE length(NEW.closed_by) > 32;
    SELECT RAISE(ABORT, 'text too long: month_close.closed_by_name') WHERE length(NEW.closed_by_name) > 100;
    SELECT RAISE(ABORT, 'text too long: month_close.audit_head') WHERE length(NEW.audit_head) > 128;
    SELECT RAISE(ABORT, 'text too long: month_close.totals') WHERE length(NEW.totals) > 200000;
    SELECT RAISE(ABORT, 'text too long: month_close.report_sha256') WHERE length(NEW.report_sha256) > 128;
    SELECT RAISE(ABORT, 'text too long: month_close.pdf_sha256') WHERE length(NEW.pdf_sha256) > 128;
    SELECT RAISE(ABORT, 'text too long: month_close.xlsx_sha256') WHERE length(NEW.xlsx_sha256) > 128;
    SELECT RAISE(ABORT, 'text too long: month_close.reopened_at') WHERE length(NEW.reopened_at) > 40;
    SELECT RAISE(ABORT, 'text too long: month_close.reopened_by') WHERE length(NEW.reopened_by) > 32;
    SELECT RAISE(ABORT, 'text too long: month_close.reopen_reason') WHERE length(NEW.reopen_reason) > 500;
END;

CREATE TRIGGER text_limits_month_close_update BEFORE UPDATE ON month_close
BEGIN
    SELECT RAISE(ABORT, 'text too long: month_close.closed_at') WHERE length(NEW.closed_at) > 40;
    SELECT RAISE(ABORT, 'text too long: month_close.closed_by') WHERE length(NEW.closed_by) > 32;
    SELECT RAISE(ABORT, 'text too long: month_close.closed_by_name') WHERE length(NEW.closed_by_name) > 100;
    SELECT RAISE(ABORT, 'text too long: month_close.audit_head') WHERE length(NEW.audit_head) > 128;
    SELECT RAISE(ABORT, 'text too long: month_close.totals') WHERE length(NEW.totals) > 200000;
    SELECT RAISE(ABORT, 'text too long: month_close.report_sha256') WHERE length(NEW.report_sha256) > 128;
    SELECT RAISE(ABORT, 'text too long: month_close.pdf_sha256') WHERE length(NEW.pdf_sha256) > 128;
    SELECT RAISE(ABORT, 'text too long: month_close.xlsx_sha256') WHERE length(NEW.xlsx_sha256) > 128;
    SELECT RAISE(ABORT, 'text too long: month_close.reopened_at') WHERE length(NEW.reopened_at) > 40;
    SELECT RAISE(ABORT, 'text too long: month_close.reopened_by') WHERE length(NEW.reopened_by) > 32;
    SELECT RAISE(ABORT, 'text too long: month_close.reopen_reason') WHERE length(NEW.reopen_reason) > 500;
END;

-- Months close in order: never one before a closed month, never one already closed, and after
-- the first closing only the month right after the last closed one (or the reopened one again).
CREATE TRIGGER month_close_in_order BEFORE INSERT ON month_close
WHEN EXISTS (SELECT 1 FROM month_close WHERE period > NEW.period)
  OR EXISTS (SELECT 1 FROM month_close WHERE period = NEW.period AND reopened_at IS NULL)
  OR (EXISTS (SELECT 1 FROM month_close)
      AND NOT EXISTS (SELECT 1 FROM month_close WHERE period = NEW.period)
      AND NOT EXISTS (SELECT 1 FROM month_close
                      WHERE period = strftime('%Y-%m', NEW.period || '-01', '-1 month')
                        AND reopened_at IS NULL))
  OR NEW.revision <> 1 + (SELECT count(*) FROM month_close WHERE period = NEW.period)
BEGIN SELECT RAISE(ABORT, 'months close in order'); END;

-- A closing's contents are fixed; only the latest closing is reopened, once.
CREATE TRIGGER month_close_fixed BEFORE UPDATE OF id, period, revision, nihil, closed_at, closed_by,
    closed_by_name, audit_head, totals, report, report_sha256, pdf, pdf_sha256, xlsx, xlsx_sha256
    ON month_close
BEGIN SELECT RAISE(ABORT, 'a closed month''s report is fixed'); END;
CREATE TRIGGER month_close_reopen_latest BEFORE UPDATE OF reopened_at, reopened_by, reopen_reason
    ON month_close
WHEN OLD.reopened_at IS NOT NULL
  OR NEW.reopened_at IS NULL
  OR EXISTS (SELECT 1 FROM month_close WHERE period > OLD.period)
BEGIN SELECT RAISE(ABORT, 'only the latest closed month is reopened, once'); END;
CREATE TRIGGER month_close_no_delete BEFORE DELETE ON month_close
BEGIN SELECT RAISE(ABORT, 'a closed month is never deleted'); END;

-- A month is locked when it, or any month after it, is closed and not reopened. Records dated in
-- a locked month are neither written nor changed nor moved there. Named exceptions: a hand-over's
-- prints and its void (the reversal is dated in the open month), a lot's kept balance and the
-- monthly lot totals (caches kept by triggers), attachments, the registry.
CREATE TRIGGER month_locked_handover_insert BEFORE INSERT ON handover
WHEN EXISTS (SELECT 1 FROM month_close WHERE period >= substr(NEW.date, 1, 7) AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;
CREATE TRIGGER month_locked_handover_update BEFORE UPDATE ON handover
WHEN EXISTS (SELECT 1 FROM month_close
             WHERE period >= min(substr(OLD.date, 1, 7), substr(NEW.date, 1, 7)) AND reopened_at IS NULL)
  AND (NEW.id IS NOT OLD.id OR NEW.event_id IS NOT OLD.event_id OR NEW.family_id IS NOT OLD.family_id
       OR NEW.year IS NOT OLD.year OR NEW.seq IS NOT OLD.seq OR NEW.bast_no IS NOT OLD.bast_no
       OR NEW.date IS NOT OLD.date OR NEW.period IS NOT OLD.period OR NEW.at IS NOT OLD.at
       OR NEW.officer IS NOT OLD.officer OR NEW.officer_name IS NOT OLD.officer_name
       OR NEW.officer_nip IS NOT OLD.officer_nip OR NEW.officer_position IS NOT OLD.officer_position
       OR NEW.to_proxy IS NOT OLD.to_proxy OR NEW.recipient_name IS NOT OLD.recipient_name
       OR NEW.recipient_nik IS NOT OLD.recipient_nik OR NEW.proxy_relation IS NOT OLD.proxy_relation
       OR NEW.items IS NOT OLD.items OR NEW.qr_payload IS NOT OLD.qr_payload
       OR NEW.ledger_hash IS NOT OLD.ledger_hash OR NEW.recipient_address IS NOT OLD.recipient_address
       OR NEW.wbp_line IS NOT OLD.wbp_line)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;

CREATE TRIGGER month_locked_movement_insert BEFORE INSERT ON movement
WHEN EXISTS (SELECT 1 FROM month_close WHERE period >= substr(NEW.date, 1, 7) AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;

CREATE TRIGGER month_locked_receipt_insert BEFORE INSERT ON receipt
WHEN EXISTS (SELECT 1 FROM month_close WHERE period >= substr(NEW.date, 1, 7) AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;
CREATE TRIGGER month_locked_receipt_update BEFORE UPDATE ON receipt
WHEN EXISTS (SELECT 1 FROM month_close
             WHERE period >= min(substr(OLD.date, 1, 7), substr(NEW.date, 1, 7)) AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;

CREATE TRIGGER month_locked_lot_insert BEFORE INSERT ON lot
WHEN EXISTS (SELECT 1 FROM month_close
             WHERE period >= (SELECT substr(date, 1, 7) FROM receipt WHERE id = NEW.receipt_id)
               AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;
CREATE TRIGGER month_locked_lot_update BEFORE UPDATE OF id, item_id, receipt_id, lot_code, expiry,
    value_cents, received_milli ON lot
WHEN EXISTS (SELECT 1 FROM month_close
             WHERE period >= (SELECT min(substr(date, 1, 7)) FROM receipt
                              WHERE id IN (OLD.receipt_id, NEW.receipt_id))
               AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;

CREATE TRIGGER month_locked_event_insert BEFORE INSERT ON event
WHEN EXISTS (SELECT 1 FROM month_close WHERE period >= substr(NEW.date, 1, 7) AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;
CREATE TRIGGER month_locked_event_update BEFORE UPDATE ON event
WHEN EXISTS (SELECT 1 FROM month_close
             WHERE period >= min(substr(OLD.date, 1, 7), substr(NEW.date, 1, 7)) AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;
CREATE TRIGGER month_locked_event_recipient_insert BEFORE INSERT ON event_recipient
WHEN EXISTS (SELECT 1 FROM month_close
             WHERE period >= (SELECT substr(date, 1, 7) FROM event WHERE id = NEW.event_id)
               AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;
CREATE TRIGGER month_locked_event_recipient_delete BEFORE DELETE ON event_recipient
WHEN EXISTS (SELECT 1 FROM month_close
             WHERE period >= (SELECT substr(date, 1, 7) FROM event WHERE id = OLD.event_id)
               AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;

CREATE TRIGGER month_locked_opname_insert BEFORE INSERT ON opname
WHEN EXISTS (SELECT 1 FROM month_close WHERE period >= substr(NEW.date, 1, 7) AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;
CREATE TRIGGER month_locked_opname_update BEFORE UPDATE ON opname
WHEN EXISTS (SELECT 1 FROM month_close
             WHERE period >= min(substr(OLD.date, 1, 7), substr(NEW.date, 1, 7)) AND reopened_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'month closed'); END;
