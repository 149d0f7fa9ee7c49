// The facility profile, numbering, logo and the regional offices' public keys.
import { call } from "./core";
import type { Facility } from "./bindings/Facility";
import type { FacilitySettings } from "./bindings/FacilitySettings";
import type { RegionalKeyInput } from "./bindings/RegionalKeyInput";
import type { TimeZone } from "./bindings/TimeZone";

export function facilityGet(): Promise<Facility> {
  return call("facility_get");
}

export function facilityUpdate(settings: FacilitySettings): Promise<Facility> {
  return call("facility_update", { settings });
}

/** PNG or JPEG bytes as base64; null removes the logo. */
export function facilitySetLogo(logoBase64: string | null): Promise<Facility> {
  return call("facility_set_logo", { logoBase64 });
}

export function regionalKeyAdd(key: RegionalKeyInput): Promise<Facility> {
  return call("regional_key_add", { key });
}

export function regionalKeyRemove(id: number): Promise<Facility> {
  return call("regional_key_remove", { id });
}

/** The number the pattern gives today's first receipt; rejects with the core's reason if the
 *  pattern is not acceptable (field `receipt_pattern`). Needs no session. */
export function receiptNumberPreview(pattern: string, code: string, timeZone: TimeZone): Promise<string> {
  return call("receipt_number_preview", { pattern, code, timeZone });
}
