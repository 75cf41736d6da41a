"use strict";
// Filters (severity, code, text) and sorting for the findings table. Each finding is a <tbody>
// carrying its values in data- attributes; hiding uses the hidden attribute, so the page reads
// without script too.
(function () {
  const table = document.getElementById("findings");
  if (!table) return;
  const rows = Array.from(table.tBodies).filter((b) => b.dataset.code);
  const severity = document.getElementById("severity");
  const code = document.getElementById("code");
  const search = document.getElementById("search");
  const shown = document.getElementById("shown");

  function apply() {
    const s = severity.value;
    const c = code.value;
    const q = search.value.trim().toLowerCase();
    let n = 0;
    for (const r of rows) {
      const keep = (!s || r.dataset.severity === s) && (!c || r.dataset.code === c) &&
        (!q || r.textContent.toLowerCase().includes(q));
      r.hidden = !keep;
      if (keep) n += 1;
    }
    shown.textContent = n + " of " + rows.length + " findings shown";
  }

  // a link may carry filters: report.html#severity=error&code=UPL017&q=S-1001
  const wanted = new URLSearchParams(location.hash.slice(1));
  const pick = (select, value) => {
    if (value && Array.from(select.options).some((o) => o.value === value)) select.value = value;
  };
  pick(severity, wanted.get("severity"));
  pick(code, wanted.get("code"));
  if (wanted.get("q")) search.value = wanted.get("q");

  severity.addEventListener("change", apply);
  code.addEventListener("change", apply);
  search.addEventListener("input", apply);

  let key = "order";
  let direction = 1;
  for (const button of table.tHead.querySelectorAll("button[data-key]")) {
    button.addEventListener("click", () => {
      direction = key === button.dataset.key ? -direction : 1;
      key = button.dataset.key;
      const numeric = button.dataset.type === "number";
      const sorted = rows.slice().sort((a, b) => {
        const x = a.dataset[key];
        const y = b.dataset[key];
        const d = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return d * direction || Number(a.dataset.order) - Number(b.dataset.order);
      });
      for (const r of sorted) table.appendChild(r);
      for (const th of table.tHead.rows[0].cells) th.removeAttribute("aria-sort");
      button.parentElement.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
    });
  }
  // a record wider than its cell scrolls so that the marked field is in view
  for (const mark of table.querySelectorAll("pre.rec mark")) {
    const scroller = mark.closest(".scroll");
    const right = mark.offsetLeft + mark.offsetWidth;
    if (right > scroller.clientWidth) scroller.scrollLeft = right - scroller.clientWidth / 2;
  }
  apply();
})();
