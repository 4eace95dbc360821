// Live wall: poll /admin/wall.json every second and redraw each window card in place.
// Every text on a card comes from the wall model (hub/wall.py), as the page first drew it; this script only
// places it. When the hub does not answer, the wall is marked stale (the cards are the last state it gave) and
// asked again after 1, 2, 4 … up to 30 seconds, until it answers. Each answer is announced to other scripts
// (screen.js) as a "wall:data" event on the document, each failure as "wall:lost". When wall.json names
// another release of the pages than this page's (the hub was redeployed), the page reloads itself, at most
// once every five minutes.
(function () {
  "use strict";
  var root = document.getElementById("wall");
  if (!root) { return; }
  var words = JSON.parse(document.getElementById("wall-words").textContent);
  var url = root.getAttribute("data-src");
  var release = root.getAttribute("data-release");
  var updated = document.getElementById("wall-updated");
  var POLL_MS = 1000, LONGEST_WAIT_MS = 30000, RELOAD_GAP_MS = 5 * 60 * 1000, RELOADED = "hallpost-wall-reloaded";
  var wait = POLL_MS;

  function set(card, field, text) {
    var el = card.querySelector("[data-field=" + field + "]");
    if (el && el.textContent !== text) { el.textContent = text; }
  }

  function draw(w) {
    var card = document.getElementById("win-" + w.id);
    if (!card) { return; }
    card.classList.remove("state-" + card.getAttribute("data-state"));
    card.classList.add("state-" + w.state);
    card.classList.toggle("alarm", w.alarm);
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

  // A redeployed hub: reload, unless this tab already did so less than RELOAD_GAP_MS ago (then ask again later).
  function newRelease() {
    var last = Number(window.sessionStorage.getItem(RELOADED) || 0);
    if (Date.now() - last < RELOAD_GAP_MS) { return false; }
    window.sessionStorage.setItem(RELOADED, String(Date.now()));
    window.location.reload();
    return true;
  }

  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent(name, {detail: detail}));
  }

  function shown(data) {
    if (!sameWindows(data)) { window.location.reload(); return; }
    if (data.release !== release && newRelease()) { return; }
    data.windows.forEach(draw);
    root.classList.remove("stale");
    updated.className = "";
    updated.textContent = data.now_clock;
    wait = POLL_MS;
    announce("wall:data", data);
  }

  function lost() {
    root.classList.add("stale");
    updated.className = "stale";
    updated.textContent = words.stale;
    wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    announce("wall:lost", {retry_ms: wait});
  }

  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401) { window.location.reload(); throw new Error("logged out"); }
      if (!r.ok) { throw new Error("hub answered " + r.status); }
      return r.json();
    }).then(shown).catch(lost).then(function () { window.setTimeout(poll, wait); });
  }
  window.setTimeout(poll, POLL_MS);
}());
