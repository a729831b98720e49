// The evidence report as one self-contained page (no network, no script, pictures as inline SVG),
// in the manner of coverage.py's htmlcov: the verdict in one sentence, the tests with raw and Holm
// p-values, the pictures, sample answers side by side, and the hashes that pin what was audited.
import type { AuditReport } from "./run-audit.js";
import { escapeXml as escape, nullChart, pathChart, rateChart } from "./report-charts.js";
import type { AuditTestResult } from "./test-result.js";

const formatP = (log10: number) => (log10 > -4 ? Math.pow(10, log10).toPrecision(3) : `1e${log10.toFixed(1)}`);

const style = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 980px; color: #1d2430; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d8dde6; }
.verdict { font-size: 1.05rem; padding: .9rem 1rem; border-radius: 6px; border-left: 6px solid; margin: 1rem 0; }
.verdict-derived { background: #fdecec; border-color: #c62828; } .verdict-resembles { background: #fff6e0; border-color: #e6a100; }
.verdict-no_evidence { background: #e9f5ec; border-color: #2e7d32; }
.badge { font-weight: 700; text-transform: uppercase; letter-spacing: .04em; margin-right: .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; } th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e4e7ed; vertical-align: top; }
th { background: #f4f6f9; } td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.kind-provenance { color: #8e24aa; font-weight: 600; } .kind-similarity { color: #00695c; font-weight: 600; }
svg text { font: 12px system-ui, sans-serif; fill: #1d2430; } .chart-title { font-weight: 600; font-size: 13px; }
.bar { fill: #90a4ae; } .bar-main { fill: #3949ab; } .whisker { stroke: #1d2430; stroke-width: 1.4; } .axis { stroke: #90a4ae; }
.tick { fill: #5f6b7a; font-size: 11px; } .null-curve { fill: none; stroke: #607d8b; stroke-width: 2; } .observed { stroke: #c62828; stroke-width: 2.5; }
.note { color: #5f6b7a; font-size: .92rem; } code { font-size: .9em; background: #f4f6f9; padding: 0 .2em; }
.answers td { font-size: .9rem; } tr.not-run td { color: #8a94a3; } .path { fill: none; stroke: #3949ab; stroke-width: 2; } .level { stroke: #c62828; stroke-dasharray: 4 3; } .small { font-size: .85rem; color: #5f6b7a; word-break: break-all; }
`;

function testRow(test: AuditTestResult): string {
  if (!test.applicable) {
    return `<tr data-test="${escape(test.name)}" class="not-run"><td>${escape(test.name)}</td><td class="kind-${test.kind}">${test.kind}</td>`
      + `<td class="num">—</td><td class="num">—</td><td>not run</td><td class="num">${test.queries}</td><td class="note">${escape(test.note ?? "")}</td></tr>`;
  }
  const notes = [test.note, describe(test)].filter((text) => text).join("; ");
  return `<tr data-test="${escape(test.name)}"><td>${escape(test.name)}</td><td class="kind-${test.kind}">${test.kind}</td>`
    + `<td class="num">${formatP(test.log10_p)}</td><td class="num">${formatP(test.log10_p_holm)}</td>`
    + `<td>${test.rejected ? "<strong>rejects</strong>" : "does not reject"}</td><td class="num">${test.queries}</td>`
    + `<td class="note">${escape(notes)}</td></tr>`;
}

function describe(test: AuditTestResult): string {
  const d = test.detail as Record<string, any>;
  if (test.name === "radioactivity" || test.name === "radioactivity_reading") {
    const needed = d.scored_tokens_to_target === null ? "p never fell below 1e-6" : `p < 1e-6 after ${d.scored_tokens_to_target} scored tokens`;
    const lost = d.tokens_lost_to_retokenisation ? `; ${d.tokens_lost_to_retokenisation} positions lost to re-tokenisation` : "";
    const sequential = d.sequential ? (d.stopped_early ? "; stopped early, decided (p = 2 × the anytime-valid p)" : "; ran to its planned size (p = 2 × the smaller of the anytime-valid and the fixed-sample p)") : "";
    return `${d.setting}; ${d.scored} of ${d.tokens} tokens scored; fixed-sample p ${formatP(d.log10_p_conservative)}${lost}; ${needed}${sequential}`;
  }
  if (test.name === "weights" && d.layers) return `${d.layers} blocks of ${d.units} hidden units matched; Kendall's τ per block ${(d.tau as number[]).map((t) => t.toFixed(2)).join(", ")}`;
  if (test.name === "identity" && d.rates) return `suspect claims the teacher in ${(d.suspect_rate * 100).toFixed(1)}% of answers, references in ${(d.references_rate * 100).toFixed(1)}%`;
  if (test.name.startsWith("agreement")) return `${d.prompts} prompts, first ${d.words} word${d.words === 1 ? "" : "s"} compared`;
  return "";
}

export function renderReportHtml(report: AuditReport): string {
  const byName = new Map(report.tests.map((test) => [test.name, test]));
  const pictures: string[] = [];
  for (const name of ["agreement", "agreement_span"]) {
    const test = byName.get(name);
    if (!test?.detail.rates) continue;
    const rates = test.detail.rates as Record<string, { rate: number; interval: [number, number] }>;
    pictures.push(rateChart(`Agreement with the suspect (${name === "agreement" ? "first word" : `first ${test.detail.words} words`}), 95% intervals`,
      Object.entries(rates).map(([model, rate]) => ({ label: model, rate: rate.rate, interval: rate.interval, highlight: model === report.teacher }))));
  }
  const identity = byName.get("identity");
  if (identity?.detail.rates) {
    const rates = identity.detail.rates as Record<string, { rate: number }>;
    pictures.push(rateChart(`Answers that name ${report.identity?.name ?? "the teacher"}${report.identity?.vendor ? ` or ${report.identity.vendor}` : ""}`,
      Object.entries(rates).map(([model, rate]) => ({ label: model, rate: rate.rate, highlight: model === report.suspect }))));
  }
  for (const name of ["radioactivity_reading", "radioactivity"]) {
    const test = byName.get(name);
    if (!test?.applicable || test.detail.z_score === undefined) continue;
    const d = test.detail as Record<string, any>;
    const what = name === "radioactivity" ? "answers" : "predictions (reading mode)";
    pictures.push(nullChart(`Watermark score of the suspect's ${what}: ${d.scheme}, ${d.scored} tokens`, d.z_score, `fixed-sample p = ${formatP(d.log10_p_conservative)}`));
    if (Array.isArray(d.path) && d.path.length > 1) pictures.push(pathChart(`Anytime-valid p-value as the audit went (${name})`, d.path, Math.log10(report.alpha)));
  }
  const models = [report.suspect, report.teacher, ...report.references];
  const sampleRows = report.samples.map((sample) => {
    const cells = models.map((model) => `<td>${sample.answers[model] === undefined ? "" : escape(sample.answers[model]!)}</td>`).join("");
    return `<tr><td>${escape(sample.test)}</td><td>${escape(sample.prompt)}</td>${cells}</tr>`;
  }).join("");
  const matches = ((identity?.detail.matches ?? []) as { model: string; probe: string; matched: string; answer: string }[])
    .map((m) => `<tr><td>${escape(m.model)}</td><td>${escape(m.probe)}</td><td>${escape(m.matched)}</td><td>${escape(m.answer)}</td></tr>`).join("");
  const hashes = Object.entries(report.hashes.models).map(([model, hash]) => `<tr><td>${escape(model)}</td><td class="small">${hash ?? "API model (no file)"}</td></tr>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Pedigree audit: ${escape(report.suspect)} against ${escape(report.teacher)}</title><style>${style}</style></head>
<body>
<h1>Audit of <code>${escape(report.suspect)}</code> against <code>${escape(report.teacher)}</code></h1>
<p class="note">References: ${report.references.map((r) => `<code>${escape(r)}</code>`).join(", ")} · α = ${report.alpha} · seed ${report.seed} · queries: suspect ${report.queries.suspect}, teacher ${report.queries.teacher}, references ${report.queries.references}</p>
<div class="verdict verdict-${report.verdict}" id="verdict"><span class="badge">${report.verdict.replace("_", " ")}</span>${escape(report.sentence)}</div>
<p class="note"><strong>Provenance</strong> tests ask "did the suspect learn from the teacher's outputs?"; their p-values are exact whatever data the suspect was trained on. <strong>Similarity</strong> tests ask "is the suspect closer to the teacher than to the references?"; shared training data can cause that too, so they can only say "resembles". Holm's correction is applied within each kind.</p>
<h2>Tests</h2>
<table id="tests"><thead><tr><th>test</th><th>kind</th><th>p-value</th><th>Holm</th><th>at α</th><th>suspect queries</th><th>what it saw</th></tr></thead><tbody>
${report.tests.map(testRow).join("\n")}
</tbody></table>
<h2>Pictures</h2>
${pictures.map((svg) => `<figure>${svg}</figure>`).join("\n")}
<h2>Sample answers</h2>
<table class="answers"><thead><tr><th>test</th><th>prompt</th>${models.map((m) => `<th>${escape(m)}</th>`).join("")}</tr></thead><tbody>${sampleRows}</tbody></table>
<h2>Identity claims, every matched answer</h2>
${matches ? `<table class="answers"><thead><tr><th>model</th><th>probe</th><th>matched</th><th>answer</th></tr></thead><tbody>${matches}</tbody></table>` : "<p class=\"note\">No answer named the teacher.</p>"}
<h2>What was audited</h2>
<table><tbody>${hashes}<tr><td>transcript (${escape(report.transcript)})</td><td class="small">sha256 ${report.hashes.transcript}</td></tr></tbody></table>
<p class="note">Every question and answer is in the transcript; rerunning the audit with the same seed on it gives this verdict again.</p>
</body></html>
`;
}
