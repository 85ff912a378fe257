"use strict";
// The interactive API docs: reads the OpenAPI document this service serves and offers each
// operation as a form. Everything is in this file: nothing is fetched from another origin.
(function () {
  const root = document.getElementById("docs");
  const token = document.getElementById("token");
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    children.forEach((c) => node.append(c));
    return node;
  };
  const call = async (method, path, op, form, out) => {
    let url = path;
    const query = new URLSearchParams();
    const headers = {};
    (op.parameters || []).forEach((p) => {
      const value = form.elements[p.name].value;
      if (!value) return;
      if (p.in === "path") url = url.replace("{" + p.name + "}", encodeURIComponent(value));
      else if (p.in === "query") query.append(p.name, value);
      else if (p.in === "header") headers[p.name] = value;
    });
    if (token.value) headers["Authorization"] = "Bearer " + token.value;
    const init = { method: method.toUpperCase(), headers };
    if (form.elements.body && form.elements.body.value) {
      headers["Content-Type"] = "application/json";
      init.body = form.elements.body.value;
    }
    const qs = query.toString();
    const response = await fetch(url + (qs ? "?" + qs : ""), init);
    const text = await response.text();
    out.textContent = response.status + " " + response.statusText + "\n\n" + text;
  };
  fetch("/schema/openapi.json").then((r) => r.json()).then((spec) => {
    root.append(el("h1", {}, spec.info.title + " " + spec.info.version));
    Object.entries(spec.paths).forEach(([path, item]) => {
      Object.entries(item).forEach(([method, op]) => {
        if (typeof op !== "object" || !op.responses) return;
        const form = el("form", {});
        (op.parameters || []).forEach((p) => {
          form.append(el("label", {}, p.name + " (" + p.in + (p.required ? ", required" : "") + ") "),
            el("input", { name: p.name }), el("br", {}));
        });
        if (op.requestBody) form.append(el("textarea", { name: "body", rows: "8", cols: "80" }), el("br", {}));
        const out = el("pre", {});
        form.append(el("button", { type: "submit" }, "Send"));
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          call(method, path, op, form, out).catch((e) => { out.textContent = String(e); });
        });
        const details = el("details", {}, el("summary", {}, method.toUpperCase() + " " + path +
          (op.summary ? " — " + op.summary : "")), el("p", {}, op.description || ""), form, out);
        root.append(details);
      });
    });
  });
})();
