-- 0023: a hand-over keeps its family's category as it was when the package was handed over
-- (keluarga WBP or masyarakat sekitar). A month's report, and a bundle made after its closing,
-- count it so even when the family's category changes later (the inmate released, the family
-- moved): the Kanwil recounts the categories from the records and finds the report's. Hand-overs
-- written before take the family's category as it is now, the best there is.
ALTER TABLE handover ADD COLUMN category TEXT
    CHECK (category IS NULL OR category IN ('keluarga_wbp', 'masyarakat_sekitar'));
UPDATE handover SET category = (SELECT f.category FROM family f WHERE f.id = handover.family_id);
CREATE TRIGGER handover_category_fixed BEFORE UPDATE OF category ON handover
WHEN OLD.category IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a hand-over''s facts are fixed'); END;
