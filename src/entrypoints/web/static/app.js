// creditdesk workbench: what every page shares. Pages call the JSON API with the session's
// cookies; a change carries the CSRF token (the readable cookie) in a header.
"use strict";

const creditdesk = (() => {
  const CSRF_COOKIE = "creditdesk_csrf";

  function csrfToken() {
    const found = document.cookie.split("; ").find((c) => c.startsWith(CSRF_COOKIE + "="));
    return found ? decodeURIComponent(found.slice(CSRF_COOKIE.length + 1)) : "";
  }

  async function send(method, path, body, headers) {
    const init = { method, credentials: "same-origin", headers: { ...headers } };
    if (method !== "GET") init.headers["X-CSRF-Token"] = csrfToken();
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init);
  }

  // The API answer as {ok, status, data}; an ended access token is renewed once.
  async function api(method, path, body, headers = {}) {
    let answer = await send(method, path, body, headers);
    if (answer.status === 401) {
      const renewed = await send("POST", "/app/session/refresh");
      if (!renewed.ok) {
        window.location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search));
        return { ok: false, status: 401, data: null };
      }
      answer = await send(method, path, body, headers);
    }
    const type = answer.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await answer.json() : null;
    return { ok: answer.ok, status: answer.status, data };
  }

  // A problem+json answer as one readable line naming every problem.
  function problemText(result) {
    const p = result.data || {};
    const items = (p.errors || p.problems || []).map((e) => `${e.field || e.name || ""}: ${e.message || e.detail || ""}`);
    return [p.title || `Request failed (${result.status})`, p.detail, ...items].filter(Boolean).join(" · ");
  }

  function toast(text, kind = "info") {
    const box = document.querySelector(".toast");
    if (!box) return;
    box.textContent = text;
    box.dataset.kind = kind;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(() => { box.hidden = true; }, 6000);
  }

  function onReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  onReady(() => {
    const readAll = document.querySelector("[data-action=read-all]");
    if (readAll) {
      readAll.addEventListener("click", async () => {
        const result = await api("POST", "/api/v1/notifications/read-all");
        if (!result.ok) {
          toast(problemText(result), "error");
          return;
        }
        document.querySelector("[data-testid=unread]").textContent = "0";
        document.querySelector(".inbox summary").setAttribute("aria-label", "Notifications: 0 unread");
        const list = readAll.closest(".inbox-list");
        list.replaceChildren(Object.assign(document.createElement("p"), { className: "muted", textContent: "Nothing unread." }));
      });
    }
    const logout = document.querySelector("[data-action=logout]");
    if (logout) {
      logout.addEventListener("click", async () => {
        await send("POST", "/logout");
        window.location.assign("/login");
      });
    }
  });

  return { api, problemText, toast, onReady, csrfToken };
})();
window.creditdesk = creditdesk;
