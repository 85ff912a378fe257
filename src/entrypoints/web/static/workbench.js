// The workbench of one case: the decision panel, its conditions builder, the override dialog,
// keyboard shortcuts and a draft kept in localStorage. Every act goes through the JSON API
// (creditdesk.api); the page's data-* attributes carry what the server rendered.
"use strict";

// `domain.credit.decisions.MIN_DECLINE_REASONING`: the shortest reasoning a decline may carry.
const MIN_DECLINE = 20;

const workbench = (() => {
  // The level monthly payment (annuity), rounded to cents: `domain.credit.features.annuity_payment`.
  function payment(amount, annualRatePercent, termMonths) {
    if (!(termMonths > 0)) return NaN;
    const rate = annualRatePercent / 1200;
    const value = rate === 0 ? amount / termMonths : amount * (rate / (1 - Math.pow(1 + rate, -termMonths)));
    return Math.round(value * 100) / 100;
  }

  // The case's version from the API's detail: `workbench_view.case_version`, kept in step.
  function caseVersion(detail) {
    const entry = detail.queue_entry || {};
    return [detail.application.updated_at, String((detail.decisions || []).length),
      entry.id || "", entry.analyst_id || "", String(entry.release_count || 0)].join("|");
  }

  function money(value, currency) {
    return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " " + currency;
  }

  return { payment, caseVersion, money };
})();
window.workbench = workbench;

