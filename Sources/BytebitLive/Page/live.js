// bytebit live page: one WebSocket to /v1/stream (token from ?token= or a prompt), the chosen
// pair's book as a depth ladder, best bid/ask, spread and mid over the last minutes, the last
// trades, and a banner while the pair is in a gap (SPEC §4.3). Prices stay the feed's exact text;
// numbers are parsed only to draw.
"use strict";

const DEPTH = 25;
const CHART_SPAN_MS = 5 * 60 * 1000;
const MAX_TRADES = 40;
// Ledger events that start a gap; `snapshot` ends it (SPEC §4.3).
const GAP_STARTS = new Set(["checksum_mismatch", "disconnected", "stale", "maintenance", "write_failed", "stopped"]);

const params = new URLSearchParams(location.search);
let token = params.get("token") || sessionStorage.getItem("bytebit-token") || "";
if (!token) token = (prompt("bytebit live feed token (the live token_file):") || "").trim();
sessionStorage.setItem("bytebit-token", token);

const pairs = new Map();  // pair -> { book, history: [{t, bid, ask}], trades: [], gap: null|event }
let chosen = params.get("pair") || "";
const $ = (id) => document.getElementById(id);

function stateOf(pair) {
  if (!pairs.has(pair)) {
    pairs.set(pair, { book: null, history: [], trades: [], gap: null });
    const option = document.createElement("option");
    option.value = option.textContent = pair;
    const select = $("pair");
    const after = [...select.options].find((o) => o.value > pair);
    select.insertBefore(option, after || null);
    if (!chosen) chosen = pair;
    select.value = chosen;
  }
  return pairs.get(pair);
}

$("pair").addEventListener("change", (e) => { chosen = e.target.value; render(); });

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(`${scheme}//${location.host}/v1/stream?token=${encodeURIComponent(token)}`);
  socket.onopen = () => {
    setConnection("live", true);
    socket.send(JSON.stringify({ op: "subscribe", pairs: ["*"], channels: ["book", "trade", "event"] }));
  };
  socket.onmessage = (message) => receive(JSON.parse(message.data));
  socket.onclose = (e) => {
    setConnection(e.code === 1006 ? "disconnected (check the token); retrying…" : `closed (${e.code}); retrying…`, false);
    setTimeout(connect, 2000);
  };
}

function setConnection(text, live) {
  $("connection").textContent = text;
  $("connection").classList.toggle("live", live);
}

function receive(message) {
  if (message.type === "error") { logEvent(`feed error: ${message.message}`); return; }
  if (!message.pair) return;
  const state = stateOf(message.pair);
  if (message.type === "book") {
    state.book = message;
    const bid = message.bids.length ? Number(message.bids[0][0]) : NaN;
    const ask = message.asks.length ? Number(message.asks[0][0]) : NaN;
    const t = Date.parse(message.timestamp);
    state.history.push({ t, bid, ask });
    while (state.history.length && state.history[0].t < t - CHART_SPAN_MS) state.history.shift();
  } else if (message.type === "trade") {
    state.trades.unshift(message);
    state.trades.length = Math.min(state.trades.length, MAX_TRADES);
  } else if (message.type === "event") {
    if (GAP_STARTS.has(message.event)) state.gap = message;
    else if (message.event === "snapshot") state.gap = null;
    if (message.pair === chosen) logEvent(`${message.timestamp} ${message.event} ${message.detail}`);
  }
  if (message.pair === chosen) scheduleRender();
}

function logEvent(text) {
  const line = document.createElement("div");
  line.textContent = text;
  $("events").prepend(line);
  while ($("events").childElementCount > 8) $("events").lastElementChild.remove();
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; render(); });
}

// Exact decimal text arithmetic for the spread and mid: scale both to the same number of digits.
function decimalParts(text) {
  const [whole, fraction = ""] = text.split(".");
  return { digits: BigInt(whole + fraction), scale: fraction.length };
}
function decimalText(value, scale) {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}
function spreadAndMid(bidText, askText) {
  const bid = decimalParts(bidText), ask = decimalParts(askText);
  const scale = Math.max(bid.scale, ask.scale);
  const b = bid.digits * 10n ** BigInt(scale - bid.scale), a = ask.digits * 10n ** BigInt(scale - ask.scale);
  return { spread: decimalText(a - b, scale), mid: decimalText((a + b) * 5n, scale + 1) };
}

