// The dashboard's one template: markup with empty sections that the inline script fills from the
// admin API (as text nodes, so nothing from the server is ever parsed as HTML).
import { dashboardHelpers } from "./client-helpers.js";
import { dashboardSections } from "./client-sections.js";
import { dashboardStyle } from "./style.js";

export function dashboardHtml(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pedigree gateway · admin</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${dashboardStyle}</style>
</head>
<body>
<header>
  <h1>Pedigree gateway</h1>
  <nav id="session" hidden><button type="button" id="refresh">Refresh</button> <button type="button" id="sign-out">Sign out</button></nav>
</header>
<main>
<section id="login">
  <h2>Sign in</h2>
  <form id="login-form">
    <label>Admin key <input id="admin-key" type="password" autocomplete="current-password" required></label>
    <button type="submit">Sign in</button>
  </form>
  <p id="login-error" class="error" role="alert"></p>
  <p class="note">The key stays in this tab's session storage and is sent only to this gateway, as a Bearer token.</p>
</section>
<div id="app" hidden>
<section id="keys-section">
  <h2>API keys</h2>
  <p id="keys-status" class="status"></p>
  <table id="keys-table"><thead><tr><th>name</th><th>id</th><th>status</th><th>models</th><th>limits</th><th>watermark</th><th>distillation</th><th>created</th><th></th></tr></thead><tbody></tbody></table>
  <h3>Create a key</h3>
  <form id="create-form" class="grid">
    <label>name <input id="new-name" required maxlength="200"></label>
    <label>models <input id="new-models" placeholder="all (or a,b)"></label>
    <label>rpm <input id="new-rpm" type="number" min="1" step="1"></label>
    <label>tpm <input id="new-tpm" type="number" min="1" step="1"></label>
    <label>tokens per day <input id="new-daily" type="number" min="1" step="1"></label>
    <label class="check"><input id="new-watermark" type="checkbox" checked> watermark</label>
    <label class="check"><input id="new-distillation" type="checkbox"> licensed for distillation</label>
    <button type="submit" id="create-key">Create key</button>
  </form>
  <p id="create-error" class="error" role="alert"></p>
  <div id="new-secret" class="secret" hidden><p>Store this key now: it is not kept and cannot be shown again.</p><code id="new-secret-value"></code></div>
</section>
<section id="usage-section">
  <h2>Usage per key</h2>
  <form id="usage-form" class="inline">
    <label>bucket <select id="usage-bucket"><option value="minute">minute (last hour)</option><option value="hour" selected>hour (last day)</option><option value="day">day (last 30 days)</option></select></label>
    <label>show <select id="usage-metric"><option value="requests" selected>requests</option><option value="total_tokens">tokens</option></select></label>
  </form>
  <div id="usage-chart"></div>
  <ul id="usage-legend" class="legend"></ul>
  <p id="usage-status" class="status"></p>
</section>
<section id="chain-section">
  <h2>Exchange log</h2>
  <div id="chain"></div>
</section>
<section id="models-section">
  <h2>Models and their protection</h2>
  <table id="models-table"><thead><tr><th>model</th><th>backend</th><th>watermark</th><th>defences</th></tr></thead><tbody></tbody></table>
  <p id="models-status" class="status"></p>
</section>
<section id="alerts-section">
  <h2>Monitor alerts</h2>
  <div id="alerts"></div>
</section>
</div>
</main>
<script nonce="${nonce}">
(() => {
"use strict";
${dashboardHelpers}
${dashboardSections}
})();
</script>
</body>
</html>
`;
}
