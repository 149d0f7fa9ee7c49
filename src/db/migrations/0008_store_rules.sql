-- The store backs the rules that two desks at once could otherwise both pass, so that not even
-- raw SQL breaks them: one live hand-over of a family per period and per event, one reversal per
-- movement, a hand-over's issue reversed only by voiding its BAST, a void that stays void, an
-- event with hand-overs never cancelled, decisions made once.
--
-- The hand-over also records the day it happened apart from when it was entered (`date` was
-- already that day; `period` is its period key) and the family's head as on the day, so a
-- proxy's BAST names whose family the proxy acted for.

ALTER TABLE handover ADD COLUMN period TEXT;
ALTER TABLE handover ADD COLUMN head_name TEXT NOT NULL DEFAULT '';

UPDATE handover SET head_name = coalesce(
    (SELECT p.name FROM person p WHERE p.family_id = handover.family_id AND p.position = 0), '');

-- The period key under the facility's rule. A live hand-over that repeats a family's earlier one
-- in the same period (possible before this migration, when two desks raced) keeps no key, so the
-- index below can hold; it stays on record as it was printed and signed.
UPDATE handover SET period = substr(date, 1, 7)
WHERE (SELECT value FROM meta WHERE key = 'period_rule') = 'calendar_month'
  AND NOT EXISTS (SELECT 1 FROM handover h2
                  WHERE h2.family_id = handover.family_id AND h2.voided_at IS NULL
                    AND handover.voided_at IS NULL
                    AND substr(h2.date, 1, 7) = substr(handover.date, 1, 7) AND h2.id < handover.id);

CREATE UNIQUE INDEX handover_once_per_period ON handover (family_id, period)
    WHERE voided_at IS NULL AND period IS NOT NULL;
CREATE INDEX handover_period ON handover (period);

CREATE INDEX handover_event_family ON handover (event_id, family_id);

-- One live hand-over of a family per event. Earlier races may have left two: those are checked
-- by the trigger for new rows only.
CREATE TRIGGER handover_once_per_event BEFORE INSERT ON handover
WHEN EXISTS (SELECT 1 FROM handover h WHERE h.event_id = NEW.event_id
             AND h.family_id = NEW.family_id AND h.voided_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'family already served in this event'); END;

-- A hand-over only for an approved event, and only to a family on its list.
CREATE TRIGGER handover_needs_approved_event BEFORE INSERT ON handover
WHEN (SELECT status FROM event WHERE id = NEW.event_id) IS NOT 'approved'
  OR NOT EXISTS (SELECT 1 FROM event_recipient r WHERE r.event_id = NEW.event_id
                 AND r.family_id = NEW.family_id)
BEGIN SELECT RAISE(ABORT, 'hand-over needs an approved event that lists the family'); END;

-- What was handed over, to whom, when and under which number is fixed once written; a void is
-- final; the number, period and day never move.
CREATE TRIGGER handover_fixed BEFORE UPDATE OF event_id, family_id, year, seq, bast_no, date,
    period, at, recipient_name, recipient_nik, to_proxy ON handover
BEGIN SELECT RAISE(ABORT, 'a hand-over''s facts are fixed'); END;
CREATE TRIGGER handover_void_final BEFORE UPDATE OF voided_at ON handover
WHEN OLD.voided_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a void hand-over stays void'); END;
CREATE TRIGGER handover_no_delete BEFORE DELETE ON handover
BEGIN SELECT RAISE(ABORT, 'hand-overs are never deleted'); END;

-- One reversal per movement, by primary key. Earlier double reversals (the reverse-then-void
-- bug) keep their first; `bansos stock verify` still sums every movement.
CREATE TABLE reversal (
    movement_id INTEGER PRIMARY KEY REFERENCES movement (id),
    reversal_id INTEGER NOT NULL UNIQUE REFERENCES movement (id)
);
INSERT OR IGNORE INTO reversal (movement_id, reversal_id)
SELECT reverses, min(id) FROM movement WHERE reverses IS NOT NULL GROUP BY reverses;