function render() {
  const state = pairs.get(chosen);
  if (!state) return;
  const banner = $("gap-banner");
  banner.hidden = !state.gap;
  if (state.gap) $("gap-detail").textContent = `${state.gap.event} at ${state.gap.timestamp} — ${state.gap.detail}. No verified book until the next snapshot.`;
  const book = state.book;
  if (book) {
    const bid = book.bids[0], ask = book.asks[0];
    $("best-bid").textContent = bid ? bid[0] : "–";
    $("best-ask").textContent = ask ? ask[0] : "–";
    $("best-bid").dataset.timestamp = $("best-ask").dataset.timestamp = book.timestamp;
    $("best-bid").dataset.receivedAt = $("best-ask").dataset.receivedAt = book.received_at;
    $("book-time").textContent = book.timestamp.replace("T", " ").replace("Z", "");
    if (bid && ask) {
      const { spread, mid } = spreadAndMid(bid[0], ask[0]);
      $("spread").textContent = spread;
      $("mid").textContent = mid;
    }
    renderLadder(book);
  }
  renderTrades(state.trades);
  renderCharts(state.history);
}

const escapeHTML = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function renderLadder(book) {
  const asks = book.asks.slice(0, DEPTH), bids = book.bids.slice(0, DEPTH);
  const largest = Math.max(...asks.concat(bids).map((l) => Number(l[1])), 0) || 1;
  const rows = (levels, cls) => levels.map(([price, qty]) =>
    `<tr><td class="${cls}">${escapeHTML(price)}</td><td>${escapeHTML(qty)}</td><td class="bar"><div style="width:${(100 * Number(qty) / largest).toFixed(1)}%"></div></td></tr>`).join("");
  $("asks").innerHTML = rows(asks.slice().reverse(), "ask");
  $("bids").innerHTML = rows(bids, "bid");
}

function renderTrades(trades) {
  $("trades").tBodies[0].innerHTML = trades.map((t) =>
    `<tr><td>${escapeHTML(t.timestamp.slice(11, 23))}</td><td class="${t.side === "buy" ? "bid" : "ask"}">${escapeHTML(t.side)}</td><td>${escapeHTML(t.price)}</td><td>${escapeHTML(t.qty)}</td></tr>`).join("");
}

function renderCharts(history) {
  const points = history.filter((p) => isFinite(p.bid) && isFinite(p.ask));
  drawLines($("chart"), points, [
    { color: "#1a8f4c", value: (p) => p.bid },
    { color: "#c8372d", value: (p) => p.ask },
    { color: "#2563eb", value: (p) => (p.bid + p.ask) / 2, dash: [4, 3] },
  ]);
  drawLines($("spread-chart"), points, [{ color: "#7c3aed", value: (p) => p.ask - p.bid }]);
}

function drawLines(canvas, points, series) {
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (points.length < 2) return;
  // The last minutes, up to CHART_SPAN_MS: a fresh page's chart spans what it has seen so far.
  const pad = 6, t1 = points[points.length - 1].t, t0 = Math.max(t1 - CHART_SPAN_MS, points[0].t);
  const span = Math.max(t1 - t0, 1);
  let low = Infinity, high = -Infinity;
  for (const p of points) for (const s of series) { const v = s.value(p); low = Math.min(low, v); high = Math.max(high, v); }
  if (high === low) { high += 1e-9; low -= 1e-9; }
  const x = (t) => pad + (canvas.width - 2 * pad) * (t - t0) / span;
  const y = (v) => canvas.height - pad - (canvas.height - 2 * pad) * (v - low) / (high - low);
  g.font = "11px ui-monospace, monospace";
  g.fillStyle = "#6b7280";
  g.fillText(String(high.toPrecision(8)), pad, 12);
  g.fillText(String(low.toPrecision(8)), pad, canvas.height - 8);
  for (const s of series) {
    g.strokeStyle = s.color;
    g.setLineDash(s.dash || []);
    g.lineWidth = 1.5;
    g.beginPath();
    points.forEach((p, i) => (i ? g.lineTo(x(p.t), y(s.value(p))) : g.moveTo(x(p.t), y(s.value(p)))));
    g.stroke();
  }
}

connect();
