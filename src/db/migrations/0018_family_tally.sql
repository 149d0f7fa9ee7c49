-- Beranda counts the registry by category: families registered (active, not merged) and eligible
-- (verified, with consent). Counted on every visit it read 100,000 index entries at the ten-year
-- data set (30 ms of Beranda's 60); kept by the store, in the transaction that changes a family,
-- it is two rows. The triggers follow every column the count depends on.
CREATE TABLE family_tally (
    category TEXT PRIMARY KEY CHECK (category IN ('keluarga_wbp', 'masyarakat_sekitar')),
    registered INTEGER NOT NULL CHECK (registered >= 0),
    eligible INTEGER NOT NULL CHECK (eligible >= 0 AND eligible <= registered)
);
INSERT INTO family_tally (category, registered, eligible)
    SELECT category, count(*),
           sum(CASE WHEN verification = 'verified' AND consent_date IS NOT NULL THEN 1 ELSE 0 END)
    FROM family WHERE active = 1 AND merged_into IS NULL GROUP BY category;
CREATE TRIGGER family_tally_insert AFTER INSERT ON family
WHEN NEW.active = 1 AND NEW.merged_into IS NULL
BEGIN
    INSERT INTO family_tally (category, registered, eligible)
    VALUES (NEW.category, 1, NEW.verification = 'verified' AND NEW.consent_date IS NOT NULL)
    ON CONFLICT (category) DO UPDATE
        SET registered = registered + 1, eligible = eligible + excluded.eligible;
END;
CREATE TRIGGER family_tally_delete AFTER DELETE ON family
WHEN OLD.active = 1 AND OLD.merged_into IS NULL
BEGIN
    UPDATE family_tally
    SET registered = registered - 1,
        eligible = eligible - (OLD.verification = 'verified' AND OLD.consent_date IS NOT NULL)
    WHERE category = OLD.category;
END;
CREATE TRIGGER family_tally_update
AFTER UPDATE OF category, active, merged_into, verification, consent_date ON family
BEGIN
    UPDATE family_tally
    SET registered = registered - 1,
        eligible = eligible - (OLD.verification = 'verified' AND OLD.consent_date IS NOT NULL)
    WHERE category = OLD.category AND OLD.active = 1 AND OLD.merged_into IS NULL;
    INSERT INTO family_tally (category, registered, eligible)
    SELECT NEW.category, 1, NEW.verification = 'verified' AND NEW.consent_date IS NOT NULL
    WHERE NEW.active = 1 AND NEW.merged_into IS NULL
    ON CONFLICT (category) DO UPDATE
        SET registered = registered + 1, eligible = eligible + excluded.eligible;
END;
