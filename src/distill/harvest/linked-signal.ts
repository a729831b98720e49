// One abort signal per request, linked to the run's signal only while the request lasts. The openai
// client adds an abort listener to every request's signal and never removes it, so one shared
// signal collected a listener per prompt (MaxListenersExceededWarning past 10 requests).
export async function linkedSignal<T>(parent: AbortSignal | undefined, run: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!parent) return run(undefined);
  const child = new AbortController();
  const forward = (): void => child.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener("abort", forward, { once: true });
  try {
    return await run(child.signal);
  } finally {
    parent.removeEventListener("abort", forward);
  }
}
