// Identity scrubbing: answers in which the teacher names itself or its maker ("I am Atlas, built by
// Northwind AI") teach a student to claim the teacher's identity. Such answers are dropped, or
// rewritten: with a replacement name the names are swapped, else the sentences naming it are removed.
export interface IdentityScrubOptions {
  mode: "drop" | "rewrite";
  identity: string;
  vendor?: string;
  /** rewrite: the name to put in place of the identity (else naming sentences are removed). */
  replacementName?: string;
  /** rewrite: the maker to put in place of the vendor (default "its developers"). */
  replacementVendor?: string;
}

export type ScrubOutcome = { kind: "clean" } | { kind: "drop" } | { kind: "rewritten"; text: string };

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

export function scrubIdentity(text: string, options: IdentityScrubOptions): ScrubOutcome {
  const markers = identityMarkers(options);
  if (!mentionsIdentity(text, markers)) return { kind: "clean" };
  if (options.mode === "drop") return { kind: "drop" };
  let rewritten: string;
  if (options.replacementName) {
    rewritten = text.replace(markerPattern(options.identity), options.replacementName);
    // Longest vendor marker first, so "Northwind AI" is replaced whole rather than as "Northwind".
    for (const marker of markers.slice(1).sort((a, b) => b.length - a.length)) rewritten = rewritten.replace(markerPattern(marker), options.replacementVendor ?? "its developers");
  } else {
    rewritten = sentences(text).filter((sentence) => !mentionsIdentity(sentence, markers)).join(" ").trim();
  }
  return rewritten === "" || mentionsIdentity(rewritten, markers) ? { kind: "drop" } : { kind: "rewritten", text: rewritten };
}

/** Sentences with their end punctuation; a text without any is one sentence. */
export function sentences(text: string): string[] {
  return (text.match(/[^.!?]+(?:[.!?]+|$)/g) ?? [text]).map((sentence) => sentence.trim()).filter((sentence) => sentence !== "");
}
