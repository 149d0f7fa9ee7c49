-- The check that a family is planned once per period looked through every event the family
-- was ever planned in (a family served monthly for ten years: 120 rows at each insert). It now
-- looks only at the events dated in the period (the `event_date` index), and for each of them
-- at the family's row by primary key.
DROP TRIGGER event_recipient_once_per_period;
CREATE TRIGGER event_recipient_once_per_period BEFORE INSERT ON event_recipient
WHEN (SELECT value FROM meta WHERE key = 'period_rule') = 'calendar_month'
  AND EXISTS (SELECT 1 FROM event e CROSS JOIN event_recipient r
              WHERE e.date BETWEEN (SELECT substr(date, 1, 7) || '-01' FROM event WHERE id = NEW.event_id)
                               AND (SELECT substr(date, 1, 7) || '-31' FROM event WHERE id = NEW.event_id)
                AND e.id <> NEW.event_id AND e.status <> 'cancelled'
                AND r.event_id = e.id AND r.family_id = NEW.family_id)
BEGIN SELECT RAISE(ABORT, 'family already planned in this period'); END;
