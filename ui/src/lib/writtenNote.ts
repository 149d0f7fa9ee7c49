// Notes the program itself writes into the store, in Indonesian (the store keeps one text; the
// monthly report, the BAST and the stock card are Indonesian documents): said in the window's
// language. A note a person typed is shown as typed.
import { t } from "../i18n/lang.svelte";

/** `src/app/stock.rs`: the adjustment an approved stock-take makes for a lot's difference. */
const OPNAME_DIFFERENCE = "selisih stock opname";
/** `src/family/db.rs::merge`: the retired family's reason, and the other pairs it settles. */
const MERGED_INTO = /^Digabung ke (KLG-\d+): ([\s\S]*)$/;
const SETTLED_BY_MERGE = /^Ikut diselesaikan oleh penggabungan pasangan #(\d+)$/;

export function writtenNote(text: string): string {
  if (text === OPNAME_DIFFERENCE) return t("note.opname_difference");
  const merged = MERGED_INTO.exec(text);
  if (merged) return t("note.merged_into", { code: merged[1], note: merged[2] });
  const settled = SETTLED_BY_MERGE.exec(text);
  if (settled) return t("note.settled_by_merge", { n: settled[1] });
  return text;
}
