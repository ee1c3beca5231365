/* stylesim report: small enhancements only. Every fact on the page is in the HTML without this. */
(function () {
  "use strict";
  var doc = document;

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return { num: null, text: "" }; }
    var raw = cell.getAttribute("data-sort");
    if (raw !== null && raw !== "") {
      var n = parseFloat(raw);
      if (!isNaN(n)) { return { num: n, text: "" }; }
    }
    return { num: null, text: (cell.textContent || "").trim().toLowerCase() };
  }

  function missing(k) { return k.num === null && (k.text === "" || k.text === "n/a"); }

  function compare(a, b) {
    if (a.num !== null && b.num !== null) { return a.num - b.num; }
    if (a.num !== null) { return -1; }
    if (b.num !== null) { return 1; }
    if (a.text === b.text) { return 0; }
    return a.text < b.text ? -1 : 1;
  }

  function sortTable(table, index, header) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var descending = header.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, key: cellValue(row, index), i: i };
    });
    rows.sort(function (x, y) {
      var mx = missing(x.key), my = missing(y.key);
      if (mx !== my) { return mx ? 1 : -1; }
      var c = compare(x.key, y.key);
      if (c === 0) { return x.i - y.i; }
      return descending ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(header.parentNode.children, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  Array.prototype.forEach.call(doc.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tHead.rows.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, index, th); });
    });
  });

  function items(target) {
    if (target.tagName === "TABLE") {
      return target.tBodies.length ? Array.prototype.slice.call(target.tBodies[0].rows) : [];
    }
    return Array.prototype.slice.call(target.children);
  }

  Array.prototype.forEach.call(doc.querySelectorAll("input[data-filter]"), function (input) {
    var target = doc.getElementById(input.getAttribute("data-filter"));
    if (!target) { return; }
    var output = doc.querySelector('output[data-count-for="' + target.id + '"]');
    var all = items(target);
    function apply() {
      var needle = input.value.trim().toLowerCase();
      var shown = 0;
      all.forEach(function (el) {
        var hit = !needle || (el.textContent || "").toLowerCase().indexOf(needle) !== -1;
        el.hidden = !hit;
        if (hit) { shown += 1; }
      });
      if (output) { output.textContent = needle ? shown + " of " + all.length + " shown" : ""; }
    }
    input.addEventListener("input", apply);
    input.closest(".filter").hidden = false;
  });

  function openTarget() {
    var id;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }  // a malformed #fragment
    if (!id) { return; }
    var el = doc.getElementById(id);
    if (!el) { return; }
    for (var node = el; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
      if (node.hidden) { node.hidden = false; }
    }
    el.scrollIntoView();
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  doc.documentElement.setAttribute("data-js", "ready");
}());
