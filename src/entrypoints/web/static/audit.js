// Audit page: check the chain on demand through GET /api/v1/audit/verify and say what it found.
"use strict";

(() => {
  const { api, problemText, onReady } = window.creditdesk;

  async function verify(button) {
    const box = document.querySelector("[data-testid=chain-result]");
    button.disabled = true;
    box.hidden = false;
    box.className = "";
    box.textContent = "Checking the chain…";
    const result = await api("GET", "/api/v1/audit/verify");
    button.disabled = false;
    if (!result.ok) {
      box.className = "error";
      box.textContent = problemText(result);
      return;
    }
    const found = result.data;
    if (found.ok) {
      box.className = "ok";
      box.textContent = `Valid: all ${found.checked} events are intact and in order.`;
    } else {
      box.className = "error";
      box.textContent = `Broken at event ${found.broken_at}: ${found.problem} (${found.checked} events intact before it).`;
    }
  }

  onReady(() => {
    const button = document.querySelector("[data-action=verify]");
    if (button) button.addEventListener("click", () => verify(button));
  });
})();
