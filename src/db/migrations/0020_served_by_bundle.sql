-- 0020: who a bundle served, kept as one row of the bundle, not a row of each person.
--
-- The Kanwil kept a row for every person (NIK) and No. KK a bundle served, indexed by (period,
-- what, pseudonym) to find people two facilities served in one month. A bundle's pseudonyms land
-- all over its month's part of that index, so every bundle wrote most of that part again: the
-- import of a province's year grew with the facilities times their size (30 facilities of 1,000
-- families: 9.1 s of SPEC's 10). Now a bundle's people are one value, sorted, written once; the
-- month's pairs are found by merging the sorted values of its accepted bundles
-- (`kanwil::duplicates`).
--
-- `basts`: a JSON array of the bundle's BAST numbers, sorted, each once.
-- `people`: 37 bytes a person, sorted: what (0 = NIK, 1 = No. KK), the pseudonym's 32 bytes,
-- and the index of its BAST in `basts` (4 bytes, big-endian).
CREATE TABLE served (
    inbox  INTEGER PRIMARY KEY REFERENCES inbox (id),
    basts  BLOB NOT NULL,
    people BLOB NOT NULL CHECK (length(people) % 37 = 0)
) STRICT;

WITH ranked AS (
    SELECT inbox_id, what, lower(pseudonym) AS pseudonym, bast_no,
           dense_rank() OVER (PARTITION BY inbox_id ORDER BY bast_no) - 1 AS bast
    FROM served_person
)
INSERT INTO served (inbox, basts, people)
SELECT inbox_id,
       CAST((SELECT json_group_array(bast_no ORDER BY bast_no)
             FROM (SELECT DISTINCT bast_no FROM served_person p WHERE p.inbox_id = ranked.inbox_id))
            AS BLOB),
       unhex(group_concat(CASE what WHEN 'nik' THEN '00' ELSE '01' END || pseudonym
                          || printf('%08x', bast), ''
                          ORDER BY what = 'kk', pseudonym, bast))
FROM ranked
GROUP BY inbox_id;

CREATE TRIGGER served_fixed BEFORE UPDATE ON served
BEGIN SELECT RAISE(ABORT, 'a received bundle does not change'); END;
CREATE TRIGGER served_no_delete BEFORE DELETE ON served
BEGIN SELECT RAISE(ABORT, 'a received bundle is never deleted'); END;

DROP TABLE served_person;
