// The storage schema's version. Both stores migrate up to it at start, one step at a time, and a
// gateway refuses a database whose schema is newer than the one it knows (a newer replica migrated
// it): running old code against it could write rows the newer code would not verify.
import { GatewayError } from "../errors.js";

export const SCHEMA_VERSION = 4;

export function refuseNewerSchema(found: number, where: string): void {
  if (found > SCHEMA_VERSION) {
    throw new GatewayError("STORE_SCHEMA_TOO_NEW", `${where} has storage schema version ${found}, newer than this gateway's ${SCHEMA_VERSION}; upgrade pedigree on this machine before starting it`, { status: 500, type: "server_error" });
  }
}
