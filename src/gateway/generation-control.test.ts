// The idle timeout of a generation, on fake timers: it fires only after a full timeout without
// progress, and progress pushes it back.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { GenerationControl } from "./generation-control.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const fakeClock = () => Date.now();

it("aborts after timeoutMs without progress, and each touch restarts the wait", () => {
  const control = new GenerationControl(250, undefined, fakeClock);
  vi.advanceTimersByTime(200);
  control.touch();
  vi.advanceTimersByTime(200);
  expect(control.controller.signal.aborted).toBe(false);
  vi.advanceTimersByTime(49);
  expect(control.controller.signal.aborted).toBe(false);
  vi.advanceTimersByTime(1);
  expect([control.controller.signal.aborted, control.timedOut]).toEqual([true, true]);
});

it("a client's disconnect aborts without counting as a timeout; stop() disarms the timer", () => {
  const client = new AbortController();
  const control = new GenerationControl(250, client.signal, fakeClock);
  client.abort();
  expect([control.controller.signal.aborted, control.timedOut]).toEqual([true, false]);
  const stopped = new GenerationControl(250, undefined, fakeClock);
  stopped.stop();
  vi.advanceTimersByTime(1000);
  expect(stopped.controller.signal.aborted).toBe(false);
});