creditdesk.onReady(() => {
  const root = document.getElementById("workbench");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const data = root.dataset;
  const applicationId = data.applicationId;
  const currency = data.currency;
  const requested = { amount: Number(data.amount), term: Number(data.term), rate: Number(data.rate) };
  const minJustification = Number(data.minJustification);
  const draftKey = `creditdesk.draft.${data.tenant}.${data.user}.${applicationId}`;
  const form = $("decision-form");
  const rows = $("condition-rows");
  const rowTemplate = $("condition-row");

  // ---- dialogs -------------------------------------------------------------------------------
  document.querySelectorAll("[data-open]").forEach((button) => {
    button.addEventListener("click", () => $(button.dataset.open).showModal());
  });
  document.querySelectorAll("dialog [data-close]").forEach((button) => {
    button.addEventListener("click", () => button.closest("dialog").close());
  });
  const openDialog = () => document.querySelector("dialog[open]");

  // ---- the decision form ---------------------------------------------------------------------
  const choice = () => (form ? (form.querySelector("input[name=choice]:checked") || {}).value || "" : "");

  function choose(value) {
    if (!form) return;
    const radio = form.querySelector(`input[name=choice][value=${value}]`);
    radio.checked = true;
    radio.focus();
    showSections();
    saveDraft();
  }

  function showSections() {
    const picked = choice();
    form.querySelector("[data-section=terms]").hidden = !(picked === "approve" || picked === "conditions");
    form.querySelector("[data-section=conditions]").hidden = picked !== "conditions";
    form.querySelector("[data-section=decline]").hidden = picked !== "decline";
    if (picked === "conditions" && rows.children.length === 0) addCondition();
    updateCount();
  }

  function updateCount() {
    const length = $("reasoning").value.trim().length;
    const need = choice() === "decline" ? ` (a decline needs at least ${MIN_DECLINE}; ${Math.max(MIN_DECLINE - length, 0)} to go)` : "";
    $("reasoning-count").textContent = `${length} characters${need}`;
  }

  function addCondition(values = {}) {
    const row = rowTemplate.content.firstElementChild.cloneNode(true);
    rows.appendChild(row);
    row.querySelector("legend").textContent = `Condition ${rows.children.length}`;
    for (const [name, value] of Object.entries(values)) {
      const input = row.querySelector(`[data-field=${name}]`);
      if (input && value !== undefined && value !== null) input.value = value;
    }
    const type = row.querySelector("[data-field=condition_type]");
    const follow = () => {
      row.querySelectorAll("[data-when]").forEach((label) => { label.hidden = label.dataset.when !== type.value; });
      updatePayment();
    };
    type.addEventListener("change", follow);
    row.querySelectorAll("input").forEach((input) => input.addEventListener("input", updatePayment));
    row.querySelector(".remove-condition").addEventListener("click", () => {
      row.remove();
      rows.querySelectorAll("legend").forEach((legend, i) => { legend.textContent = `Condition ${i + 1}`; });
      updatePayment();
      saveDraft();
    });
    follow();
    return row;
  }

  function conditions() {
    return [...rows.children].map((row) => {
      const field = (name) => row.querySelector(`[data-field=${name}]`).value.trim();
      return { condition_type: field("condition_type"), description: field("description"),
        due_date: field("due_date"), adjusted_amount: field("adjusted_amount"),
        adjusted_term_months: field("adjusted_term_months") };
    });
  }

  // The terms after the conditions, as `domain.credit.decisions.adjusted_terms` computes them.
  function adjustedTerms() {
    let { amount, term } = requested;
    for (const c of conditions()) {
      if (c.condition_type === "reduced_amount" && Number(c.adjusted_amount) > 0) amount = Number(c.adjusted_amount);
      if (c.condition_type === "reduced_term" && Number(c.adjusted_term_months) > 0) term = Number(c.adjusted_term_months);
    }
    return { amount, term };
  }

  function updatePayment() {
    if (!form) return;
    const before = workbench.payment(requested.amount, requested.rate, requested.term);
    const after = adjustedTerms();
    const now = workbench.payment(after.amount, requested.rate, after.term);
    $("new-payment").textContent = workbench.money(now, currency);
    const difference = Math.round((now - before) * 100) / 100;
    $("payment-difference").textContent = difference === 0 ? "no change"
      : `${difference > 0 ? "+" : "−"}${workbench.money(Math.abs(difference), currency)}`;
  }

  function problems() {
    const found = [];
    const picked = choice();
    if (!picked) found.push("Choose approve, approve with conditions or decline.");
    if (picked === "decline" && $("reasoning").value.trim().length < MIN_DECLINE) {
      found.push(`A decline needs reasoning of at least ${MIN_DECLINE} characters.`);
    }
    if (picked === "conditions") {
      const all = conditions();
      if (all.length === 0) found.push("Add at least one condition.");
      all.forEach((c, i) => {
        if (!c.description) found.push(`Condition ${i + 1}: say what is required.`);
        if (c.condition_type === "reduced_amount" && !(Number(c.adjusted_amount) > 0 && Number(c.adjusted_amount) < requested.amount)) {
          found.push(`Condition ${i + 1}: the new amount must be positive and below the amount requested.`);
        }
        if (c.condition_type === "reduced_term" && !(Number(c.adjusted_term_months) >= 1 && Number(c.adjusted_term_months) < requested.term)) {
          found.push(`Condition ${i + 1}: the new term must be shorter than the term requested.`);
        }
      });
    }
    return found;
  }

  function body(justification) {
    const picked = choice();
    const terms = { amount: { amount: data.amount, currency }, term_months: requested.term,
      annual_rate_percent: data.rate };
    const reasoning = $("reasoning").value.trim();
    const sent = picked === "decline"
      ? { decision_type: "analyst_decline", reasoning, reason_category: $("reason-category").value || null }
      : { decision_type: picked === "approve" ? "analyst_approve" : "analyst_approve_with_conditions", terms, reasoning };
    if (picked === "conditions") {
      sent.conditions = conditions().map((c) => {
        const condition = { condition_type: c.condition_type, description: c.description };
        if (c.due_date) condition.due_date = c.due_date;
        if (c.condition_type === "reduced_amount") condition.adjusted_amount = { amount: c.adjusted_amount, currency };
        if (c.condition_type === "reduced_term") condition.adjusted_term_months = Number(c.adjusted_term_months);
        return condition;
      });
    }
    if (justification) sent.override_justification = justification;
    return sent;
  }

  const overrides = () => {
    const approves = choice() !== "decline";
    return (data.recommendation === "decline" && approves) || (data.recommendation === "approve" && !approves);
  };

  async function stillCurrent() {
    const now = await creditdesk.api("GET", `/api/v1/applications/${applicationId}`);
    if (!now.ok) return creditdesk.problemText(now);
    if (workbench.caseVersion(now.data) !== data.version) {
      return "This case has changed since you opened it (someone else acted on it). Reload the page to see it as it is now; your draft is kept.";
    }
    return "";
  }

  async function submit(justification) {
    const error = justification === undefined ? $("form-error") : $("override-error");
    error.textContent = "";
    const found = problems();
    if (found.length) { $("form-error").textContent = found.join(" "); return; }
    const stale = await stillCurrent();
    if (stale) { error.textContent = stale; return; }
    if (justification === undefined && overrides()) { openOverride(); return; }
    const answer = await creditdesk.api("POST", `/api/v1/applications/${applicationId}/decisions`, body(justification));
    if (answer.ok) {
      localStorage.removeItem(draftKey);
      creditdesk.toast(answer.data.status === "awaiting_override_approval"
        ? "Override sent: it awaits a second person's approval." : "Decision recorded.");
      window.location.reload();
      return;
    }
    const fields = ((answer.data || {}).errors || []).map((e) => e.field);
    if (justification === undefined && fields.includes("override_justification")) { openOverride(); return; }
    error.textContent = creditdesk.problemText(answer);
  }

  function openOverride() {
    $("override-model").textContent = data.recommendation || "decide otherwise";
    $("override-choice").textContent = choice() === "decline" ? "decline" : "approve";
    updateJustification();
    $("override-dialog").showModal();
    $("justification").focus();
  }

  function updateJustification() {
    const length = $("justification").value.trim().length;
    $("justification-count").textContent = `${length} of at least ${minJustification} characters`;
  }

  if (form) {
    form.querySelectorAll("input[name=choice]").forEach((radio) => radio.addEventListener("change", () => { showSections(); saveDraft(); }));
    $("reasoning").addEventListener("input", () => { updateCount(); saveDraft(); });
    $("add-condition").addEventListener("click", () => { addCondition().querySelector("select").focus(); saveDraft(); });
    rows.addEventListener("input", saveDraft);
    rows.addEventListener("change", saveDraft);
    $("reason-category").addEventListener("change", saveDraft);
    document.querySelectorAll("button.template").forEach((button) => button.addEventListener("click", () => {
      const area = $("reasoning");
      area.value = (area.value.trim() ? area.value.trim() + " " : "") + button.dataset.template;
      updateCount();
      saveDraft();
      area.focus();
    }));
    form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
    $("justification").addEventListener("input", () => { updateJustification(); saveDraft(); });
    $("override-submit").addEventListener("click", () => {
      const text = $("justification").value.trim();
      if (text.length < minJustification) {
        $("override-error").textContent = `An override needs a justification of at least ${minJustification} characters.`;
      } else if (!$("override-confirm").checked) {
        $("override-error").textContent = "Confirm that you are deciding against the model.";
      } else {
        submit(text);
      }
    });
    updatePayment();
  }

  // ---- drafts ---------------------------------------------------------------------------------
  function saveDraft() {
    if (!form) return;
    const fields = { choice: choice(), reason_category: $("reason-category").value,
      reasoning: $("reasoning").value, conditions: conditions(), justification: $("justification").value };
    localStorage.setItem(draftKey, JSON.stringify({ version: data.version, saved_at: new Date().toISOString(), fields }));
  }

  function restoreDraft(fields) {
    if (fields.choice) form.querySelector(`input[name=choice][value=${fields.choice}]`).checked = true;
    $("reason-category").value = fields.reason_category || "";
    $("reasoning").value = fields.reasoning || "";
    $("justification").value = fields.justification || "";
    rows.replaceChildren();
    (fields.conditions || []).forEach((c) => addCondition(c));
    showSections();
    updatePayment();
  }

  function offerDraft() {
    const saved = localStorage.getItem(draftKey);
    if (!saved || !form) return;
    let draft;
    try { draft = JSON.parse(saved); } catch (_) { localStorage.removeItem(draftKey); return; }
    if (draft.version !== data.version) {
      localStorage.removeItem(draftKey);
      $("draft-refused").textContent = "Your saved draft of this decision was not restored: the case has changed since it was saved (someone else acted on it). Start again from the case as it is now.";
      $("draft-refused").hidden = false;
      return;
    }
    $("draft-text").textContent = `A draft of this decision saved at ${new Date(draft.saved_at).toLocaleTimeString()} is kept in this browser.`;
    $("draft-banner").hidden = false;
    $("draft-restore").addEventListener("click", () => { restoreDraft(draft.fields || {}); $("draft-banner").hidden = true; });
    $("draft-discard").addEventListener("click", () => { localStorage.removeItem(draftKey); $("draft-banner").hidden = true; });
  }
  offerDraft();

  // ---- taking, starting and releasing the case -----------------------------------------------
  const take = $("take-case");
  if (take) {
    take.addEventListener("click", async () => {
      const taken = await creditdesk.api("POST", `/api/v1/queue/${data.entryId}/assign`, {});
      if (!taken.ok) { creditdesk.toast(creditdesk.problemText(taken), "error"); return; }
      await creditdesk.api("POST", `/api/v1/queue/${data.entryId}/start`);
      window.location.reload();
    });
  }
  // Opening a case one holds starts its review clock (once: a started case stays started).
  if (data.state === "held_by_you" && data.entryStatus === "assigned") {
    creditdesk.api("POST", `/api/v1/queue/${data.entryId}/start`);
  }
  const release = $("release-confirm");
  if (release) {
    release.addEventListener("click", async () => {
      const released = await creditdesk.api("POST", `/api/v1/queue/${data.entryId}/release`);
      $("release-dialog").close();
      if (!released.ok) { creditdesk.toast(creditdesk.problemText(released), "error"); return; }
      localStorage.removeItem(draftKey);
      window.location.assign("/app/queue");
    });
  }

  // ---- keyboard shortcuts ---------------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    const key = event.key.toLowerCase();
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && (event.key === "?" || (event.shiftKey && event.code === "Slash"))) {
      event.preventDefault();
      if (!openDialog()) $("shortcuts-dialog").showModal();
    } else if (ctrl && event.shiftKey && key === "a" && form) {
      event.preventDefault();
      choose("approve");
    } else if (ctrl && event.shiftKey && key === "d" && form) {
      event.preventDefault();
      choose("decline");
    } else if (ctrl && key === "enter" && form) {
      event.preventDefault();
      if (openDialog() && openDialog().id === "override-dialog") $("override-submit").click();
      else if (!openDialog()) submit();
    } else if ((ctrl || event.altKey) && !event.shiftKey && (key === "n" || key === "p")) {
      const target = key === "n" ? data.nextUrl : data.previousUrl;
      event.preventDefault();
      if (target) window.location.assign(target);
      else creditdesk.toast(key === "n" ? "This is the last case in your queue." : "This is the first case in your queue.");
    }
  });
  root.dataset.ready = "true";  // the shortcuts are listening from here on
});
