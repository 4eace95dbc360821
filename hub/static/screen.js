// The hall's big screen (the live wall with ?screen=1, a display account's only page), on top of wall.js:
// a running clock in the hall's time, the totals, and an alarm when a window goes empty or its terminal goes
// offline: the card and its total flash (CSS animation "flash") and a chime sounds (Web Audio oscillators,
// no audio file); a new alert in the wall's list (wall.js draws them) flashes and chimes too. Browsers start
// sound only after a click on the page: until then a hint asks for one.
(function () {
  "use strict";
  var root = document.getElementById("wall");
  if (!root) { return; }
  var clock = document.getElementById("screen-clock"), day = document.getElementById("screen-date");
  var hint = document.getElementById("sound-hint");
  var ALERTING = {empty: "empty", unknown: "unknown"};   // a card's new state -> the total that flashes with it
  var CHIME_HZ = [880, 660], NOTE_S = 0.35;
  var states = {}, alerted = {}, audio = null, hubOffsetMs = 0, hallOffsetMs = 0;

  Array.prototype.forEach.call(root.querySelectorAll(".card"), function (card) {
    states[card.id.slice(4)] = card.getAttribute("data-state");
  });

  Array.prototype.forEach.call(document.querySelectorAll("#wall-alerts [data-key]"), function (item) {
    alerted[item.getAttribute("data-key")] = true;
  });

  // The alerts wall.js has just drawn that this screen had not shown yet: flashed; true when there was one.
  function newAlerts() {
    var fresh = false, now = {};
    Array.prototype.forEach.call(document.querySelectorAll("#wall-alerts [data-key]"), function (item) {
      var key = item.getAttribute("data-key");
      now[key] = true;
      if (!alerted[key]) { flash(item); fresh = true; }
    });
    alerted = now;
    return fresh;
  }

  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth;                       // restart the animation of an element still flashing
    el.classList.add("flash");
  }
  document.addEventListener("animationend", function (event) {
    if (event.animationName === "flash") { event.target.classList.remove("flash"); }
  });

  function sound() {
    if (audio === null) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) { return null; }
      audio = new Context();
      audio.addEventListener("statechange", showHint);
    }
    return audio;
  }

  function showHint() {
    hint.hidden = audio === null || audio.state === "running";
  }

  function chime() {
    var context = sound();
    if (context === null || context.state !== "running") { return; }
    CHIME_HZ.forEach(function (hz, i) {
      var start = context.currentTime + i * NOTE_S, note = context.createOscillator(), gain = context.createGain();
      note.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.35, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + NOTE_S * 1.6);
      note.connect(gain).connect(context.destination);
      note.start(start);
      note.stop(start + NOTE_S * 1.7);
    });
  }

  document.addEventListener("click", function () {
    var context = sound();
    if (context !== null && context.state !== "running") { context.resume().then(showHint, showHint); }
  });

  function total(key, count) {
    var item = document.querySelector("#wall-totals [data-total=" + key + "]");
    if (!item) { return; }
    var shown = item.querySelector(".count");
    if (shown.textContent !== String(count)) { shown.textContent = String(count); }
    item.classList.toggle("nonzero", count > 0);
  }

  // The hall's time, kept running between answers: the hub's clock (wall.json's now) moved on by this
  // screen's own clock, written in the hall's offset (that of now_local).
  function tick() {
    var at = new Date(Date.now() + hubOffsetMs + hallOffsetMs);
    clock.textContent = [at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()].map(function (n) {
      return (n < 10 ? "0" : "") + n;
    }).join(":");
  }

  function offsetOf(iso) {
    var zone = /([+-])(\d\d):(\d\d)$/.exec(iso);
    return zone ? (zone[1] === "-" ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60000 : 0;
  }

  document.addEventListener("wall:data", function (event) {
    var data = event.detail, alarmed = false;
    hubOffsetMs = Date.parse(data.now) - Date.now();
    hallOffsetMs = offsetOf(data.now_local);
    tick();
    if (day.textContent !== data.date_text) { day.textContent = data.date_text; }
    Object.keys(data.totals).forEach(function (key) { total(key, data.totals[key]); });
    data.windows.forEach(function (w) {
      var before = states[w.id];
      states[w.id] = w.state;
      if (before === undefined || before === w.state || !ALERTING[w.state]) { return; }
      flash(document.getElementById("win-" + w.id));
      var item = document.querySelector("#wall-totals [data-total=" + ALERTING[w.state] + "]");
      if (item) { flash(item); }
      alarmed = true;
    });
    if (newAlerts() || alarmed) { chime(); }
  });

  Array.prototype.forEach.call(document.querySelectorAll("#wall-totals [data-total]"), function (item) {
    total(item.getAttribute("data-total"), Number(item.querySelector(".count").textContent));
  });
  hubOffsetMs = Date.parse(clock.getAttribute("data-now")) - Date.now();
  hallOffsetMs = offsetOf(clock.getAttribute("data-now-local"));
  sound();
  showHint();
  window.setInterval(tick, 1000);
}());
