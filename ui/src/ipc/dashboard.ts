// Beranda: the facility's month at a glance (the open month live from the 1st to today, closed
// months from their stored reports, stock alerts, families, coming events, months to close, the
// outbox), or in regional mode the Kanwil's last ended month across the province.
import { call } from "./core";
import type { Dashboard } from "./bindings/Dashboard";
import type { RegionalDashboard } from "./bindings/RegionalDashboard";

/** The facility's dashboard: the parts the signed-in role may see (families and events may be null). */
export function dashboard(): Promise<Dashboard> {
  return call("dashboard", {});
}

/** The Kanwil's dashboard: the province's last ended month, whose reports are due now. */
export function regionalDashboard(): Promise<RegionalDashboard> {
  return call("regional_dashboard", {});
}
