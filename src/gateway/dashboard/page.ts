// GET /admin: the dashboard as one self-contained page (inline style, script and SVG; no CDN, no build
// step). A fresh nonce per response lets the page's own script and style run and nothing else: the
// content security policy refuses injected markup's scripts and any connection but this gateway.
import { randomBytes } from "node:crypto";
import { dashboardHtml } from "./template.js";

export function dashboardResponse(): Response {
  const nonce = randomBytes(16).toString("base64");
  const policy = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return new Response(dashboardHtml(nonce), {
    status: 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": policy,
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    },
  });
}
