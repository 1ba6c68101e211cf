// The Dynoscale dashboard: polls the small JSON API (/_dynoscale/ui/api/...) every two seconds
// and draws it; the item browser calls DynamoDB's own API, the clock buttons /_dynoscale/clock.
"use strict";

const POLL_MS = 2000;
const state = { account: "", region: "", table: null, index: "", minutes: 60, startKey: null,
                overview: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

function iso(epoch) {
  return epoch == null ? "" : new Date(epoch * 1000).toISOString().replace(".000Z", "Z");
}

async function api(path, params = {}) {
  const query = new URLSearchParams({ account: state.account, region: state.region, ...params });
  const response = await fetch(`/_dynoscale/ui/api/${path}?${query}`);
  if (!response.ok) throw new Error((await response.json()).error || response.statusText);
  return response.json();
}

// DynamoDB's API, as any client calls it (the access key names the account, as on the server).
async function dynamodb(operation, body) {
  const credential = `${state.account}/20260101/${state.region}/dynamodb/aws4_request`;
  const response = await fetch("/", {
    method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Target": `DynamoDB_20120810.${operation}`,
               // A signature of AWS's form needs a date matching its scope's (server/sigv4.py).
               "X-Amz-Date": "20260101T000000Z",
               "Authorization": `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=0` },
  });
  const doc = await response.json();
  if (!response.ok) throw new Error(`${(doc.__type || "").split("#").pop()}: ${doc.message || doc.Message}`);
  return doc;
}

// -- clock --------------------------------------------------------------------------------------
function drawClock(clock) {
  $("clock-mode").textContent = clock.mode;
  $("clock-now").textContent = iso(Math.floor(clock.now));
  $("clock-now").dataset.now = clock.now;
  $("clock-scale").textContent = clock.mode === "scaled" || clock.time_scale !== 1 ? `x${clock.time_scale}` : "";
  $("clock-buttons").hidden = clock.mode !== "manual";
}

async function advance(seconds) {
  await fetch("/_dynoscale/clock", { method: "POST", body: JSON.stringify({ advance_seconds: seconds }) });
  refresh();
}

// -- tables -------------------------------------------------------------------------------------
function capacityText(t) {
  if (t.billing === "PAY_PER_REQUEST") return "on-demand";
  return `${t.read} RCU / ${t.write} WCU`;
}

function drawTables(overview) {
  const list = $("tables");
  list.replaceChildren(...overview.tables.map((t) => {
    const li = el("li", { "data-table": t.name }, t.name,
                  el("small", {}, `${t.status} · ${capacityText(t)} · ${t.items} items`));
    if (t.name === state.table) li.classList.add("selected");
    li.onclick = () => selectTable(t.name);
    return li;
  }));
  $("no-tables").hidden = overview.tables.length > 0;
  if (state.table && !overview.tables.some((t) => t.name === state.table)) state.table = null;
  if (!state.table && overview.tables.length) selectTable(overview.tables[0].name, false);
  const table = overview.tables.find((t) => t.name === state.table);
  $("detail").hidden = $("items-panel").hidden = !table;
  if (table) drawFacts(table);
}

function selectTable(name, reload = true) {
  if (state.table !== name) { state.index = ""; state.startKey = null; }
  state.table = name;
  if (reload) refresh();
}

function drawFacts(t) {
  $("table-title").textContent = t.name;
  const facts = [
    ["Status", t.status], ["Billing", t.billing === "PAY_PER_REQUEST" ? "On-demand" : "Provisioned"],
    ["Capacity", t.billing === "PAY_PER_REQUEST"
      ? `max ${t.maxRead ?? "-"} RRU / ${t.maxWrite ?? "-"} WRU` : `${t.read} RCU / ${t.write} WCU`],
    ["Items", `${t.items} (${t.bytes} bytes)`],
    ["Stream", t.stream.enabled ? t.stream.viewType : "off"],
    ["TTL", t.ttl.status + (t.ttl.attribute ? ` (${t.ttl.attribute})` : "")],
    ["Indexes", t.indexes.map((i) => `${i.name} (${i.kind}${i.read ? `, ${i.read}/${i.write}` : ""})`).join(", ") || "none"],
  ];
  $("table-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  $("scaling").replaceChildren(...t.scaling.map((s) => el("div", { class: "target", "data-dimension": s.dimension },
    `${s.dimension}: ${s.min}-${s.max}`,
    ...s.policies.map((p) => ` · ${p.name}: ${p.metric} target ${p.target}%`))));
  for (const select of [$("index-select"), $("items-index")]) {
    const wanted = ["", ...t.indexes.filter((i) => select.id === "items-index" || i.kind === "GSI").map((i) => i.name)];
    const have = [...select.options].map((o) => o.value);
    if (wanted.join() !== have.join()) {
      const current = select.value;
      select.replaceChildren(...wanted.map((n) => el("option", { value: n }, n || "(table)")));
      select.value = wanted.includes(current) ? current : "";
    }
  }
}

