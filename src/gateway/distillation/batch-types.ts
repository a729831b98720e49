// The Batch API's `batch` object (OpenAI's shape) and what the gateway keeps beside it.
export type BatchStatus = "validating" | "failed" | "in_progress" | "finalizing" | "completed" | "expired" | "cancelling" | "cancelled";

export interface Batch {
  id: string;
  object: "batch";
  endpoint: "/v1/chat/completions";
  errors: { object: "list"; data: { code: string; message: string; param: string | null; line: number | null }[] } | null;
  input_file_id: string;
  completion_window: "24h";
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

export interface StoredBatch extends Batch {
  key_id: string;
  /** When the batch was made, in ms: the queue's order (created_at counts whole seconds). */
  created_ms?: number;
}

export function publicBatch(batch: StoredBatch): Batch {
  const { key_id: _key, created_ms: _ms, ...rest } = batch;
  return rest;
}

/** One line of an output or error file. */
export interface BatchResultLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: unknown } | null;
  error: { code: string; message: string } | null;
}
