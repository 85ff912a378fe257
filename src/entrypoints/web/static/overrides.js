// The overrides page: approve or reject an override through the JSON API. The four-eyes rule
// is the API's: its refusal (403 for one's own override, 409 once reviewed) is shown in the
// override's card as the API words it.
"use strict";

creditdesk.onReady(() => {
  for (const card of document.querySelectorAll("[data-testid=override]")) {
    const error = card.querySelector("[data-testid=review-error]");
    const outcome = card.querySelector("[data-testid=review-outcome]");
    const comment = card.querySelector("textarea[name=comment]");
    const buttons = card.querySelectorAll("button[data-action]");

    async function review(action) {
      const id = encodeURIComponent(card.dataset.decisionId);
      const text = comment.value.trim();
      const body = action === "approve" ? { comment: text } : { reason: text };
      error.hidden = true;
      buttons.forEach((b) => { b.disabled = true; });
      const answer = await creditdesk.api("POST", `/api/v1/decisions/${id}/${action}-override`, body);
      if (!answer.ok) {
        error.textContent = creditdesk.problemText(answer);
        error.hidden = false;
        buttons.forEach((b) => { b.disabled = false; });
        comment.focus();
        return;
      }
      const done = action === "approve" ? "Approved: the decision is final." : "Rejected: the case is back in the queue.";
      outcome.textContent = done;
      outcome.hidden = false;
      comment.disabled = true;
      creditdesk.toast(done);
    }

    for (const button of buttons) {
      button.addEventListener("click", () => review(button.dataset.action === "approve" ? "approve" : "reject"));
    }
  }
});
