// The dashboard script, second half: sign-in, then one loader per section (keys with create and
// revoke, usage chart, log chain, model protection, monitor alerts), each reporting its own failure.
export const dashboardSections = String.raw`
let keyNames = new Map();

function showLogin(message) {
  byId("login").hidden = false;
  byId("app").hidden = true;
  byId("session").hidden = true;
  byId("login-error").textContent = message || "";
}

/** A section's failure is shown in the section; a 401 means the key is no longer accepted. */
function failed(target, error) {
  if (error.status === 401) {
    sessionStorage.removeItem(STORAGE);
    adminKey = null;
    showLogin("The gateway no longer accepts this key; sign in again.");
    return;
  }
  target.textContent = error.message;
  target.classList.add("error");
}

function policyLimits(policy) {
  const parts = [];
  if (policy.rpm !== null) parts.push(policy.rpm + " rpm");
  if (policy.tpm !== null) parts.push(formatNumber(policy.tpm) + " tpm");
  if (policy.dailyTokens !== null) parts.push(formatNumber(policy.dailyTokens) + " tokens/day");
  return parts.length ? parts.join(", ") : "none";
}

function revokeButton(key) {
  let armed = false;
  const button = h("button", { type: "button", class: "danger", "data-action": "revoke" }, "Revoke");
  button.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      button.textContent = "Confirm revoke";
      button.classList.add("armed");
      return;
    }
    button.disabled = true;
    try {
      await api("POST", "/admin/keys/" + encodeURIComponent(key.id) + "/revoke");
      await loadKeys();
    } catch (error) {
      failed(byId("keys-status"), error);
    }
  });
  return button;
}

async function loadKeys() {
  const status = byId("keys-status");
  try {
    const { data } = await api("GET", "/admin/keys");
    keyNames = new Map(data.map((key) => [key.id, key.name]));
    const rows = data.map((key) => {
      const revoked = key.revoked_at !== null;
      const badge = revoked ? h("span", { class: "badge revoked" }, "revoked " + formatTime(key.revoked_at)) : h("span", { class: "badge" }, "active");
      return h("tr", { "data-key-id": key.id, class: revoked ? "revoked" : null },
        h("td", {}, key.name), h("td", {}, h("code", {}, key.id)), h("td", { class: "key-status" }, badge),
        h("td", {}, key.policy.models === null ? "all" : key.policy.models.join(", ")), h("td", {}, policyLimits(key.policy)),
        h("td", {}, key.policy.watermark || !key.policy.distillation ? "on" : "off"), h("td", {}, key.policy.distillation ? "licensed" : "not licensed"),
        h("td", {}, formatTime(key.created_at)), h("td", {}, revoked ? null : revokeButton(key)));
    });
    replace(byId("keys-table").tBodies[0], rows);
    status.classList.remove("error");
    status.textContent = data.length === 0 ? "No keys yet: create one below." : data.filter((key) => key.revoked_at === null).length + " active of " + data.length;
  } catch (error) {
    failed(status, error);
  }
}

function wholeNumber(id, label) {
  const text = byId(id).value.trim();
  if (text === "") return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(label + " must be a positive whole number");
  return value;
}

async function createKey(event) {
  event.preventDefault();
  const error = byId("create-error");
  error.textContent = "";
  try {
    const models = byId("new-models").value.split(",").map((name) => name.trim()).filter(Boolean);
    const policy = {
      models: models.length ? models : null,
      rpm: wholeNumber("new-rpm", "rpm"),
      tpm: wholeNumber("new-tpm", "tpm"),
      dailyTokens: wholeNumber("new-daily", "tokens per day"),
      watermark: byId("new-watermark").checked,
      distillation: byId("new-distillation").checked,
    };
    const created = await api("POST", "/admin/keys", { name: byId("new-name").value, policy });
    byId("new-secret-value").textContent = created.key;
    byId("new-secret").hidden = false;
    byId("create-form").reset();
    await Promise.all([loadKeys(), loadUsage()]);
  } catch (failure) {
    if (failure.status === 401) failed(error, failure);
    else error.textContent = failure.message;
  }
}

async function loadUsage() {
  const status = byId("usage-status");
  const bucket = byId("usage-bucket").value;
  const metric = byId("usage-metric").value;
  try {
    const usage = await api("GET", "/admin/usage/series?bucket=" + encodeURIComponent(bucket));
    const total = (values) => values.reduce((sum, value) => sum + value, 0);
    const sorted = usage.series.map((one) => ({ id: one.key_id, label: keyNames.get(one.key_id) || one.key_id || "(no key)", values: one[metric] }))
      .sort((a, b) => total(b.values) - total(a.values));
    const lines = sorted.slice(0, 7);
    if (sorted.length > 8) lines.push({ id: null, label: "other keys", values: usage.buckets.map((_, i) => sorted.slice(7).reduce((sum, one) => sum + one.values[i], 0)) });
    else lines.push(...sorted.slice(7));
    replace(byId("usage-chart"), usageChart(usage.buckets, lines, bucket));
    replace(byId("usage-legend"), lines.map((line, index) => h("li", {}, h("span", { class: "swatch c" + (index % 8) }), line.label + ": " + formatNumber(total(line.values)))));
    status.classList.remove("error");
    status.textContent = lines.length === 0 ? "No requests from " + formatTime(usage.since) + " to " + formatTime(usage.until) + "." : metric.replace("_", " ") + " per " + bucket + ", " + formatTime(usage.since) + " to " + formatTime(usage.until);
  } catch (error) {
    failed(status, error);
  }
}

async function loadChain() {
  const target = byId("chain");
  try {
    const result = await api("GET", "/admin/log/verify");
    const chains = Array.isArray(result.chains) ? result.chains : [result];
    replace(target,
      h("p", {}, h("span", { class: result.ok ? "ok" : "bad", id: "chain-verdict" }, result.ok ? "intact" : "broken"), " ", formatNumber(result.rows) + " rows verified"),
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "chain"), h("th", {}, "rows"), h("th", {}, "head"), h("th", {}, "first bad row"))),
        h("tbody", {}, chains.map((chain) => h("tr", {}, h("td", {}, chain.chain || chain.name || "main"), h("td", { class: "num" }, formatNumber(chain.rows)),
          h("td", {}, h("code", {}, chain.head || "")), h("td", {}, chain.first_bad_row === null ? "none" : chain.first_bad_row + ": " + (chain.reason || "")))))));
  } catch (error) {
    failed(target, error);
  }
}

async function loadModels() {
  const status = byId("models-status");
  try {
    const { data } = await api("GET", "/admin/models");
    replace(byId("models-table").tBodies[0], data.map((model) => h("tr", { "data-model": model.model },
      h("td", {}, model.model), h("td", {}, model.backend + (model.white_box ? " (white box)" : " (pass-through)")),
      h("td", {}, model.watermark.enabled ? h("span", { class: "badge" }, "on: " + (model.watermark.scheme || "?")) : h("span", { class: "badge off" }, "off"),
        " ", model.watermark.key_id ? h("code", {}, model.watermark.key_id) : null, h("div", { class: "note" }, model.watermark.reason)),
      h("td", {}, model.defences.length ? model.defences.join(", ") : "none"))));
    status.textContent = data.length === 0 ? "No models served." : "";
  } catch (error) {
    failed(status, error);
  }
}

const monitorOff = () => h("p", { class: "status", id: "monitor-off" }, "monitor not enabled");

async function loadAlerts() {
  const target = byId("alerts");
  try {
    const status = await api("GET", "/admin/status");
    if (!status.monitor) return void replace(target, monitorOff());
    const result = await api("GET", "/admin/alerts");
    const alerts = Array.isArray(result) ? result : result.alerts || result.data || [];
    if (alerts.length === 0) return void replace(target, h("p", { class: "status" }, "No alerts."));
    replace(target, h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "scope"), h("th", {}, "keys"), h("th", {}, "p-value"), h("th", {}, "signals"), h("th", {}, "action"))),
      h("tbody", {}, alerts.map((alert) => h("tr", {}, h("td", {}, alert.scope), h("td", {}, (alert.keys || []).map((id) => keyNames.get(id) || id).join(", ")),
        h("td", { class: "num" }, formatP(alert.p_value)), h("td", {}, (alert.signals || []).join(", ")), h("td", {}, alert.action))))));
  } catch (error) {
    if (error.status === 404) replace(target, monitorOff());
    else failed(target, error);
  }
}

async function refresh() {
  await loadKeys();
  await Promise.all([loadUsage(), loadChain(), loadModels(), loadAlerts()]);
}

async function signIn(key) {
  adminKey = key;
  try {
    await api("GET", "/admin/keys");
  } catch (error) {
    adminKey = null;
    sessionStorage.removeItem(STORAGE);
    return showLogin(error.status === 401 ? "That is not the admin key." : error.message);
  }
  sessionStorage.setItem(STORAGE, key);
  byId("login").hidden = true;
  byId("app").hidden = false;
  byId("session").hidden = false;
  await refresh();
}

byId("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = byId("admin-key").value.trim();
  byId("admin-key").value = "";
  void signIn(key);
});
byId("sign-out").addEventListener("click", () => {
  sessionStorage.removeItem(STORAGE);
  adminKey = null;
  showLogin("Signed out.");
});
byId("refresh").addEventListener("click", () => void refresh());
byId("create-form").addEventListener("submit", createKey);
byId("usage-bucket").addEventListener("change", () => void loadUsage());
byId("usage-metric").addEventListener("change", () => void loadUsage());
if (adminKey) void signIn(adminKey);
`;
