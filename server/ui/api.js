// The HTTP API: every error comes back as {"error":{"code","message"}};
// the message is written for people and is what the user sees.

import { t, refusal } from "./i18n.js";

// ApiError is a refused request, with the server's code and message.
export class ApiError extends Error {
  constructor(status, code, message, key, params) {
    super(refusal(key, params, message));
    this.status = status;
    this.code = code;
  }
}

export async function api(method, path, body) {
  let r;
  try {
    r = await fetch(path, {
      method,
      // Every request that changes something says it is JSON, body or
      // not: the server refuses others from a browser (forgery).
      headers: method !== "GET" ? { "Content-Type": "application/json" } : {},
      body: body !== undefined ? JSON.stringify(body) : undefined,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", t("api.unreachable"));
  }
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!r.ok) {
    if (data && data.error) throw new ApiError(r.status, data.error.code, data.error.message, data.error.key, data.error.params);
    throw new ApiError(r.status, "http", t("api.status", { status: `${r.status} ${r.statusText}` }));
  }
  return data;
}