// -- capacity charts ----------------------------------------------------------------------------
// Target tracking names its alarms TargetTracking-<resource>-AlarmHigh-<uuid>: show the kind.
function alarmLabel(name) {
  const kind = /-(AlarmHigh|AlarmLow|ProvisionedCapacityHigh|ProvisionedCapacityLow)-/.exec(name);
  return kind ? kind[1] : name.length > 40 ? `${name.slice(0, 37)}...` : name;
}

function chart(id, direction, cap) {
  const series = cap[direction];
  const x = cap.minutes.map(iso);
  const traces = [
    { x, y: series.consumed, name: "consumed /s", type: "scatter", mode: "lines+markers", connectgaps: false },
    { x, y: series.provisioned, name: "provisioned", type: "scatter", mode: "lines", line: { shape: "hv" } },
    { x, y: series.throttleEvents, name: "throttle events", type: "bar", yaxis: "y2", opacity: 0.5 },
  ];
  const shapes = [];
  const annotations = [];
  for (const alarm of cap.alarms.filter((a) => a.direction === direction && a.unitsPerSecond != null)) {
    traces.push({ x: [x[0], x[x.length - 1]], y: [alarm.unitsPerSecond, alarm.unitsPerSecond],
                  name: `${alarmLabel(alarm.name)} (${alarm.state})`, type: "scatter", mode: "lines",
                  line: { dash: "dash", width: 1 } });
  }
  for (const a of cap.activities.filter((a) => a.dimension.endsWith(direction === "write" ? "WriteCapacityUnits" : "ReadCapacityUnits"))) {
    shapes.push({ type: "line", xref: "x", yref: "paper", x0: iso(a.start), x1: iso(a.start), y0: 0, y1: 1,
                  line: { color: "#7a5af8", dash: "dot" } });
    annotations.push({ x: iso(a.start), y: 1, xref: "x", yref: "paper", text: "scaling", showarrow: false,
                       font: { size: 10, color: "#7a5af8" } });
  }
  for (const c of cap.alarmChanges) {
    const alarm = cap.alarms.find((a) => a.name === c.alarm);
    if (!alarm || alarm.direction !== direction) continue;
    const toAlarm = / to ALARM/.test(c.summary);
    shapes.push({ type: "line", xref: "x", yref: "paper", x0: iso(c.time), x1: iso(c.time), y0: 0, y1: 0.9,
                  line: { color: toAlarm ? "#d92d20" : "#079455", width: 1 } });
  }
  const layout = { title: { text: `${direction === "write" ? "Write" : "Read"} capacity`, font: { size: 13 } },
                   margin: { l: 40, r: 40, t: 30, b: 40 }, legend: { orientation: "h", y: -0.25 },
                   yaxis: { title: "units", rangemode: "tozero" },
                   yaxis2: { overlaying: "y", side: "right", rangemode: "tozero", showgrid: false },
                   shapes, annotations, uirevision: `${cap.table}/${cap.index}` };
  if (window.Plotly) Plotly.react(id, traces, layout, { displayModeBar: false, responsive: true });
}

function drawCapacity(cap) {
  for (const direction of ["write", "read"]) {
    const s = cap[direction];
    const last = [...s.consumed].reverse().find((v) => v != null);
    $(`${direction}-provisioned`).textContent = s.current ?? "on-demand";
    $(`${direction}-consumed`).textContent = last == null ? "-" : last.toFixed(2);
    $(`${direction}-throttle-events`).textContent = s.throttleEvents.reduce((a, b) => a + b, 0);
    chart(`chart-${direction}`, direction, cap);
  }
  $("throttled-requests").textContent = cap.throttledRequests.reduce((a, b) => a + b, 0);
}

// -- alarms and activities ----------------------------------------------------------------------
function drawAlarms(alarms) {
  $("alarms").tBodies[0].replaceChildren(...alarms.map((a) => el("tr", { "data-alarm": a.name, "data-state": a.state },
    el("td", {}, a.name), el("td", { class: `state-${a.state}` }, a.state), el("td", {}, a.reason || ""))));
}

