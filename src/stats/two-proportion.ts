// The two-proportion z-test with the pooled variance estimate.
import { logNormalLowerTail, logNormalUpperTail } from "./normal.js";
import { StatsError } from "./errors.js";
import type { Alternative, TestResult } from "./fisher.js";

/** H0: both proportions equal. "greater" tests x1/n1 > x2/n2. The statistic is z. */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number, alternative: Alternative = "two-sided"): TestResult {
  if (!(n1 > 0 && n2 > 0) || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) {
    throw new StatsError("STATS_BAD_ARGUMENT", `two-proportion test needs 0 <= x <= n and n > 0 (got ${x1}/${n1}, ${x2}/${n2})`);
  }
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const diff = x1 / n1 - x2 / n2;
  const z = se === 0 ? (diff === 0 ? 0 : Math.sign(diff) * Infinity) : diff / se;
  const logP =
    alternative === "greater" ? logNormalUpperTail(z)
    : alternative === "less" ? logNormalLowerTail(z)
    : Math.min(0, Math.log(2) + logNormalUpperTail(Math.abs(z)));
  return { statistic: z, log_p: logP, p_value: Math.exp(logP) };
}
