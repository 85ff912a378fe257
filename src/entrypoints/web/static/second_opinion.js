// The workbench's "Ask for a second opinion" button: POSTs to the application's
// second-opinions route through creditdesk.api and reloads the case to show the stored record
// (an answer, or a fallback with its cause); a refusal (LLM not configured, not scored) is shown.
"use strict";

creditdesk.onReady(() => {
  const button = document.getElementById("ask-opinion");
  const panel = document.querySelector("[data-testid='second-opinion']");
  if (!button || !panel) return;
  const status = document.getElementById("opinion-status");
  const path = `/api/v1/applications/${panel.dataset.applicationId}/second-opinions`;

  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "Asking the model…";
    const answer = await creditdesk.api("POST", path);
    button.disabled = false;
    if (!answer.ok) {
      status.textContent = "";
      creditdesk.toast(creditdesk.problemText(answer), "error");
      return;
    }
    const fellBack = answer.data && answer.data.outcome === "fallback";
    creditdesk.toast(fellBack ? "No opinion this time; the cause is recorded." : "Second opinion received.");
    window.location.reload();
  });
});
