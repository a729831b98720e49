// The dashboard's inline style sheet (the audit report's palette). SVG colours come from classes
// (`.c0`…`.c7`), since the page's policy allows no style attributes.
export const dashboardStyle = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2430; background: #f7f8fa; }
header { display: flex; align-items: center; justify-content: space-between; padding: .6rem 1.5rem; background: #1d2430; color: #fff; }
header h1 { font-size: 1.15rem; margin: 0; } main { max-width: 1040px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
section { background: #fff; border: 1px solid #e1e5eb; border-radius: 6px; padding: .4rem 1.1rem 1rem; margin: 1rem 0; }
h2 { font-size: 1.05rem; margin: .6rem 0; } h3 { font-size: .95rem; margin: 1rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .45rem; border-bottom: 1px solid #e8ebf0; vertical-align: top; }
th { background: #f4f6f9; font-weight: 600; font-size: .85rem; } td.num { font-variant-numeric: tabular-nums; text-align: right; }
code { font-size: .85em; background: #f1f3f6; padding: 0 .25em; border-radius: 3px; word-break: break-all; }
button { font: inherit; padding: .25rem .7rem; border: 1px solid #9aa5b4; border-radius: 4px; background: #fff; cursor: pointer; }
button.danger { border-color: #c62828; color: #c62828; } button.armed { background: #c62828; color: #fff; }
header button { border-color: #5f6b7a; background: #2c3542; color: #fff; }
input, select { font: inherit; padding: .2rem .35rem; border: 1px solid #b8c0cc; border-radius: 4px; }
form.grid { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; } form.grid label { display: flex; flex-direction: column; font-size: .85rem; }
form.grid label.check { flex-direction: row; gap: .3rem; align-items: center; } form.grid input[type=number] { width: 7rem; }
form.inline { display: flex; gap: 1rem; margin-bottom: .5rem; }
.error { color: #c62828; } .status, .note { color: #5f6b7a; font-size: .9rem; }
.secret { background: #fff6e0; border-left: 5px solid #e6a100; padding: .4rem .8rem; margin-top: .5rem; }
.ok { color: #2e7d32; font-weight: 700; } .bad { color: #c62828; font-weight: 700; } .revoked td { color: #8a94a3; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 9px; font-size: .8rem; background: #e9f5ec; color: #2e7d32; }
.badge.off { background: #f1f3f6; color: #5f6b7a; } .badge.revoked { background: #fdecec; color: #c62828; }
svg.chart { width: 100%; height: auto; } svg text { font: 11px system-ui, sans-serif; fill: #5f6b7a; }
.grid-line { stroke: #e8ebf0; } .axis { stroke: #90a4ae; } .series { fill: none; stroke-width: 2; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .85rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .35rem; vertical-align: -1px; }
.c0 { stroke: #3949ab; background: #3949ab; } .c1 { stroke: #00897b; background: #00897b; } .c2 { stroke: #e65100; background: #e65100; }
.c3 { stroke: #8e24aa; background: #8e24aa; } .c4 { stroke: #c62828; background: #c62828; } .c5 { stroke: #5d4037; background: #5d4037; }
.c6 { stroke: #0277bd; background: #0277bd; } .c7 { stroke: #7cb342; background: #7cb342; }
`;