CREATE TRIGGER movement_reversal_once AFTER INSERT ON movement
WHEN NEW.reverses IS NOT NULL
BEGIN INSERT INTO reversal (movement_id, reversal_id) VALUES (NEW.reverses, NEW.id); END;

-- A hand-over's issue comes back only by voiding its BAST (the reversal then carries the
-- hand-over as its reference).
CREATE TRIGGER movement_handover_reversal BEFORE INSERT ON movement
WHEN NEW.reverses IS NOT NULL
  AND (SELECT ref_kind FROM movement WHERE id = NEW.reverses) = 'handover'
  AND NEW.ref_kind IS NOT 'handover'
BEGIN SELECT RAISE(ABORT, 'a hand-over''s issue is reversed by voiding its BAST'); END;

-- An event moves draft → approved → completed, or to cancelled from draft or approved; one
-- with hand-overs is completed, never cancelled. Its list changes only while it is a draft.
CREATE TRIGGER event_status_moves BEFORE UPDATE OF status ON event
WHEN NOT (OLD.status = NEW.status
          OR (OLD.status = 'draft' AND NEW.status IN ('approved', 'cancelled'))
          OR (OLD.status = 'approved' AND NEW.status IN ('completed', 'cancelled')))
BEGIN SELECT RAISE(ABORT, 'this event status change is not allowed'); END;
CREATE TRIGGER event_cancel_without_handovers BEFORE UPDATE OF status ON event
WHEN NEW.status = 'cancelled' AND EXISTS (SELECT 1 FROM handover h WHERE h.event_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'an event with hand-overs cannot be cancelled'); END;
CREATE TRIGGER event_recipient_add_draft BEFORE INSERT ON event_recipient
WHEN (SELECT status FROM event WHERE id = NEW.event_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'recipients change only while the event is a draft'); END;
CREATE TRIGGER event_recipient_remove_draft BEFORE DELETE ON event_recipient
WHEN (SELECT status FROM event WHERE id = OLD.event_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, 'recipients change only while the event is a draft'); END;

-- A family is planned once per period (under the calendar-month rule) across live events.
CREATE TRIGGER event_recipient_once_per_period BEFORE INSERT ON event_recipient
WHEN (SELECT value FROM meta WHERE key = 'period_rule') = 'calendar_month'
  AND EXISTS (SELECT 1 FROM event_recipient r JOIN event e ON e.id = r.event_id
              WHERE r.family_id = NEW.family_id AND r.event_id <> NEW.event_id
                AND e.status <> 'cancelled'
                AND substr(e.date, 1, 7) = (SELECT substr(date, 1, 7) FROM event WHERE id = NEW.event_id))
BEGIN SELECT RAISE(ABORT, 'family already planned in this period'); END;

-- Adjustments and stock opnames are decided once; one opname is counted at a time.
CREATE TRIGGER adjustment_decided_once BEFORE UPDATE OF status ON adjustment
WHEN OLD.status <> 'pending'
BEGIN SELECT RAISE(ABORT, 'this adjustment was already decided'); END;
CREATE TRIGGER opname_one_at_a_time BEFORE INSERT ON opname
WHEN EXISTS (SELECT 1 FROM opname WHERE status = 'counting')
BEGIN SELECT RAISE(ABORT, 'a stock opname is already being counted'); END;
CREATE TRIGGER opname_decided_once BEFORE UPDATE OF status ON opname
WHEN OLD.status <> 'counting'
BEGIN SELECT RAISE(ABORT, 'this stock opname was already decided'); END;
CREATE TRIGGER opname_count_while_counting BEFORE UPDATE OF counted_milli ON opname_line
WHEN (SELECT status FROM opname WHERE id = NEW.opname_id) <> 'counting'
BEGIN SELECT RAISE(ABORT, 'counts change only while the opname is being counted'); END;
