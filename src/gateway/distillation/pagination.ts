// OpenAI's cursor pagination over a newest-first list: `after` (an id) and `limit` (1 to 100, default 20).
import { invalidRequest } from "./distillation-errors.js";

export function paginate<T extends { id: string }>(items: T[], url: URL, defaultLimit = 20): { object: "list"; data: T[]; has_more: boolean } {
  const limitText = url.searchParams.get("limit");
  const limit = limitText === null ? defaultLimit : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest("'limit' must be an integer from 1 to 100.", "limit");
  const after = url.searchParams.get("after");
  const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
  const data = items.slice(start, start + limit);
  return { object: "list", data, has_more: start + limit < items.length };
}
