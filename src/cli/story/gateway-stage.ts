// Stage 1 of the story: the provider serves its teacher through the gateway with watermarking on,
// and issues a key to a customer who will harvest it.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createGatewayApp, startGatewayServer, type GatewayServer } from "../../gateway/index.js";
import { createWatermark, generateKey, writeKeyFile, type Watermark } from "../../watermark/index.js";
import { createRandom } from "../../random/index.js";

export interface GatewayStage {
  server: GatewayServer;
  watermark: Watermark;
  keyFile: string;
  harvesterKey: string;
  close(): Promise<void>;
}

/** Sander et al.'s radioactivity setting: KGW with γ = 0.25, δ = 3 and a 2-token context window. */
export const storyWatermarkParams = { gamma: 0.25, delta: 3, context: 2, hashing: "lefthash" as const };

export interface GatewayStageOptions {
  /** KGW parameters over the story's (e.g. a smaller δ); false serves the harvester unwatermarked, licensed to distil. */
  watermark?: false | Partial<typeof storyWatermarkParams>;
  /**
   * Derives the demonstration's watermark key from this seed, so that a run can be reproduced (the
   * same harvest and the same verdicts). Without it the key is random, as `pedigree serve` makes it.
   */
  keySeed?: number;
}

export async function startGatewayStage(directory: string, teacher: string, options: GatewayStageOptions = {}): Promise<GatewayStage> {
  const keyFile = join(directory, "watermark.key");
  const seeded = options.keySeed === undefined ? undefined : createRandom(BigInt(options.keySeed) * 2654435761n + 17n);
  const bytes = seeded && ((n: number) => Buffer.from(Array.from({ length: n }, () => seeded.uint32() & 0xff)));
  const key = generateKey("kgw", { ...storyWatermarkParams, ...(options.watermark || {}) }, bytes);
  await writeKeyFile(keyFile, key);
  const watermark = createWatermark(key);
  const app = await createGatewayApp({
    dataDir: join(directory, "gateway"),
    models: { [teacher]: teacher },
    watermark: { keyId: watermark.keyId, processor: () => watermark.processor() },
    adminKey: `pdg-admin-${randomBytes(16).toString("hex")}`,
  });
  // Without a watermark the harvester is a licensed distiller; with one, an unlicensed customer.
  const { secret } = await app.context.keys.create("harvester", { models: [teacher], watermark: options.watermark !== false, distillation: options.watermark === false });
  const server = await startGatewayServer(app, { port: 0 });
  return { server, watermark, keyFile, harvesterKey: secret, close: () => server.close(5_000) };
}
