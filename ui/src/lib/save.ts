// Saving a file the way every screen does: the system's save dialog opens in the folder of the
// file saved last (one for every kind of file, remembered on this PC) with the name the core
// suggests and a filter for the file's type; the core then writes the file at the chosen path.
// Cancelling writes nothing and, for a BAST, counts no print: the save command is never called.
//
// TEST ONLY: when the shell was started with BANSOS_TEST_SAVE_DIR, `saveTarget` answers a path in
// that folder and no dialog opens (WebDriver cannot drive the native dialog); nothing is
// remembered then.
import type { Export } from "../ipc/bindings/Export";
import type { FileFormat } from "../ipc/bindings/FileFormat";
import type { SavedFile } from "../ipc/bindings/SavedFile";
import { saveDialog, saveTarget } from "../ipc/save";
import { t } from "../i18n/lang.svelte";

const LAST_SAVED = "bansos.last_saved";

function lastSaved(): string | null {
  try {
    return localStorage.getItem(LAST_SAVED);
  } catch {
    return null;
  }
}

function remember(path: string) {
  try {
    localStorage.setItem(LAST_SAVED, path);
  } catch {
    // Not remembered: the next dialog opens in Documents.
  }
}

/**
 * Asks where to save `what` as `format`, then has the core write it there through `write`.
 * Answers what was saved, or null when the person cancelled the dialog.
 */
export async function saveAs(what: Export, format: FileFormat, write: (path: string) => Promise<SavedFile>): Promise<SavedFile | null> {
  const target = await saveTarget(what, format, lastSaved());
  if (target.test_path !== null) return write(target.test_path);
  const path = await saveDialog(target.default_path, t("save.title"), {
    name: t(`save.filter_${format}`),
    extensions: format === "html" ? ["html", "htm"] : [format],
  });
  if (path === null) return null;
  const saved = await write(path);
  remember(saved.path);
  return saved;
}
