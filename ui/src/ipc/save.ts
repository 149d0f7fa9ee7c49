// Where a file the window saves goes: the name the core suggests, the folder the dialog first opens
// in, and the system's save dialog itself (the dialog plugin). Screens save through
// `lib/save.ts`, which puts these together; the files are written by each domain's save command.
import { save } from "@tauri-apps/plugin-dialog";
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
