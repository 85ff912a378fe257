// The workbench's quick actions "Request help" and "Flag for review", and clearing a flag: each
// dialog (opened by workbench.js's data-open buttons) sends its form to the JSON API through
// creditdesk.api and reloads the case to show what changed; a refusal is shown in the dialog.
"use strict";

creditdesk.onReady(() => {
  const root = document.getElementById("workbench");
  if (!root || !root.dataset.entryId) return;
  const $ = (id) => document.getElementById(id);
  const caseUrl = `/api/v1/queue/${root.dataset.entryId}`;

  async function send(dialog, errorBox, method, path, body, done) {
    errorBox.textContent = "";
    const answer = await creditdesk.api(method, path, body);
    if (!answer.ok) { errorBox.textContent = creditdesk.problemText(answer); return; }
    dialog.close();
    creditdesk.toast(done);
    window.location.reload();
  }

  const message = $("help-message");
  if (message) {
    const least = Number(message.dataset.min);
    const most = Number(message.dataset.max);
    const count = () => {
      const length = message.value.trim().length;
      const togo = length < least ? ` (${least - length} more needed)` : ` of at most ${most}`;
      $("help-count").textContent = `${length} characters${togo}`;
      $("help-error").textContent = "";
    };
    message.addEventListener("input", count);
    $("help-submit").addEventListener("click", () => {
      send($("help-dialog"), $("help-error"), "POST", `${caseUrl}/help`,
        { message: message.value }, "The senior analysts were asked for help.");
    });
    count();
  }

  const reason = $("flag-reason");
  if (reason) {
    $("flag-submit").addEventListener("click", () => {
      send($("flag-dialog"), $("flag-error"), "POST", `${caseUrl}/flag`,
        { reason: reason.value, note: $("flag-note").value }, "The case is flagged for review.");
    });
  }

  const clearNote = $("clear-flag-note");
  if (clearNote) {
    $("clear-flag-submit").addEventListener("click", () => {
      send($("clear-flag-dialog"), $("clear-flag-error"), "DELETE", `${caseUrl}/flag`,
        { note: clearNote.value }, "The flag is cleared.");
    });
  }
});
