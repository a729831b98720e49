// pedigree keys create|list|revoke: the gateway's API keys. The secret is printed once, at creation.
import { Option, type Command } from "commander";
import { openGatewayStore, type DataOptions } from "../../gateway/data-options.js";
import { alreadyRevokedError, type KeyPolicyInput, type KeyRecord } from "../../gateway/store/key-policy.js";
import type { KeyStore } from "../../gateway/store/store.js";
import { UsageError } from "../errors.js";
import { emit, note } from "../output.js";

interface CommonOptions extends DataOptions {
  json?: boolean;
}

interface CreateOptions extends CommonOptions {
  init?: boolean;
  name: string;
  models?: string;
  rpm?: string;
  tpm?: string;
  dailyTokens?: string;
  watermark: boolean;
  distillation?: boolean;
  defence: "none" | "antidistill";
}

function positiveInteger(flag: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new UsageError(`${flag} must be a positive whole number, got '${value}'`);
  return parsed;
}

/** Keys live in the gateway's store (PostgreSQL, or an existing SQLite data directory; only
 *  `create --init` starts a new one). */
async function withStore<T>(options: DataOptions, work: (keys: KeyStore) => Promise<T>, creating?: { init: boolean }): Promise<T> {
  const { store } = creating?.init ? await openGatewayStore(options, "create") : await openGatewayStore(options, "keys", creating ? ", or add --init to start a new data directory there" : "");
  try {
    return await work(store.keys);
  } finally {
    await store.close();
  }
}

function describe(key: KeyRecord): Record<string, unknown> {
  return { id: key.id, name: key.name, created_at: new Date(key.createdAt).toISOString(), revoked_at: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(), policy: key.policy };
}

// What each policy field does, for `keys create --help` (the README's gateway section says the same).
const POLICY_HELP = `
Policy fields (stored with the key, shown by 'keys list'):
  models        --models       the only served models this key may call; others answer 404 and are
                               missing from its /v1/models (default: every served model)
  rpm           --rpm          requests per sliding minute; past it, 429 with Retry-After
  tpm           --tpm          tokens (prompt + completion) per sliding minute; 429 past it
  dailyTokens   --daily-tokens tokens per UTC day; 429 insufficient_quota until midnight UTC
  watermark     --no-watermark answers from white-box backends (built-in models, GGUF files) carry
                               the gateway's watermark; pass-through upstreams cannot be watermarked.
                               Only a licensed key may turn it off
  distillation  --distillation the key is licensed to train models on its answers. Recorded on every
                               exchange (distillation_licensed). Without it the key is always
                               watermarked, and --no-watermark is refused
  defence       --defence      none (default) or antidistill: white-box answers are sampled to make
                               worse training data (needs defences.antidistill for the model)

The rate windows live in the server (SQLite), or in Redis or PostgreSQL when replicas share them;
one server per data directory (a second 'serve' there exits).`;

const dataFlags = (command: Command) =>
  command.option("--data <dir>", "gateway data directory (default ./.pedigree or PEDIGREE_HOME)").option("--config <file>", "gateway config file (YAML or JSON)").option("--json", "print one JSON document");

export function configure(command: Command): void {
  dataFlags(
    command
      .command("create")
      .description("create a key; its secret is shown this once")
      .requiredOption("--name <name>", "a label for the key")
      .option("--models <list>", "comma-separated model names the key may use (default: all)")
      .option("--rpm <n>", "requests per minute")
      .option("--tpm <n>", "tokens per minute")
      .option("--daily-tokens <n>", "tokens per UTC day")
      .option("--no-watermark", "serve this key's outputs unwatermarked (only with --distillation)")
      .option("--distillation", "license this key's outputs for distillation")
      .addOption(new Option("--defence <kind>", "serving-time defence on white-box models").choices(["none", "antidistill"]).default("none"))
      .option("--init", "create the data directory if it holds no gateway data yet")
      .addHelpText("after", POLICY_HELP),
  ).action(async (options: CreateOptions) => {
    const policy: KeyPolicyInput = {
      models: options.models ? options.models.split(",").map((name) => name.trim()).filter(Boolean) : null,
      rpm: positiveInteger("--rpm", options.rpm),
      tpm: positiveInteger("--tpm", options.tpm),
      dailyTokens: positiveInteger("--daily-tokens", options.dailyTokens),
      watermark: options.watermark,
      distillation: options.distillation === true,
      defence: options.defence,
    };
    if (!policy.watermark && !policy.distillation) throw new UsageError("--no-watermark needs --distillation: a key not licensed for distillation is always watermarked");
    const { record, secret } = await withStore(options, (keys) => keys.create(options.name, policy), { init: options.init === true });
    if (!options.json) note("Store this key now: it is not kept and cannot be shown again.");
    emit(options, { id: record.id, name: record.name, key: secret, policy: record.policy }, () => `${record.id}  ${record.name}\n${secret}`);
  });

  dataFlags(command.command("list").description("list keys and their policies (never the secrets)")).action(async (options: CommonOptions) => {
    const keys = (await withStore(options, (store) => store.list())).map(describe);
    emit(options, { keys }, () =>
      keys.length === 0
        ? "no keys yet; create one with 'pedigree keys create --name NAME'"
        : keys.map((key) => `${key.id}  ${String(key.name).padEnd(16)} ${key.revoked_at ? "revoked" : "active "}  ${JSON.stringify(key.policy)}`).join("\n"),
    );
  });

  dataFlags(command.command("revoke").description("revoke a key (the running gateway refuses it from its next request)").argument("<id>", "key id (key_…)")).action(
    async (id: string, options: CommonOptions) => {
      const { record, alreadyRevoked } = await withStore(options, (store) => store.revoke(id));
      const key = { ...describe(record), status: alreadyRevoked ? "already_revoked" : "revoked" };
      if (alreadyRevoked) {
        // The document still goes to stdout for scripts; the error line and exit code 1 say nothing changed.
        if (options.json) emit(options, key, () => "");
        throw alreadyRevokedError(record);
      }
      emit(options, key, () => `revoked ${record.id} (${record.name})`);
    },
  );
}
