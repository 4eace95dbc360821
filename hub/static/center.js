// Center wall: the hub pushes each hall's line as server-sent events (data-events: a "wall" event with every
// hall's totals, worst first, when they change); this script writes the counts and puts the rows in the hub's
// order. A hall added or removed: the page is drawn anew. Without EventSource the page stays as first drawn.
(function () {
  "use strict";
  var table = document.getElementById("center");
  if (!table || !window.EventSource) { return; }
  var body = table.querySelector("tbody"), FIELDS = ["windows", "held", "empty", "unknown", "closed", "waiting"];

  function sameHalls(halls) {
    var shown = Array.prototype.map.call(body.rows, function (row) { return row.id; }).sort();
    var named = halls.map(function (line) { return "hall-" + line.hall; }).sort();
    return shown.join(" ") === named.join(" ");
  }

  function draw(halls) {
    if (!sameHalls(halls)) { window.location.reload(); return; }
    halls.forEach(function (line) {
      var row = document.getElementById("hall-" + line.hall);
      FIELDS.forEach(function (field) {
        var cell = row.querySelector("[data-field=" + field + "]"), text = String(line[field]);
        if (cell.textContent !== text) { cell.textContent = text; }
      });
      body.appendChild(row);                 // rows in the hub's order: worst first
    });
  }

  var source = new window.EventSource(table.getAttribute("data-events"));
  source.addEventListener("wall", function (event) { draw(JSON.parse(event.data).halls); });
  // The session ran out (idle or too long): reloading shows the login page.
  source.addEventListener("logout", function () { source.close(); window.location.reload(); });
}());
