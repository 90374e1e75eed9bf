// The live timing page: follows the board over its own WebSocket, or over a broker's
// WebSocket listener with ?mqtt=ws://HOST:PORT&topic=timingboard/EVENT. Read-only.
"use strict";
const FLAG_TEXT = { green: "GREEN", yellow: "YELLOW", full_course_yellow: "FULL-COURSE YELLOW", red: "RED", white: "WHITE", checkered: "CHECKERED" };
// the board's marks of laps (live_json's last_mark, best_mark; the rule is the engine's)
const MARK_CLASS = { session: "sb", personal: "pb" };
const follower = new Follower();
let shownAt = performance.now();
let lastData = 0;

function cell(tr, cls, text, extra) {
  const td = document.createElement("td");
  td.className = cls + (extra ? " " + extra : "");
  td.textContent = text == null ? "" : text;
  tr.appendChild(td);
}

// "Christopher Bell" and "C. Bell": a phone's width shows the short one (app.css)
function shortName(name) {
  const words = (name || "").trim().split(/\s+/);
  return words.length < 2 ? words.join("") : words[0][0] + ". " + words.slice(1).join(" ");
}

function driverCell(tr, name) {
  const td = document.createElement("td");
  td.className = "driver";
  td.title = name || "";
  for (const [cls, text] of [["full", name || ""], ["short", shortName(name)]]) {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    if (cls === "short") span.setAttribute("aria-hidden", "true");  // read once, in full
    td.appendChild(span);
  }
  tr.appendChild(td);
}

function render() {
  const s = follower.session, st = follower.status || {};
  document.getElementById("session").textContent = s.name || "Waiting for a session";
  const band = document.getElementById("band");
  band.dataset.flag = st.flag || "none";
  document.getElementById("flag").textContent = FLAG_TEXT[st.flag] || "NO FLAG";
  document.getElementById("remaining").textContent = st.remaining || "";
  const best = st.best;
  document.getElementById("best").textContent =
    best ? `Best #${best.car} ${best.driver} ${best.lap}` : "";
  const classes = s.classes || [];
  const pick = document.getElementById("classPick"), select = document.getElementById("classFilter");
  pick.hidden = classes.length < 2;
  document.body.classList.toggle("classless", classes.length < 2);
  const known = Array.from(select.options).map(o => o.value).slice(1).join("\u0000");
  if (known !== classes.join("\u0000")) {
    const keep = select.value;
    select.length = 1;
    for (const c of classes) select.add(new Option(c, c));
    select.value = classes.includes(keep) ? keep : "";
  }
  const only = select.value;
  const body = document.querySelector("#board tbody");
  const rows = document.createDocumentFragment();
  for (const r of follower.board()) {
    if (only && r.class !== only) continue;
    const tr = document.createElement("tr");
    tr.dataset.key = r.key;
    const out = (r.standing && r.standing.status) || r.status;  // "DSQ +5.000 s": still out
    if (out === "DNF" || out === "DSQ") tr.className = "out";
    cell(tr, "pos", only && r.class_pos ? r.class_pos : r.pos);
    cell(tr, "car", r.car);
    driverCell(tr, r.driver);
    cell(tr, "cls", r.class);
    cell(tr, "laps", r.laps_text);
    // a board of before the marks sent the flags only
    cell(tr, "last", r.last, MARK_CLASS[r.last_mark ?? (r.last_pb ? "personal" : "")] || "");
    cell(tr, "best", r.best, MARK_CLASS[r.best_mark ?? (r.session_best ? "session" : "")] || "");
    cell(tr, "gap", r.gap);
    cell(tr, "int", r.interval);
    cell(tr, "status", r.status);
    rows.appendChild(tr);
  }
  body.replaceChildren(rows);
  shownAt = performance.now();
  tick();
}

// the board's clock, H:MM:SS, whole seconds cut off as the board's (formatting.format_clock)
function clockText(ms) {
  const t = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
  return h + ":" + String(m).padStart(2, "0") + ":" + String(sec).padStart(2, "0");
}

function tick() {
  // the board's clock as sent (it stands at the finish: live_json's clock); run on from it
  // only while the board's runs
  const st = follower.status || {};
  const text = st.clock_running || st.clock == null
    ? clockText((st.clock_ms || 0) + (st.clock_running ? performance.now() - shownAt : 0))
    : st.clock;
  document.getElementById("clock").textContent = text;
  const link = document.getElementById("link");
  const silent = (performance.now() - lastData) / 1000;
  if (lastData && silent > 6) {
    link.className = "lost";
    link.textContent = `No data for ${Math.floor(silent)} s — reconnecting…`;
  }
}
setInterval(tick, 250);
document.getElementById("classFilter").addEventListener("change", render);

function linked(text) {
  const link = document.getElementById("link");
  link.className = "";
  link.textContent = text;
}

function received(message, askAgain) {
  lastData = performance.now();
  const waiting = follower.seq === null;
  if (follower.apply(message)) render();
  else if (!waiting) askAgain();  // a delta was missed; before the first snapshot, just wait
}

function followBoard() {
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
  let wait = 250;
  const connect = () => {
    const ws = new WebSocket(url);
    ws.onopen = () => { wait = 250; linked("Live"); };
    ws.onmessage = ev => received(JSON.parse(ev.data), () => {
      follower.seq = null;
      ws.send(JSON.stringify({ want: "snapshot" }));
    });
    ws.onclose = () => {
      const link = document.getElementById("link");
      link.className = "lost";
      link.textContent = "Connection lost — reconnecting…";
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 5000);
    };
  };
  connect();
}

function followBroker(broker, base) {
  // Topics: BASE/current (retained: the session now on the board), BASE/SESSION/snapshot
  // (retained), BASE/SESSION/delta.
  const client = mqtt.connect(broker, { reconnectPeriod: 1000, connectTimeout: 5000 });
  let session = null;
  const snapshotTopic = () => `${base}/${session}/snapshot`;
  const resubscribe = () => {  // a retained snapshot comes again on subscribing
    follower.seq = null;
    client.unsubscribe(snapshotTopic(), () => client.subscribe(snapshotTopic(), { qos: 1 }));
  };
  client.on("connect", () => { linked("Live (broker)"); client.subscribe(`${base}/current`, { qos: 1 }); });
  client.on("close", () => {
    const link = document.getElementById("link");
    link.className = "lost";
    link.textContent = "Broker connection lost — reconnecting…";
  });
  client.on("message", (topic, payload) => {
    const text = new TextDecoder().decode(payload);
    if (topic === `${base}/current`) {
      const now = JSON.parse(text).session;
      if (now !== session) {
        if (session) client.unsubscribe([`${base}/${session}/snapshot`, `${base}/${session}/delta`]);
        session = now;
        follower.seq = null;
        client.subscribe([snapshotTopic(), `${base}/${session}/delta`], { qos: 1 });
      }
      return;
    }
    received(JSON.parse(text), resubscribe);
  });
}

const params = new URLSearchParams(location.search);
if (params.get("mqtt")) {
  const script = document.createElement("script");  // MQTT.js, served from the package
  script.src = "/static/mqtt.min.js";
  script.onload = () => followBroker(params.get("mqtt"), params.get("topic") || "timingboard/event");
  script.onerror = () => linked("Cannot load the broker client");
  document.head.appendChild(script);
} else {
  followBoard();
}
