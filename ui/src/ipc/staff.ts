// Staff accounts (admin only) and changing one's own password (anyone signed in).
import { call } from "./core";
import type { NewStaff } from "./bindings/NewStaff";
import type { Role } from "./bindings/Role";
import type { Staff } from "./bindings/Staff";

export function staffList(): Promise<Staff[]> {
  return call("staff_list");
}

export function staffAdd(staff: NewStaff): Promise<Staff> {
  return call("staff_add", { staff });
}

/**
 * Deactivating needs a reason. Activating needs a new password (`password`, null otherwise): a
 * deactivated account lost its copy of the database key, and the new password wraps a fresh one.
 */
export function staffSetActive(id: number, active: boolean, reason: string, password: string | null): Promise<Staff> {
  return call("staff_set_active", { id, active, reason, password });
}

export function staffSetRole(id: number, role: Role): Promise<Staff> {
  return call("staff_set_role", { id, role });
}

export function staffUnlock(id: number): Promise<Staff> {
  return call("staff_unlock", { id });
}

export function staffResetPassword(id: number, password: string): Promise<null> {
  return call("staff_reset_password", { id, password });
}

/** The signed-in person's own password. */
export function passwordChange(oldPassword: string, newPassword: string): Promise<null> {
  return call("password_change", { old: oldPassword, new: newPassword });
}
