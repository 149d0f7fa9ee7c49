// Where a file the window saves goes: the name the core suggests, the folder the dialog first opens
// in, and the system's save dialog itself (the dialog plugin). Screens save through
// `lib/save.ts`, which puts these together; the files are written by each domain's save command.
// The same for files the window reads by path (the exchange's bundles, answers, registration and
// enrollment files): the system's open dialog, through `lib/open.ts`.
import { open, save } from "@tauri-apps/plugin-dialog";
import { call, IpcError } from "./core";
import type { Export } from "./bindings/Export";
import type { FileFormat } from "./bindings/FileFormat";

/** What the save dialog starts from (mirrors `SaveTarget` in src-tauri/src/commands/save.rs). */
export type SaveTarget = {
  /** The name the core suggests (what it is, the facility's local time) in the folder to open. */
  default_path: string;
  /** TEST ONLY (BANSOS_TEST_SAVE_DIR): save here without asking, as WebDriver cannot drive the dialog. */
  test_path: string | null;
};

/** Where to start: the folder of `last` (the file saved last) while it exists, else Documents. */
export function saveTarget(what: Export, format: FileFormat, last: string | null): Promise<SaveTarget> {
  return call("save_target", { what, format, last });
}

/** The same for a file whose name is already known (a bundle's `file_name`): `name` is a file name only. */
export function saveTargetNamed(name: string, last: string | null): Promise<SaveTarget> {
  return call("save_target_named", { name, last });
}

/**
 * TEST ONLY (BANSOS_TEST_OPEN_DIR): what the open dialog would answer — the folder itself when
 * `folder`, else its files ending in `.<ending>` — or null when the dialog is to be shown.
 */
export function openTestPaths(ending: string, folder: boolean): Promise<string[] | null> {
  return call("open_test_paths", { ending, folder });
}

/**
 * The system's open dialog for files with one file-type filter (one, or several when `multiple`),
 * or for one folder (`filter` null). The chosen paths, or null when cancelled.
 */
export async function openDialog(
  title: string,
  defaultPath: string | null,
  filter: { name: string; extensions: string[] } | null,
  multiple = false,
): Promise<string[] | null> {
  try {
    const base = { title, defaultPath: defaultPath ?? undefined };
    if (filter === null) {
      const folder = await open({ ...base, directory: true, multiple: false });
      return folder === null ? null : [folder];
    }
    if (multiple) return await open({ ...base, multiple: true, filters: [filter] });
    const file = await open({ ...base, multiple: false, filters: [filter] });
    return file === null ? null : [file];
  } catch (e) {
    throw IpcError.from(e);
  }
}

/**
 * The system's save dialog, opening at `defaultPath` (folder and suggested name) with one file-type
 * filter; it asks before replacing a file. The chosen path, or null when cancelled.
 */
export async function saveDialog(defaultPath: string, title: string, filter: { name: string; extensions: string[] }): Promise<string | null> {
  try {
    return await save({ title, defaultPath, filters: [filter] });
  } catch (e) {
    // The plugin rejects with a plain string: an IpcError, like every other failure.
    throw IpcError.from(e);
  }
}
