// Models page: request a version's move to another stage, and approve or reject another
// person's request, through /api/v1/models. The four-eyes rule is the API's: its refusal is
// shown beside the version it concerns. A report plot the API could not give (the session
// ended, the file is gone) is replaced by a sentence saying so, not a broken image.
"use strict";

(() => {
  const { api, problemText, toast, onReady } = window.creditdesk;

  function report(version, result) {
    const box = document.querySelector(`[data-model-error="${CSS.escape(version)}"]`);
    const text = result.status === 403 && result.data && result.data.detail
      ? `Refused: ${result.data.detail}` : problemText(result);
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
    toast(text, "error");
  }

  async function act(version, path, body, done) {
    const result = await api("POST", `/api/v1/models/${encodeURIComponent(version)}/${path}`, body);
    if (!result.ok) {
      report(version, result);
      return;
    }
    toast(done);
    window.location.reload();
  }

  function plotMissing(image) {
    image.hidden = true;
    const note = image.parentElement.querySelector("[data-plot-missing]");
    if (note) {
      note.hidden = false;
    }
  }

  onReady(() => {
    document.querySelectorAll("img[data-report-plot]").forEach((image) => {
      image.addEventListener("error", () => plotMissing(image));
      if (image.loading !== "lazy" && image.complete && image.naturalWidth === 0) {
        plotMissing(image); // failed before this script ran
      }
    });
    document.querySelectorAll("form[data-promote]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const version = form.dataset.promote;
        const target = form.elements.namedItem("target").value;
        const reason = form.elements.namedItem("reason").value;
        act(version, "promote", { target, reason }, `Move of ${version} to ${target} requested; it waits for a second person.`);
      });
    });
    document.querySelectorAll("[data-approve-promotion]").forEach((button) => {
      button.addEventListener("click", () => {
        const version = button.dataset.approvePromotion;
        act(version, "approve-promotion", undefined, `Move of ${version} approved.`);
      });
    });
    document.querySelectorAll("[data-reject-promotion]").forEach((button) => {
      button.addEventListener("click", () => {
        const version = button.dataset.rejectPromotion;
        const comment = document.querySelector(`[data-reject-comment="${CSS.escape(version)}"]`).value;
        act(version, "reject-promotion", { comment }, `Move of ${version} rejected.`);
      });
    });
  });
})();
