// Arrival times of simulated clients. People come in sessions (a few per day, at their own waking
// hours) with log-normal think times between questions; apps that aggregate many people are a
// Poisson stream that follows the day; scripts fire back to back or on a schedule with jitter.
import type { Random } from "../../random/index.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const exponential = (rng: Random, mean: number) => -Math.log(1 - rng.uniform53()) * mean;
export const logNormal = (rng: Random, median: number, sigma: number) => median * Math.exp(sigma * rng.normal());

/** `count` times within [dayStart, dayStart + 24 h), in sessions around the person's active hours. */
export function humanTimes(rng: Random, dayStart: number, count: number, thinkMedianMs = 45_000): number[] {
  const awake = 7 * HOUR + rng.uniform53() * 6 * HOUR; // the person's own morning (time zones differ)
  const times: number[] = [];
  while (times.length < count) {
    let t = dayStart + ((awake + rng.uniform53() * 15 * HOUR) % (24 * HOUR));
    const length = 1 + Math.floor(exponential(rng, 6));
    for (let i = 0; i < length && times.length < count; i++) {
      times.push(t);
      t += Math.max(2_000, logNormal(rng, thinkMedianMs, 1));
    }
  }
  return times.map((time) => Math.min(time, dayStart + 24 * HOUR - 1)).sort((a, b) => a - b);
}

/** A day-shaped Poisson stream of `count` arrivals (thinning against 1 + 0.8 sin over the day). */
export function appTimes(rng: Random, dayStart: number, count: number): number[] {
  const times: number[] = [];
  while (times.length < count) {
    const offset = rng.uniform53() * 24 * HOUR;
    const intensity = (1 + 0.8 * Math.sin((2 * Math.PI * (offset - 8 * HOUR)) / (24 * HOUR))) / 1.8;
    if (rng.uniform53() < intensity) times.push(dayStart + offset);
  }
  return times.sort((a, b) => a - b);
}

/** Back-to-back requests of a script with `concurrency` in flight, each taking about `latencyMs`. */
export function scriptTimes(rng: Random, start: number, count: number, concurrency: number, latencyMs: number): number[] {
  const slots = new Array<number>(concurrency).fill(start);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const slot = i % concurrency;
    times.push(slots[slot]!);
    slots[slot]! += Math.max(50, logNormal(rng, latencyMs, 0.3));
  }
  return times.sort((a, b) => a - b);
}

export { exponential, HOUR, MINUTE };
