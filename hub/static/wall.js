// Live wall: the hub pushes the wall as server-sent events (data-events: a "wall" event when it changes, a
// "clock" event every other second) and this script redraws each window card in place. Where the events cannot
// be had (no EventSource, a proxy that holds them back, every stream of the hub taken, the hub gone) it polls
// data-src (wall.json) every second instead, and tries the events again after a minute of good answers.
// Every text on a card comes from the wall model (hub/wall.py), as the page first drew it; this script only
// places it. When the hub does not answer, the wall is marked stale (the cards are the last state it gave) and
// asked again after 1, 2, 4 … up to 30 seconds, until it answers. Each wall is announced to other scripts
// (screen.js) as a "wall:data" event on the document, each failure as "wall:lost". The wall's open alerts
// (data.alerts, when the hub sends them) are listed above the cards. When the wall names another release of
// the pages than this page's (the hub was redeployed), the page reloads itself, at most once every five minutes.
(function () {
  "use strict";
  var root = document.getElementById("wall");
  if (!root) { return; }
  var words = JSON.parse(document.getElementById("wall-words").textContent);
  var url = root.getAttribute("data-src"), events = root.getAttribute("data-events");
  var release = root.getAttribute("data-release");
  var updated = document.getElementById("wall-updated"), alerts = document.getElementById("wall-alerts");
  var POLL_MS = 1000, LONGEST_WAIT_MS = 30000, RELOAD_GAP_MS = 5 * 60 * 1000, RELOADED = "hallpost-wall-reloaded";
  var SILENCE_MS = 5000, EVENTS_AGAIN_MS = 60000;
  var wait = POLL_MS, source = null, silence = null, eventsFailedAt = 0;

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

  // What tells one alert from another (screen.js chimes for a key it has not seen).
  function alertKey(alert) {
    return [alert.kind, alert.window || "", alert.started_at].join("|");
  }

  // An alert's start as HH:MM in the hall's time (the offset of the wall's now_local).
  function hallClock(iso, nowLocal) {
    var zone = /([+-])(\d\d):(\d\d)$/.exec(nowLocal || ""), at = Date.parse(iso);
    if (isNaN(at)) { return ""; }
    var offset = zone ? (zone[1] === "-" ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60000 : 0;
    var local = new Date(at + offset);
    return [local.getUTCHours(), local.getUTCMinutes()].map(function (n) { return (n < 10 ? "0" : "") + n; }).join(":");
  }

  // The open alerts, newest list as the hub gives it: its start, its summary linked to the page that explains it.
  function drawAlerts(list, nowLocal) {
    if (!alerts || !list) { return; }
    var items = list.map(function (alert) {
      var item = document.createElement("li"), link = document.createElement("a"), since = document.createElement("span");
      item.className = "alert alert-" + alert.kind;
      item.setAttribute("data-key", alertKey(alert));
      since.className = "since";
      since.textContent = hallClock(alert.started_at, nowLocal);
      link.href = alert.link || "#";
      link.textContent = alert.summary;
      item.append(since, " ", link);
      return item;
    });
    alerts.replaceChildren.apply(alerts, items);
    alerts.hidden = items.length === 0;
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

  function heard(nowClock) {
    root.classList.remove("stale");
    updated.className = "";
    updated.textContent = nowClock;
    wait = POLL_MS;
  }

  function shown(data) {
    if (!sameWindows(data)) { window.location.reload(); return; }
    if (data.release !== release && newRelease()) { return; }
    data.windows.forEach(draw);
    drawAlerts(data.alerts, data.now_local);
    heard(data.now_clock);
    announce("wall:data", data);
  }

  function lost() {
    root.classList.add("stale");
    updated.className = "stale";
    updated.textContent = words.stale;
    wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    announce("wall:lost", {retry_ms: wait});
  }

  function eventsPossible() {
    return Boolean(events && window.EventSource);
  }

  // Nothing heard for SILENCE_MS (the hub gone, a proxy holding the events back): poll instead.
  function watch() {
    window.clearTimeout(silence);
    silence = window.setTimeout(pollInstead, SILENCE_MS);
  }

  function listen() {
    source = new window.EventSource(events);
    watch();
    source.addEventListener("wall", function (event) { watch(); shown(JSON.parse(event.data)); });
    source.addEventListener("clock", function (event) { watch(); heard(JSON.parse(event.data).now_clock); });
    // The session ran out (idle or too long): reloading shows the login page.
    source.addEventListener("logout", function () { source.close(); window.location.reload(); });
    // CLOSED: refused (every stream taken, logged out, not an event stream); else the browser reconnects itself.
    source.addEventListener("error", function () {
      if (source !== null && source.readyState === window.EventSource.CLOSED) { pollInstead(); }
    });
  }

  function pollInstead() {
    window.clearTimeout(silence);
    if (source !== null) { source.close(); source = null; }
    eventsFailedAt = Date.now();
    poll();
  }

  function next() {
    var good = !root.classList.contains("stale");
    if (good && eventsPossible() && Date.now() - eventsFailedAt >= EVENTS_AGAIN_MS) { listen(); return; }
    window.setTimeout(poll, wait);
  }

  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status === 401) { window.location.reload(); throw new Error("logged out"); }
      if (!r.ok) { throw new Error("hub answered " + r.status); }
      return r.json();
    }).then(shown).catch(lost).then(next);
  }

  if (eventsPossible()) { listen(); } else { window.setTimeout(poll, POLL_MS); }
}());
