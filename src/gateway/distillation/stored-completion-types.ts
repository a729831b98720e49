// A stored completion as the index keeps it: which logged exchange it is, its key and its metadata.
export interface StoredCompletion {
  id: string;
  /** The logged exchange: its replica's chain and its position there. Entries written before chains
   *  had names have no chain; their exchange ids are positions in the legacy chain. */
  exchange_chain?: string;
  exchange_id: number;
  key_id: string;
  model: string;
  created: number;
  metadata: Record<string, string>;
  finish_reason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}
