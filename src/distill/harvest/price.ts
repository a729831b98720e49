// Price tables for cost estimates: "in=0.15,out=0.6" means $0.15 per million prompt tokens and $0.60
// per million completion tokens (the way API price lists quote them).
import { DistillError } from "../data/errors.js";

export interface PriceTable {
  inputPerMillion: number;
  outputPerMillion: number;
}

export function parsePriceTable(text: string): PriceTable {
  const table: Partial<PriceTable> = {};
  for (const part of text.split(",")) {
    const match = /^\s*(in|input|prompt|out|output|completion)\s*=\s*\$?\s*([0-9]*\.?[0-9]+(?:e-?\d+)?)\s*$/i.exec(part);
    if (!match) throw bad(text);
    const value = Number(match[2]);
    if (/^(in|input|prompt)$/i.test(match[1]!)) table.inputPerMillion = value;
    else table.outputPerMillion = value;
  }
  if (table.inputPerMillion === undefined || table.outputPerMillion === undefined) throw bad(text);
  return table as PriceTable;
}

export function costOf(price: PriceTable, promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.inputPerMillion + completionTokens * price.outputPerMillion) / 1e6;
}

function bad(text: string): DistillError {
  return new DistillError("HARVEST_BAD_OPTION", `cannot read the price table '${text}': write it as in=DOLLARS,out=DOLLARS per million tokens, e.g. in=0.15,out=0.6`);
}
