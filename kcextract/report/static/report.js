// kcextract report: sort and filter the figures table. Plain script, no library, no network.
(function () {
  "use strict";
  var table = document.getElementById("figures");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var kind = document.getElementById("filter-kind");
  var count = document.getElementById("filter-count");

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (type === "number") { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
    return raw.toLocaleLowerCase("vi");
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    th.addEventListener("click", function () {
      var type = th.getAttribute("data-type") || "text";
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = cellValue(a, index, type), y = cellValue(b, index, type);
        var order = type === "number" ? x - y : x.localeCompare(y, "vi");
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  function applyFilter() {
    var needle = text.value.trim().toLocaleLowerCase("vi");
    var wanted = kind.value;
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (!wanted || row.getAttribute("data-kind") === wanted) &&
        (!needle || row.textContent.toLocaleLowerCase("vi").indexOf(needle) !== -1);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown + " dòng";
  }
  text.addEventListener("input", applyFilter);
  kind.addEventListener("change", applyFilter);
}());
