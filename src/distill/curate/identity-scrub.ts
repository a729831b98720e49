// Identity scrubbing: turns in which the teacher names itself or its maker ("I am Atlas, built by
// Northwind AI") teach a student to claim the teacher's identity, whether they are the answer or an
// earlier turn of a multi-turn prompt that the student reads as context. Every turn is scrubbed: a row
// naming the teacher anywhere is dropped, or rewritten with the names swapped for neutral ones.
export const DEFAULT_REPLACEMENT_NAME = "Assistant";
export const DEFAULT_REPLACEMENT_VENDOR = "its developers";

export interface IdentityScrubOptions {
  mode: "drop" | "rewrite";
  identity: string;
  vendor?: string;
  /** rewrite: the name put in place of the identity (default DEFAULT_REPLACEMENT_NAME). */
  replacementName?: string;
  /** rewrite: the maker put in place of the vendor (default DEFAULT_REPLACEMENT_VENDOR). */
  replacementVendor?: string;
}

export type ScrubOutcome = { kind: "clean" } | { kind: "drop" } | { kind: "rewritten"; text: string };

/** The outcome for a whole conversation: `texts` holds every turn, changed or not, in order. */
export type TurnsScrubOutcome = { kind: "clean" } | { kind: "drop" } | { kind: "rewritten"; texts: string[]; changed: boolean[] };

/** Whole-word, case-insensitive markers: the name, the vendor, and the vendor's first word. */
export function identityMarkers(options: Pick<IdentityScrubOptions, "identity" | "vendor">): string[] {
  const markers = [options.identity];
  if (options.vendor) {
    markers.push(options.vendor);
    const first = options.vendor.split(/\s+/)[0]!;
    if (first !== options.vendor && first.length >= 4) markers.push(first);
  }
  return markers.filter((marker) => marker.trim() !== "");
}

function markerPattern(marker: string): RegExp {
  const escaped = marker.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "giu");
}

export function mentionsIdentity(text: string, markers: string[]): boolean {
  return markers.some((marker) => markerPattern(marker).test(text));
}

/** Replaces every match of `marker`, capitalising the replacement where it starts a sentence. */
function replaceMarker(text: string, marker: string, replacement: string): string {
  return text.replace(markerPattern(marker), (_match, offset: number, whole: string) => {
    const startsSentence = /(?:^|[.!?]\s+)$/u.test(whole.slice(0, offset));
    return startsSentence ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
  });
}

export function scrubIdentity(text: string, options: IdentityScrubOptions): ScrubOutcome {
  const markers = identityMarkers(options);
  if (!mentionsIdentity(text, markers)) return { kind: "clean" };
  if (options.mode === "drop") return { kind: "drop" };
  let rewritten = replaceMarker(text, options.identity, options.replacementName ?? DEFAULT_REPLACEMENT_NAME);
  // Longest vendor marker first, so "Northwind AI" is replaced whole rather than as "Northwind".
  for (const marker of markers.slice(1).sort((a, b) => b.length - a.length)) {
    rewritten = replaceMarker(rewritten, marker, options.replacementVendor ?? DEFAULT_REPLACEMENT_VENDOR);
  }
  // A replacement that itself contains a marker ("Atlas 2") would keep the claim: drop instead.
  return mentionsIdentity(rewritten, markers) ? { kind: "drop" } : { kind: "rewritten", text: rewritten };
}

/** Scrubs every turn of a conversation (system, user and assistant turns, and the answer) together. */
export function scrubTurns(texts: readonly string[], options: IdentityScrubOptions): TurnsScrubOutcome {
  const outcomes = texts.map((text) => scrubIdentity(text, options));
  if (outcomes.some((outcome) => outcome.kind === "drop")) return { kind: "drop" };
  if (outcomes.every((outcome) => outcome.kind === "clean")) return { kind: "clean" };
  return {
    kind: "rewritten",
    texts: outcomes.map((outcome, index) => (outcome.kind === "rewritten" ? outcome.text : texts[index]!)),
    changed: outcomes.map((outcome) => outcome.kind === "rewritten"),
  };
}
