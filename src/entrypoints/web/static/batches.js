// Batches page: upload a CSV file through POST /api/v1/batches (multipart, with an
// Idempotency-Key) and follow the batch by polling its status route every second until it is
// completed or failed, showing the progress bar, the counts and the error report's link.
"use strict";

(() => {
  const { api, problemText, toast, onReady } = window.creditdesk;
  const POLL_MS = 1000;
  let timer = null;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return `upload-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  }

  // Refused rows are done once read, accepted ones once scored; a completed batch is all done.
  function rowsDone(batch) {
    const p = batch.progress;
    if (batch.status === "completed") return p.total_rows;
    return Math.min(p.rejected + p.scored, p.total_rows);
  }

  function show(batch) {
    const panel = document.querySelector("[data-testid=batch-progress]");
    const field = (name) => panel.querySelector(`[data-field="${name}"]`);
    const p = batch.progress;
    panel.hidden = false;
    field("id").textContent = batch.id;
    field("status").textContent = batch.status;
    field("status").className = `pill ${batch.status}`;
    field("file_name").textContent = batch.file_name;
    for (const name of ["total_rows", "rows_read", "accepted", "rejected", "scored"]) {
      field(name).textContent = String(p[name]);
    }
    const bar = panel.querySelector("progress");
    const done = rowsDone(batch);
    bar.max = Math.max(p.total_rows, 1);
    bar.value = p.total_rows ? done : (batch.status === "completed" ? 1 : 0);
    field("done-text").textContent = `${done} of ${p.total_rows} rows done (${batch.status})`;
    const failure = field("failure");
    failure.hidden = !batch.failure;
    failure.textContent = batch.failure ? `Failed: ${batch.failure}` : "";
    const link = field("errors-link");
    link.href = `/api/v1/batches/${encodeURIComponent(batch.id)}/errors`;
    link.hidden = p.rejected === 0;
  }

  async function follow(batchId) {
    clearTimeout(timer);
    const result = await api("GET", `/api/v1/batches/${encodeURIComponent(batchId)}`);
    if (!result.ok) {
      toast(problemText(result), "error");
      return;
    }
    show(result.data);
    if (result.data.status === "completed" || result.data.status === "failed") {
      toast(`Batch ${result.data.status}: ${result.data.progress.accepted} accepted, ${result.data.progress.rejected} rejected.`,
        result.data.status === "failed" ? "error" : "info");
      return;
    }
    timer = setTimeout(() => follow(batchId), POLL_MS);
  }

  async function upload(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const error = form.querySelector("[data-upload-error]");
    const input = form.elements.namedItem("file");
    const keyInput = form.elements.namedItem("idempotency_key");
    error.hidden = true;
    if (!input.files.length) {
      error.textContent = "Choose a CSV file to upload.";
      error.hidden = false;
      input.focus();
      return;
    }
    if (!keyInput.value.trim()) keyInput.value = newKey();
    const body = new FormData();
    body.append("file", input.files[0], input.files[0].name);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const result = await api("POST", "/api/v1/batches", body, { "Idempotency-Key": keyInput.value.trim() });
    button.disabled = false;
    if (!result.ok) {
      error.textContent = problemText(result);
      error.hidden = false;
      return;
    }
    toast(result.status === 200 ? "This file was uploaded before under the same key: following that batch."
      : "Uploaded: the rows are being read.");
    keyInput.value = newKey();
    follow(result.data.id);
  }

  onReady(() => {
    const form = document.getElementById("upload");
    if (form) {
      form.elements.namedItem("idempotency_key").value = newKey();
      form.addEventListener("submit", upload);
    }
    document.querySelectorAll("[data-follow]").forEach((button) => {
      button.addEventListener("click", () => follow(button.dataset.follow));
    });
  });
})();
