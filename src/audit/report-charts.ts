// Inline SVG pictures for the audit report: no script, no network, readable when printed.
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export interface RateBar {
  label: string;
  rate: number;
  interval?: [number, number];
  highlight?: boolean;
}

/** Horizontal bars from 0 to 1, one per model, with whiskers for confidence intervals. */
export function rateChart(title: string, bars: RateBar[]): string {
  const left = 190;
  const width = 420;
  const row = 26;
  const height = 34 + bars.length * row + 24;
  const x = (value: number) => left + value * width;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${left + width + 70} ${height}" width="${left + width + 70}" height="${height}">`];
  parts.push(`<text x="0" y="16" class="chart-title">${escapeXml(title)}</text>`);
  bars.forEach((bar, i) => {
    const y = 30 + i * row;
    parts.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escapeXml(bar.label)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 3}" width="${Math.max(1, bar.rate * width).toFixed(1)}" height="16" class="${bar.highlight ? "bar-main" : "bar"}"/>`);
    if (bar.interval) {
      const [low, high] = bar.interval;
      parts.push(`<line x1="${x(low).toFixed(1)}" x2="${x(high).toFixed(1)}" y1="${y + 11}" y2="${y + 11}" class="whisker"/>`);
      for (const end of [low, high]) parts.push(`<line x1="${x(end).toFixed(1)}" x2="${x(end).toFixed(1)}" y1="${y + 6}" y2="${y + 16}" class="whisker"/>`);
    }
    parts.push(`<text x="${(x(bar.interval?.[1] ?? bar.rate) + 6).toFixed(1)}" y="${y + 15}">${(bar.rate * 100).toFixed(1)}%</text>`);
  });
  const axisY = 30 + bars.length * row + 4;
  parts.push(`<line x1="${left}" x2="${left + width}" y1="${axisY}" y2="${axisY}" class="axis"/>`);
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) parts.push(`<text x="${x(tick)}" y="${axisY + 16}" text-anchor="middle" class="tick">${tick * 100}%</text>`);
  parts.push("</svg>");
  return parts.join("");
}

/** The standardised watermark score on its null (standard normal under H0), with the observed value. */
export function nullChart(title: string, z: number, caption: string): string {
  const width = 610;
  const height = 170;
  const range = Math.max(5, Math.min(60, Math.ceil(Math.abs(z) + 1)));
  const x = (value: number) => 20 + ((value + 4) / (range + 4)) * (width - 40);
  const y = (density: number) => 140 - density * 280;
  const points: string[] = [];
  for (let v = -4; v <= 4.001; v += 0.1) points.push(`${x(v).toFixed(1)},${y(Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI)).toFixed(1)}`);
  const clamped = Math.max(-4, Math.min(range, z));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<text x="0" y="14" class="chart-title">${escapeXml(title)}</text>`,
    `<polyline points="${points.join(" ")}" class="null-curve"/>`,
    `<line x1="${x(-4)}" x2="${x(range)}" y1="140" y2="140" class="axis"/>`,
    `<line x1="${x(clamped).toFixed(1)}" x2="${x(clamped).toFixed(1)}" y1="30" y2="140" class="observed"/>`,
    // Near the right edge the label goes to the left of the line, so it is never cut off.
    x(clamped) > width - 150
      ? `<text x="${(x(clamped) - 4).toFixed(1)}" y="42" text-anchor="end">observed z = ${z.toFixed(1)}</text>`
      : `<text x="${(x(clamped) + 4).toFixed(1)}" y="42">observed z = ${z.toFixed(1)}</text>`,
    `<text x="${x(0)}" y="158" text-anchor="middle" class="tick">null (never saw the key)</text>`,
    `<text x="20" y="168" class="tick">${escapeXml(caption)}</text>`,
    "</svg>",
  ].join("");
}

/** A sequential test's log10 p-value against the queries spent, with the level α as a dashed line. */
export function pathChart(title: string, path: [number, number][], log10Alpha: number): string {
  const width = 610;
  const height = 190;
  const maxQ = Math.max(1, ...path.map(([q]) => q));
  const low = Math.min(log10Alpha - 1, ...path.map(([, p]) => p));
  const x = (q: number) => 50 + (q / maxQ) * (width - 70);
  const y = (p: number) => 30 + (p / low) * 130;
  const points = path.map(([q, p]) => `${x(q).toFixed(1)},${y(p).toFixed(1)}`).join(" ");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<text x="0" y="14" class="chart-title">${escapeXml(title)}</text>`,
    `<line x1="50" x2="${width - 20}" y1="160" y2="160" class="axis"/><line x1="50" x2="50" y1="30" y2="160" class="axis"/>`,
    `<line x1="50" x2="${width - 20}" y1="${y(log10Alpha).toFixed(1)}" y2="${y(log10Alpha).toFixed(1)}" class="level"/>`,
    `<text x="${width - 20}" y="${(y(log10Alpha) - 4).toFixed(1)}" text-anchor="end" class="tick">α</text>`,
    `<polyline points="${points}" class="path"/>`,
    `<text x="44" y="34" text-anchor="end" class="tick">1</text><text x="44" y="163" text-anchor="end" class="tick">1e${Math.round(low)}</text>`,
    `<text x="${width - 20}" y="178" text-anchor="end" class="tick">${maxQ} queries</text>`,
    "</svg>",
  ].join("");
}

export { escapeXml };
