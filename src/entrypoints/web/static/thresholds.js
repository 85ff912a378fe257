// Thresholds page: propose a version and approve another's, through /api/v1/thresholds.
// The API judges both; its problems are shown next to the fields they name, and its refusal
// of an approval (the four-eyes rule) next to the button that asked.
"use strict";

(() => {
  const { api, problemText, toast, onReady } = window.creditdesk;

  // "policy.review_purposes[0]" -> "review_purposes": the form field a problem names.
  function fieldOf(path) {
    const last = String(path || "").replace(/^policy\.?/, "").split(".").pop() || "";
    return last.replace(/\[\d+\]$/, "");
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-error-for]").forEach((box) => { box.hidden = true; box.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
  }

  function showErrors(form, result) {
    const general = [];
    for (const problem of (result.data && result.data.errors) || []) {
      const name = fieldOf(problem.field);
      const box = name && form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      if (box) {
        box.textContent = box.textContent ? `${box.textContent} · ${problem.message}` : problem.message;
        box.hidden = false;
        const input = form.elements.namedItem(name);
        if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
      } else {
        general.push(`${problem.field}: ${problem.message}`);
      }
    }
    if (general.length || !(result.data && result.data.errors)) {
      const box = form.querySelector('[data-error-for="form"]');
      box.textContent = general.length ? general.join(" · ") : problemText(result);
      box.hidden = false;
    }
  }

  function numberOrNull(value) {
    return value.trim() === "" ? null : Number(value);
  }

  function proposal(form) {
    const value = (name) => form.elements.namedItem(name).value;
    const purposes = [...form.querySelectorAll("input[name=review_purposes]:checked")].map((box) => box.value);
    return {
      policy: {
        auto_decline_max: numberOrNull(value("auto_decline_max")),
        auto_approve_min: numberOrNull(value("auto_approve_min")),
        currency: value("currency").trim(),
        max_loan_amount_auto: value("max_loan_amount_auto").trim() || null,
        max_term_months_auto: numberOrNull(value("max_term_months_auto")),
        review_purposes: purposes,
      },
      note: value("note"),
    };
  }

  async function propose(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const button = form.querySelector("button[type=submit]");
    clearErrors(form);
    button.disabled = true;
    const result = await api("POST", "/api/v1/thresholds", proposal(form));
    button.disabled = false;
    if (result.ok) {
      toast(`Version ${result.data.policy.version} proposed; it waits for a second person.`);
      window.location.reload();
      return;
    }
    showErrors(form, result);
    const first = form.querySelector("[aria-invalid=true]");
    if (first) first.focus();
  }

  async function approve(button) {
    const version = button.dataset.approve;
    const refusal = document.querySelector(`[data-refusal="${CSS.escape(version)}"]`);
    refusal.hidden = true;
    button.disabled = true;
    const result = await api("POST", `/api/v1/thresholds/${encodeURIComponent(version)}/approve`);
    button.disabled = false;
    if (result.ok) {
      toast(`Version ${version} approved; it is in force now.`);
      window.location.reload();
      return;
    }
    refusal.textContent = result.status === 403 && result.data && result.data.detail
      ? `Refused: ${result.data.detail}`
      : problemText(result);
    refusal.hidden = false;
    toast(refusal.textContent, "error");
  }

  onReady(() => {
    const form = document.getElementById("propose");
    if (form) form.addEventListener("submit", propose);
    document.querySelectorAll("[data-approve]").forEach((button) => {
      button.addEventListener("click", () => approve(button));
    });
  });
})();
