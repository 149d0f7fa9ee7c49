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
import { saveDialog, saveTarget, saveTargetNamed, type SaveTarget } from "../ipc/save";
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
  return saveTo(target, { name: t(`save.filter_${format}`), extensions: format === "html" ? ["html", "htm"] : [format] }, write);
}

/**
 * The same for a file whose name is known already: an exchange file named by the core (a bundle's
 * `file_name`, an enrollment file), or a recap. `filterName` describes the file's type; its
 * ending is taken from `name`.
 */
export async function saveNamed(name: string, filterName: string, write: (path: string) => Promise<SavedFile>): Promise<SavedFile | null> {
  const target = await saveTargetNamed(name, lastSaved());
  const dot = name.lastIndexOf(".");
  return saveTo(target, { name: filterName, extensions: dot > 0 ? [name.slice(dot + 1)] : ["*"] }, write);
}

async function saveTo(target: SaveTarget, filter: { name: string; extensions: string[] }, write: (path: string) => Promise<SavedFile>): Promise<SavedFile | null> {
  if (target.test_path !== null) return write(target.test_path);
  const path = await saveDialog(target.default_path, t("save.title"), filter);
  if (path === null) return null;
  const saved = await write(path);
  remember(saved.path);
  return saved;
}

/** The folder of the file saved last, where an open dialog starts too (a stick, a shared folder). */
export function lastFolder(): string | null {
  const last = lastSaved();
  if (last === null) return null;
  const cut = Math.max(last.lastIndexOf("/"), last.lastIndexOf("\\"));
  return cut > 0 ? last.slice(0, cut) : null;
}
