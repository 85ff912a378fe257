// The queue page: picking a case takes it (assign to oneself) and opens it (start) through the
// JSON API, then goes to the case's page. A refusal (taken meanwhile, workload full) is shown as
// the API words it, and the row is left as it was.
"use strict";

creditdesk.onReady(() => {
  for (const button of document.querySelectorAll("[data-action=pick]")) {
    button.addEventListener("click", async () => {
      const entry = encodeURIComponent(button.dataset.entryId);
      button.disabled = true;
      const taken = await creditdesk.api("POST", `/api/v1/queue/${entry}/assign`, {});
      if (!taken.ok) {
        creditdesk.toast(creditdesk.problemText(taken), "error");
        button.disabled = false;
        return;
      }
      const started = await creditdesk.api("POST", `/api/v1/queue/${entry}/start`);
      if (!started.ok) creditdesk.toast(creditdesk.problemText(started), "error");
      window.location.assign(`/app/cases/${encodeURIComponent(button.dataset.applicationId)}`);
    });
  }
});
