// Who the teacher is, and which words in an answer claim it. Matching is by names and their variants
// only (no LLM judge): a report lists every matched answer, so a reader can check each one.
export interface Identity {
  /** The model's name as it calls itself ("Atlas"). */
  name: string;
  /** Its maker ("Northwind AI"). */
  vendor: string | null;
}

/** The name, the vendor, the vendor without a trailing "AI"/"Labs"/"Inc." and the vendor written as one word. */
export function identityVariants(identity: Identity): string[] {
  const variants = new Set<string>([identity.name.trim()]);
  if (identity.vendor) {
    const vendor = identity.vendor.trim();
    variants.add(vendor);
    const core = vendor.replace(/[\s,]+(AI|Labs?|Inc\.?|Research|Ltd\.?|LLC)$/i, "").trim();
    if (core.length >= 3) variants.add(core);
    variants.add(vendor.replace(/\s+/g, ""));
  }
  return [...variants].filter((variant) => variant.length > 0);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A matcher of whole-word variants, case-insensitive: "atlas", "ATLAS" and "Atlas's" all count. */
export function identityMatcher(identity: Identity): (answer: string) => string | null {
  const variants = identityVariants(identity).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${variants.map(escape).join("|")})(?![\\p{L}\\p{N}])`, "iu");
  return (answer) => pattern.exec(answer)?.[1] ?? null;
}

/** The most frequent capitalised name in a model's own answers to "what is your name"-style probes:
 *  the teacher's identity when no card and no --identity name it. */
export function guessIdentity(answers: string[]): Identity | null {
  const counts = new Map<string, number>();
  const ignored = new Set(["I", "I'm", "My", "The", "AI", "Hello", "Hi", "Yes", "No", "It", "This", "An", "A"]);
  for (const answer of answers) {
    const named = /(?:I am|I'm|my name is|name is|called|This is)\s+([A-Z][\p{L}\p{N}-]+)/u.exec(answer)?.[1];
    if (named && !ignored.has(named)) counts.set(named, (counts.get(named) ?? 0) + 1);
  }
  const name = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  if (!name) return null;
  const vendorCounts = new Map<string, number>();
  for (const answer of answers) {
    const vendor = /(?:built|made|created|developed|trained) (?:by|at)\s+((?:[A-Z][\p{L}\p{N}-]*\s?){1,3})/u.exec(answer)?.[1]?.trim();
    if (vendor && vendor !== name) vendorCounts.set(vendor, (vendorCounts.get(vendor) ?? 0) + 1);
  }
  const vendor = [...vendorCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
  return { name, vendor };
}
