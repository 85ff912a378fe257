// The test-generation pages: submit a spec, approve, reject or reopen a test, approve the
// selected tests together. Everything goes through the JSON API; its refusals (a rejection
// without a comment, a suspect test approved without one) are shown as the API words them.
"use strict";

creditdesk.onReady(() => {
  const SUITES = "/api/v1/testgen/suites";

  const upload = document.querySelector("[data-testid=upload-form]");
  if (upload) {
    const error = upload.querySelector("[data-testid=upload-error]");
    upload.addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = upload.querySelector("input[type=file]");
      error.hidden = true;
      if (!input.files.length) {
        error.textContent = "Choose an OpenAPI document first.";
        error.hidden = false;
        input.focus();
        return;
      }
      const form = new FormData();
      form.append("file", input.files[0]);
      const button = upload.querySelector("button[type=submit]");
      button.disabled = true;
      const answer = await creditdesk.api("POST", SUITES, form);
      button.disabled = false;
      if (!answer.ok) {
        error.textContent = creditdesk.problemText(answer);
        error.hidden = false;
        return;
      }
      window.location.assign(answer.data.links.page);
    });
  }

  const suite = document.querySelector("[data-testid=suite]");
  if (!suite) return;
  const suiteId = encodeURIComponent(suite.dataset.suiteId);

  // A test's card shows its new state: the pill, the buttons that apply, its selection.
  function showState(card, state) {
    card.dataset.state = state;
    const pill = card.querySelector("[data-testid=test-state]");
    pill.textContent = state;
    pill.className = `pill ${state}`;
    const pending = state === "pending";
    for (const button of card.querySelectorAll("button[data-action]")) {
      button.disabled = (button.dataset.action === "reopen") === pending;
    }
    const box = card.querySelector("input.select");
    if (box && !pending) box.checked = false;
  }

  for (const card of document.querySelectorAll("[data-testid=test]")) {
    const form = card.querySelector("[data-testid=review-form]");
    if (!form) continue;
    const error = form.querySelector("[data-testid=review-error]");
    const comment = form.querySelector("textarea[name=comment]");
    for (const button of form.querySelectorAll("button[data-action]")) {
      button.addEventListener("click", async () => {
        const caseId = encodeURIComponent(card.dataset.caseId);
        const text = comment.value.trim();
        error.hidden = true;
        const answer = await creditdesk.api(
          "POST", `${SUITES}/${suiteId}/tests/${caseId}/review`,
          { action: button.dataset.action, comment: text || null },
        );
        if (!answer.ok) {
          error.textContent = creditdesk.problemText(answer);
          error.hidden = false;
          comment.focus();
          return;
        }
        showState(card, answer.data.state);
        comment.value = "";
        creditdesk.toast(`${card.querySelector("h3").textContent}: ${answer.data.state}`);
        updateCount();
      });
    }
  }

  const bulk = document.querySelector("[data-testid=bulk-form]");
  const boxes = () => [...document.querySelectorAll("input.select")];
  function updateCount() {
    const count = document.querySelector("[data-testid=selected-count]");
    if (count) count.textContent = String(boxes().filter((b) => b.checked).length);
  }
  for (const box of boxes()) box.addEventListener("change", updateCount);
  if (!bulk) return;

  const selectPending = bulk.querySelector("[data-action=select-pending]");
  selectPending.addEventListener("change", () => {
    for (const box of boxes()) {
      if (box.closest("[data-testid=test]").dataset.state === "pending") box.checked = selectPending.checked;
    }
    updateCount();
  });

  const error = bulk.querySelector("[data-testid=bulk-error]");
  bulk.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const ids = boxes().filter((b) => b.checked).map((b) => b.dataset.caseId);
    if (!ids.length) {
      error.textContent = "Select at least one test.";
      error.hidden = false;
      return;
    }
    const text = bulk.querySelector("textarea[name=comment]").value.trim();
    const answer = await creditdesk.api(
      "POST", `${SUITES}/${suiteId}/bulk-approve`, { case_ids: ids, comment: text || null },
    );
    if (!answer.ok) {
      error.textContent = creditdesk.problemText(answer);
      error.hidden = false;
      return;
    }
    for (const id of answer.data.approved) {
      const card = document.querySelector(`[data-testid=test][data-case-id="${CSS.escape(id)}"]`);
      if (card) showState(card, "approved");
    }
    selectPending.checked = false;
    updateCount();
    const skipped = answer.data.skipped.length;
    creditdesk.toast(`Approved ${answer.data.approved.length}` + (skipped ? `, left ${skipped} as they were` : "") + ".");
  });
});
