// What protects a model's answers, as `/v1/models` (for the calling key) and `/admin/models` (for an
// unlicensed key) show it.
import type { ModelProtection } from "./defence-hook.js";
import type { GatewayContext } from "./gateway-context.js";
import type { KeyPolicy } from "./keys.js";

export function modelProtection(context: GatewayContext, name: string, policy: KeyPolicy | null): ModelProtection {
  return context.defence?.protection(name, policy) ?? { watermark: null, defence: null };
}
