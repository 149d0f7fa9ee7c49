// Database backups. Restoring is deliberately not here: it replaces the database and is done
// with `bansos restore` while the app is closed.
import { call } from "./core";
import type { BackupInfo } from "./bindings/BackupInfo";

export function backupNow(): Promise<BackupInfo> {
  return call("backup_now");
}

/** Newest first. */
export function backupList(): Promise<BackupInfo[]> {
  return call("backup_list");
}
