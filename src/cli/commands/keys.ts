// pedigree keys create|list|revoke: the gateway's API keys. The secret is printed once, at creation.
import type { Command } from "commander";
import { openGatewayData, type DataOptions } from "../../gateway/data-options.js";
import { KeyStore, type KeyPolicyInput, type KeyRecord } from "../../gateway/keys.js";
import { UsageError } from "../errors.js";
import { emit, note } from "../output.js";

interface CommonOptions extends DataOptions {
  json?: boolean;
}

interface CreateOptions extends CommonOptions {
  name: string;
  models?: string;
  rpm?: string;
  tpm?: string;
  dailyTokens?: string;
  watermark: boolean;
  distillation?: boolean;
}

function positiveInteger(flag: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new UsageError(`${flag} must be a positive whole number, got '${value}'`);
  return parsed;
}

function withStore<T>(options: DataOptions, work: (store: KeyStore) => T): T {
  const { db } = openGatewayData(options);
  try {
    return work(new KeyStore(db));
  } finally {
    db.close();
  }
}

function describe(key: KeyRecord): Record<string, unknown> {
  return { id: key.id, name: key.name, created_at: new Date(key.createdAt).toISOString(), revoked_at: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(), policy: key.policy };
}

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
      .option("--no-watermark", "serve this key's outputs unwatermarked")
      .option("--distillation", "license this key's outputs for distillation"),
  ).action((options: CreateOptions) => {
    const policy: KeyPolicyInput = {
      models: options.models ? options.models.split(",").map((name) => name.trim()).filter(Boolean) : null,
      rpm: positiveInteger("--rpm", options.rpm),
      tpm: positiveInteger("--tpm", options.tpm),
      dailyTokens: positiveInteger("--daily-tokens", options.dailyTokens),
      watermark: options.watermark,
      distillation: options.distillation === true,
    };
    const { record, secret } = withStore(options, (store) => store.create(options.name, policy));
    if (!options.json) note("Store this key now: it is not kept and cannot be shown again.");
    emit(options, { id: record.id, name: record.name, key: secret, policy: record.policy }, () => `${record.id}  ${record.name}\n${secret}`);
  });

  dataFlags(command.command("list").description("list keys and their policies (never the secrets)")).action((options: CommonOptions) => {
    const keys = withStore(options, (store) => store.list()).map(describe);
    emit(options, { keys }, () =>
      keys.length === 0
        ? "no keys yet; create one with 'pedigree keys create --name NAME'"
        : keys.map((key) => `${key.id}  ${String(key.name).padEnd(16)} ${key.revoked_at ? "revoked" : "active "}  ${JSON.stringify(key.policy)}`).join("\n"),
    );
  });

  dataFlags(command.command("revoke").description("revoke a key (takes effect on the running gateway at once)").argument("<id>", "key id (key_…)")).action(
    (id: string, options: CommonOptions) => {
      const key = describe(withStore(options, (store) => store.revoke(id)));
      emit(options, key, () => `revoked ${key.id} (${key.name})`);
    },
  );
}
