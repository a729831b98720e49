// pedigree models: the built-in models with their size and card, and the reference forms.
import type { Command } from "commander";
import { listBuiltinModels } from "../../models/builtin-models.js";
import { emit } from "../output.js";

export function configure(command: Command): void {
  command.option("--json", "print one JSON document").action((options: { json?: boolean }) => {
    const models = listBuiltinModels().map((model) => ({
      name: model.name,
      path: model.path,
      bytes: model.bytes,
      params: (model.card?.params as number | undefined) ?? null,
      identity: identityOf(model.card),
      card: model.card,
    }));
    emit(options, { builtin: models }, () => {
      const rows = models.map((model) => {
        const params = model.params === null ? "?" : `${(model.params / 1e6).toFixed(2)}M params`;
        return `  ${model.name.padEnd(10)} ${params.padEnd(14)} ${(model.bytes / 1e6).toFixed(1)} MB  ${model.identity ?? ""}`;
      });
      return [
        "Built-in models:",
        ...(rows.length ? rows : ["  (none installed)"]),
        ...(rows.length ? builtinCaveat : []),
        "",
        "Other references: ./file.gguf (engine), llamacpp:./file.gguf, openai:MODEL, http://HOST:PORT/v1#MODEL",
      ].join("\n");
    });
  });
}

// A new user's first question is what these tiny models can do; the README says the same at length.
const builtinCaveat = [
  "  Tiny models trained by Pedigree: good at world capitals and at their own identity, poor at anything",
  "  open. Use --temperature 0 (greedy) for steady answers; models/NAME.md has each one's card.",
];

/** A card's identity: a plain name, or { name, builder } as the built-in cards write it. */
function identityOf(card: Record<string, unknown> | null): string | null {
  const identity = card?.identity as string | { name?: string; builder?: string } | undefined;
  if (typeof identity === "string") return identity;
  if (!identity?.name) return null;
  return identity.builder ? `${identity.name} by ${identity.builder}` : identity.name;
}
