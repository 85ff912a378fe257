// The dashboard: tables sorted by their column headings (buttons, so the keyboard works as the
// mouse does), and the period form choosing "Custom dates" when a date is edited.
"use strict";

(() => {
  // The value a cell sorts by: its data-sort (the raw number, "" when there is none).
  function sortValue(row, column, numeric) {
    const cell = row.cells[column];
    const raw = cell ? (cell.dataset.sort ?? cell.textContent.trim()) : "";
    if (raw === "") return null;
    return numeric ? Number(raw) : raw.toLocaleLowerCase();
  }

  // Rows with no value go last whichever way the table is sorted.
  function compare(a, b, descending) {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    const order = a < b ? -1 : a > b ? 1 : 0;
    return descending ? -order : order;
  }

  function sortBy(table, button) {
    const header = button.closest("th");
    const column = Number(button.dataset.column);
    const numeric = button.hasAttribute("data-numeric");
    // A first click sorts numbers largest first and text A to Z; a second reverses it.
    const current = header.getAttribute("aria-sort");
    const descending = current ? current === "ascending" : numeric;
    const body = table.tBodies[0];
    const rows = Array.from(body.rows).filter((row) => row.cells.length > 1);
    const keyed = rows.map((row, index) => ({ row, index, value: sortValue(row, column, numeric) }));
    keyed.sort((a, b) => compare(a.value, b.value, descending) || a.index - b.index);
    keyed.forEach(({ row }) => body.appendChild(row));
    table.querySelectorAll("thead th").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const caption = table.querySelector("caption");
    if (caption) {
      caption.dataset.base = caption.dataset.base || caption.textContent;
      caption.textContent = `${caption.dataset.base} Sorted by ${button.textContent.trim()}, ${descending ? "descending" : "ascending"}.`;
    }
  }

  function sortable(table) {
    table.querySelectorAll("thead button.sort").forEach((button) => {
      button.addEventListener("click", () => sortBy(table, button));
    });
  }

  function periodForm(form) {
    const custom = form.querySelector("input[name=period][value=custom]");
    if (!custom) return;
    const dates = Array.from(form.querySelectorAll("input[type=date]"));
    dates.forEach((input) => {
      input.addEventListener("input", () => { custom.checked = true; });
    });
    // A date edited while the page was still loading, before this ran, counts as well.
    if (dates.some((input) => input.value !== input.defaultValue)) custom.checked = true;
  }

  creditdesk.onReady(() => {
    document.querySelectorAll("table[data-sortable]").forEach(sortable);
    const form = document.querySelector("form.period-form");
    if (form) periodForm(form);
  });
})();
