// Choosing files the core reads by path (the exchange's bundles, answers, registration,
// enrollment, key rotation and by-name files, or a folder of them): the system's open dialog,
// starting in the folder of the file saved last (often the same stick). Cancelling answers null
// and reads nothing.
//
// TEST ONLY: when the shell was started with BANSOS_TEST_OPEN_DIR, no dialog opens: a choice of
// files answers that folder's files with the asked ending, a choice of folder the folder itself
// (WebDriver cannot drive the native dialog).
import { openDialog, openTestPaths } from "../ipc/save";
import { t } from "../i18n/lang.svelte";
import { lastFolder } from "./save";

/**
 * Files ending in `.<ending>` (e.g. "bansos-bundle", or any of several endings), described by
 * `filterName`: one, or several when `multiple`. Null when cancelled; under the test setting,
 * possibly none.
 */
export async function pickFiles(ending: string | string[], filterName: string, multiple = false): Promise<string[] | null> {
  const endings = typeof ending === "string" ? [ending] : ending;
  const tests = await Promise.all(endings.map((e) => openTestPaths(e, false)));
  if (tests.every((p) => p !== null)) {
    const test = tests.flatMap((p) => p ?? []);
    return multiple ? test : test.slice(0, 1);
  }
  const chosen = await openDialog(multiple ? t("open.title_files") : t("open.title_file"), lastFolder(), { name: filterName, extensions: endings }, multiple);
  return chosen === null || chosen.length === 0 ? null : chosen;
}

/** One folder: to read its files from (`title` says which), or to write answers into. */
export async function pickFolder(title: string): Promise<string | null> {
  const test = await openTestPaths("", true);
  if (test !== null) return test[0] ?? null;
  const chosen = await openDialog(title, lastFolder(), null);
  return chosen?.[0] ?? null;
}
