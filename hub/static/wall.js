// Live wall: poll /admin/wall.json every second and redraw each window card in place.
// Times and durations come formatted from the wall model (hub/wall.py), as the page first drew them.
(function () {
  "use strict";
  var root = document.getElementById("wall");
  if (!root) { return; }
  var words = JSON.parse(document.getElementById("wall-words").textContent);
  var url = root.getAttribute("data-src");

  function set(card, field, text) {
    var el = card.querySelector("[data-field=" + field + "]");
    if (el && el.textContent !== text) { el.textContent = text; }
  }

  function draw(w) {
    var card = document.getElementById("win-" + w.id);
    if (!card) { return; }
    card.className = "card state-" + w.state + (w.alarm ? " alarm" : "");
    card.setAttribute("data-state", w.state);
    var holder = w.state === "unknown" ? words.unknown : w.state === "empty" ? words.nobody
      : w.state === "closed" ? words.closed_window : w.state + " · " + (w.holder_name || "");
    set(card, "holder", holder);
    var waiting = card.querySelector("[data-field=waiting]");
    waiting.textContent = w.waiting ? words.waiting_for + " " + w.waiting : "";
    waiting.className = w.waiting ? "waiting" : "";
    set(card, "empty", w.empty_for || "—");
    set(card, "keypad", w.keypad === null ? "—" : (w.keypad ? words.yes : words.no));
    set(card, "faults", w.troubles.length ? w.troubles.join(" · ") : "—");
    set(card, "last_sync", w.last_sync_clock || words.never);
    set(card, "offline", w.state === "unknown" && w.offline_since ? words.offline_since + " " + w.offline_clock : "");
  }

  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401) { window.location.reload(); throw new Error("logged out"); }
      return r.json();
    }).then(function (data) {
      data.windows.forEach(draw);
      document.getElementById("wall-updated").textContent = data.now_clock;
    }).catch(function () {
      document.getElementById("wall-updated").textContent = words.stale;
    }).then(function () { window.setTimeout(poll, 1000); });
  }
  window.setTimeout(poll, 1000);
}());
