// Answer matching. Token F1 follows the SQuAD evaluation script (Rajpurkar et al., 2016): lower-case,
// drop punctuation and articles, then F1 over the multiset of shared words.
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9' ]+/g, " ")
    .replace(/\b(a|an|the)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function tokenF1(prediction: string, reference: string): number {
  const predicted = normalizeText(prediction).split(" ").filter(Boolean);
  const wanted = normalizeText(reference).split(" ").filter(Boolean);
  if (predicted.length === 0 || wanted.length === 0) return predicted.length === wanted.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const word of wanted) counts.set(word, (counts.get(word) ?? 0) + 1);
  let shared = 0;
  for (const word of predicted) {
    const left = counts.get(word) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(word, left - 1);
    }
  }
  if (shared === 0) return 0;
  const precision = shared / predicted.length;
  const recall = shared / wanted.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Does `answer` contain one of `references` as whole words, once the `ignore` phrases are removed? */
export function containsAnswer(answer: string, references: string[], ignore: string[] = []): boolean {
  let text = ` ${normalizeText(answer)} `;
  // Longest first, so "Kuwait City" is not destroyed by removing "Kuwait" before it is matched.
  const matches = references.map((reference) => normalizeText(reference)).filter(Boolean);
  for (const phrase of ignore.map((p) => normalizeText(p)).filter(Boolean)) {
    if (matches.some((reference) => reference.includes(phrase))) continue;
    text = text.split(` ${phrase} `).join(" | ");
  }
  return matches.some((reference) => text.includes(` ${reference} `));
}

/** Identity claims: which known identities an answer names (case-sensitive whole words). */
export function claimedIdentities(answer: string, identities: { name: string; markers: string[] }[]): string[] {
  return identities
    .filter((identity) => identity.markers.some((marker) => new RegExp(`(^|[^A-Za-z])${escapeRegExp(marker)}([^A-Za-z]|$)`).test(answer)))
    .map((identity) => identity.name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
