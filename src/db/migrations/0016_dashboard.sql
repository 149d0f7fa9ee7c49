-- Beranda counts the registry by category (active, not merged; eligible = verified with
-- consent) on every visit. With only `family_filter` it read all 100,000 rows for
-- merged_into and consent_date (320 ms); this index holds every column the count reads.
CREATE INDEX family_by_category ON family (active, merged_into, category, verification, consent_date);
