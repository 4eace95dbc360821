// Live wall: poll /admin/wall.json every second and redraw each window card in place.
// Every text on a card comes from the wall model (hub/wall.py), as the page first drew it; this script only
// places it. When the hub does not answer, the wall is marked stale: the cards are the last state it gave.
(function () {
  "use strict";
  var root = document.getElementById("wall");
  if (!root) { return; }
  var words = JSON.parse(document.getElementById("wall-words").textContent);
  var url = root.getAttribute("data-src");
  var updated = document.getElementById("wall-updated");

  function set(card, field, text) {
    var el = card.querySelector("[data-field=" + field + "]");
    if (el && el.textContent !== text) { el.textContent = text; }
  }

  function draw(w) {
    var card = document.getElementById("win-" + w.id);
    if (!card) { return; }
    card.className = "card state-" + w.state + (w.alarm ? " alarm" : "");
    card.setAttribute("data-state", w.state);
    set(card, "holder", w.holder_text);
    set(card, "waiting", w.waiting_text || "");
    card.querySelector("[data-field=waiting]").className = w.waiting ? "waiting" : "";
    set(card, "offline", w.offline_text || "");
    set(card, "empty", w.empty_text || "—");
    set(card, "keypad", w.keypad_text);
    set(card, "faults", w.troubles.length ? w.troubles.join(" · ") : "—");
    set(card, "last_sync", w.last_sync_text || words.never);
    card.querySelector("[data-field=last_sync]").className = w.sync_late ? "late" : "";
  }

  // The page shows exactly the windows the hub names (one added or removed in setup: draw the page anew).
  function sameWindows(data) {
    var shown = Array.prototype.map.call(root.querySelectorAll(".card"), function (card) { return card.id; });
    var named = data.windows.map(function (w) { return "win-" + w.id; });
    return shown.join(" ") === named.join(" ");
  }

  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401) { window.location.reload(); throw new Error("logged out"); }
      if (!r.ok) { throw new Error("hub answered " + r.status); }
      return r.json();
    }).then(function (data) {
      if (!sameWindows(data)) { window.location.reload(); return; }
      data.windows.forEach(draw);
      root.classList.remove("stale");
      updated.className = "";
      updated.textContent = data.now_clock;
    }).catch(function () {
      root.classList.add("stale");
      updated.className = "stale";
      updated.textContent = words.stale;
    }).then(function () { window.setTimeout(poll, 1000); });
  }
  window.setTimeout(poll, 1000);
}());
