// Standard normal tails in log space, through the incomplete gamma: P(Z >= z) = Q(½, z²/2) / 2 for z >= 0.
import { logGammaUpperTail } from "./gamma.js";
import { log1mExp } from "./log-space.js";
import { StatsError } from "./errors.js";

/** ln P(Z >= z) for Z ~ N(0, 1). */
export function logNormalUpperTail(z: number): number {
  if (Number.isNaN(z)) throw new StatsError("STATS_BAD_ARGUMENT", "normal tail needs a number, got NaN");
  if (z === Infinity) return -Infinity;
  if (z === -Infinity) return 0;
  if (z >= 0) return Math.log(0.5) + logGammaUpperTail(0.5, (z * z) / 2);
  return log1mExp(logNormalUpperTail(-z));
}

/** ln P(Z <= z) for Z ~ N(0, 1). */
export function logNormalLowerTail(z: number): number {
  return logNormalUpperTail(-z);
}
