// The trade-off curve as a self-contained SVG: teacher capitals accuracy (x) against the student's
// capitals accuracy (y), for sft and kl students, antidistillation (λ) vs temperature (τ).
const W = 640, H = 420, M = { left: 60, right: 20, top: 30, bottom: 50 };

export function tradeoffSvg(points) {
  const xs = points.map((p) => p.teacher), ys = points.flatMap((p) => [p.sft, p.kl]);
  const x0 = Math.min(...xs) - 0.02, x1 = Math.max(...xs) + 0.02, y0 = Math.max(0, Math.min(...ys) - 0.05), y1 = Math.min(1, Math.max(...ys) + 0.05);
  const px = (x) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const colours = { antidistill: "#c0392b", temperature: "#2471a3", base: "#222" };
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">Student capitals accuracy vs the served teacher's (atlas)</text>`,
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#444"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#444"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">teacher capitals accuracy (served)</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">student capitals accuracy</text>`];
  for (let i = 0; i <= 5; i++) {
    const x = x0 + ((x1 - x0) * i) / 5, y = y0 + ((y1 - y0) * i) / 5;
    out.push(`<text x="${px(x)}" y="${H - M.bottom + 16}" text-anchor="middle">${x.toFixed(2)}</text>`);
    out.push(`<text x="${M.left - 6}" y="${py(y) + 4}" text-anchor="end">${y.toFixed(2)}</text>`);
  }
  for (const kind of ["antidistill", "temperature"]) {
    for (const [loss, dash] of [["sft", ""], ["kl", "5,4"]]) {
      const series = points.filter((p) => p.kind === kind || p.kind === "base").sort((a, b) => b.teacher - a.teacher);
      out.push(`<polyline fill="none" stroke="${colours[kind]}" stroke-width="2" stroke-dasharray="${dash}" points="${series.map((p) => `${px(p.teacher).toFixed(1)},${py(p[loss]).toFixed(1)}`).join(" ")}"/>`);
    }
  }
  for (const p of points) {
    for (const loss of ["sft", "kl"]) {
      out.push(`<circle cx="${px(p.teacher).toFixed(1)}" cy="${py(p[loss]).toFixed(1)}" r="4" fill="${colours[p.kind]}"><title>${p.label}, ${loss}: teacher ${p.teacher.toFixed(3)}, student ${p[loss].toFixed(3)}</title></circle>`);
    }
    out.push(`<text x="${(px(p.teacher) + 6).toFixed(1)}" y="${(py(p.sft) - 6).toFixed(1)}" fill="${colours[p.kind]}">${p.label}</text>`);
  }
  const legend = [["antidistillation, sft student", colours.antidistill, ""], ["antidistillation, kl student", colours.antidistill, "5,4"],
    ["temperature, sft student", colours.temperature, ""], ["temperature, kl student", colours.temperature, "5,4"]];
  legend.forEach(([label, colour, dash], i) => {
    const y = M.top + 12 + i * 16;
    out.push(`<line x1="${W - 230}" y1="${y}" x2="${W - 200}" y2="${y}" stroke="${colour}" stroke-width="2" stroke-dasharray="${dash}"/><text x="${W - 194}" y="${y + 4}">${label}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