function drawActivities(activities) {
  $("activities").replaceChildren(...activities.map((a) => el("li", { "data-status": a.status },
    el("div", {}, `${iso(a.start)} · ${a.status} · `, el("b", { class: "description" }, a.description)),
    el("div", { class: "cause" }, a.cause),
    a.statusMessage ? el("div", { class: "message" }, a.statusMessage) : "")));
}

// -- items --------------------------------------------------------------------------------------
function parseJson(text, what) {
  if (!text.trim()) return undefined;
  try { return JSON.parse(text); } catch (e) { throw new Error(`${what} is not JSON: ${e.message}`); }
}

async function runItems(next = false) {
  const status = $("items-status");
  try {
    if (!next) state.startKey = null;
    const body = { TableName: state.table, Limit: Number($("items-limit").value) || 25 };
    const index = $("items-index").value;
    if (index) body.IndexName = index;
    if ($("items-op").value === "Query") body.KeyConditionExpression = $("items-key").value;
    if ($("items-filter").value.trim()) body.FilterExpression = $("items-filter").value;
    const names = parseJson($("items-names").value, "Names");
    const values = parseJson($("items-values").value, "Values");
    if (names) body.ExpressionAttributeNames = names;
    if (values) body.ExpressionAttributeValues = values;
    if (state.startKey) body.ExclusiveStartKey = state.startKey;
    const out = await dynamodb($("items-op").value, body);
    state.startKey = out.LastEvaluatedKey || null;
    $("items-next").disabled = !state.startKey;
    drawItems(out.Items || []);
    status.textContent = `${out.Count} items (scanned ${out.ScannedCount})` +
      (out.LastEvaluatedKey ? " · more" : "");
  } catch (e) {
    status.textContent = e.message;
  }
}

function drawItems(items) {
  const columns = [...new Set(items.flatMap((i) => Object.keys(i)))].slice(0, 10);
  const table = $("items");
  table.tHead.replaceChildren(el("tr", {}, ...columns.map((c) => el("th", {}, c))));
  table.tBodies[0].replaceChildren(...items.map((item) => {
    const row = el("tr", {}, ...columns.map((c) => el("td", {}, item[c] ? JSON.stringify(item[c]) : "")));
    row.onclick = () => openEditor(item);
    return row;
  }));
}

function openEditor(item) {
  $("editor").hidden = false;
  $("editor-text").value = JSON.stringify(item, null, 2);
  $("editor-status").textContent = "";
}

async function saveItem() {
  try {
    const item = parseJson($("editor-text").value, "Item");
    await dynamodb("PutItem", { TableName: state.table, Item: item });
    $("editor-status").textContent = "saved";
    runItems();
  } catch (e) {
    $("editor-status").textContent = e.message;
  }
}

// -- polling ------------------------------------------------------------------------------------
let busy = false;
async function refresh() {
  if (busy) return;
  busy = true;
  try {
    const overview = await api("overview");
    state.overview = overview;
    if (!state.account) { state.account = overview.account; $("account").value = overview.account; }
    if (!state.region) { state.region = overview.region; $("region").value = overview.region; }
    drawClock(overview.clock);
    drawTables(overview);
    drawAlarms(overview.alarms);
    drawActivities(overview.activities);
    if (state.table) drawCapacity(await api("capacity", { table: state.table, index: state.index, minutes: state.minutes }));
    document.body.dataset.updated = overview.clock.now;
  } catch (e) {
    document.body.dataset.error = e.message;
  } finally {
    busy = false;
  }
}

function init() {
  document.querySelectorAll("button.advance").forEach((b) => { b.onclick = () => advance(Number(b.dataset.seconds)); });
  $("index-select").onchange = (e) => { state.index = e.target.value; refresh(); };
  $("window").onchange = (e) => { state.minutes = Number(e.target.value); refresh(); };
  $("scope").onchange = () => { state.account = $("account").value.trim(); state.region = $("region").value.trim();
                                state.table = null; refresh(); };
  $("items-form").onsubmit = (e) => { e.preventDefault(); runItems(); };
  $("items-next").onclick = () => runItems(true);
  $("editor-save").onclick = saveItem;
  $("editor-close").onclick = () => { $("editor").hidden = true; };
  refresh();
  setInterval(refresh, POLL_MS);
}

init();
