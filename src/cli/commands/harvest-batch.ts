// Which Batch API a --batch harvest talks to: the server and model of an API teacher reference.
import { parseModelReference } from "../../models/reference.js";
import { UsageError } from "../errors.js";

export function batchServer(teacher: string, apiKey: string | undefined, env: NodeJS.ProcessEnv = process.env): { baseURL: string; model: string; apiKey: string } {
  const reference = parseModelReference(teacher);
  if (reference.kind === "openai") {
    return { baseURL: env.OPENAI_BASE_URL ?? "https://api.openai.com/v1", model: reference.model, apiKey: apiKey ?? env.OPENAI_API_KEY ?? "" };
  }
  if (reference.kind === "http") return { baseURL: reference.baseURL, model: reference.model, apiKey: apiKey ?? env.PEDIGREE_API_KEY ?? "" };
  throw new UsageError(`--batch sends the harvest to a server's Batch API, so the teacher must be openai:MODEL or http://HOST:PORT/v1#MODEL, not '${teacher}'`);
}
