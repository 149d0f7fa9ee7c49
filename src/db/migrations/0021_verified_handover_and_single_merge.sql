-- 0021: two rules the use cases check inside their transactions, backed by the store.

-- A hand-over only to a family that is active and verified when it is written. A family edited
-- by a Petugas after its event was approved goes back to draft and waits for the Verifikator
-- before its package is handed over.
CREATE TRIGGER handover_needs_verified_family BEFORE INSERT ON handover
WHEN (SELECT active FROM family WHERE id = NEW.family_id) IS NOT 1
  OR (SELECT verification FROM family WHERE id = NEW.family_id) IS NOT 'verified'
BEGIN SELECT RAISE(ABORT, 'hand-over needs an active, verified family'); END;

-- A family is merged once, into a family that is not merged itself: two Verifikators settling
-- pairs (A, B) and (B, C) cannot move B's merge from A to C, nor keep a retired record.
CREATE TRIGGER family_merged_once BEFORE UPDATE OF merged_into ON family
WHEN NEW.merged_into IS NOT NULL
 AND (OLD.merged_into IS NOT NULL
      OR (SELECT merged_into FROM family WHERE id = NEW.merged_into) IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'a family is merged once, into a family not merged itself'); END;
