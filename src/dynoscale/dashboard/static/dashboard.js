// The Dynoscale dashboard: polls the small JSON API (/_dynoscale/ui/api/...) every two seconds
// and draws it; the item browser calls DynamoDB's own API, the clock buttons /_dynoscale/clock.
// Every call is SigV4-signed in the page (sign(), below), so under --auth verify/enforce the
// server checks the dashboard's calls as it checks any client's.
"use strict";

const POLL_MS = 2000;
const CREDENTIALS = "dynoscale.credentials"; // sessionStorage: forgotten with the tab
const state = { account: "", region: "", table: null, index: "", minutes: 60, resolution: "minute",
                startKey: null, overview: null, creds: loadCredentials() };
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

// -- SigV4 --------------------------------------------------------------------------------------
// AWS Signature Version 4 ("Create a signed AWS API request", AWS IAM User Guide) with the
// browser's SubtleCrypto: canonical request, string to sign, the day/region/service signing key
// and the signature. The server recomputes it with botocore's signer (server/authenticate.py).
const utf8 = new TextEncoder();
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (text) => hex(await crypto.subtle.digest("SHA-256", utf8.encode(text)));

async function hmac(key, text) {
  const raw = typeof key === "string" ? utf8.encode(key) : key;
  const k = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, utf8.encode(text));
}

// RFC 3986 percent-encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone).
const uriEncode = (s) => encodeURIComponent(s).replace(/[!'()*]/g,
  (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// The headers that sign `method path?params` with `body`: X-Amz-Date, Authorization and, for
// temporary credentials, X-Amz-Security-Token. Signed: host, x-amz-date and `headers`.
async function sign(method, path, params, headers, body, creds, region, service) {
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const out = { ...headers, "X-Amz-Date": amzDate };
  if (creds.sessionToken) out["X-Amz-Security-Token"] = creds.sessionToken;
  const signed = { host: location.host };
  for (const [k, v] of Object.entries(out)) signed[k.toLowerCase()] = String(v).trim().replace(/\s+/g, " ");
  const names = Object.keys(signed).sort();
  const query = Object.entries(params).map(([k, v]) => [uriEncode(k), uriEncode(String(v))])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join("&");
  const canonical = [method, path.split("/").map(uriEncode).join("/"), query,
                     names.map((n) => `${n}:${signed[n]}\n`).join(""), names.join(";"),
                     await sha256(body)].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, await sha256(canonical)].join("\n");
  let key = await hmac(`AWS4${creds.secretAccessKey}`, day);
  for (const part of [region, service, "aws4_request"]) key = await hmac(key, part);
  out.Authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, ` +
                      `SignedHeaders=${names.join(";")}, Signature=${hex(await hmac(key, toSign))}`;
  return out;
}

function loadCredentials() {
  try { return JSON.parse(sessionStorage.getItem(CREDENTIALS)); } catch (e) { return null; }
}

// Who signs: the signed-in key; without one (--auth none) the account's id as the access key,
// which names the account there, and any secret, which --auth none does not check.
function signer() {
  return state.creds || { accessKeyId: state.account || "dashboard", secretAccessKey: "unchecked" };
}

const signingRegion = () => state.region || "us-east-1";

// A signed fetch. Without SubtleCrypto (a page that is not a secure context, e.g. plain http to
// another host) only --auth none can answer, which checks the signature's form alone.
async function signedFetch(method, path, params, headers, body, service) {
  if (!window.crypto || !crypto.subtle) {
    if (state.creds) throw new SignInNeeded("Signing needs the browser's SubtleCrypto, which it offers " +
      "only to secure pages: open the dashboard at http://127.0.0.1, http://localhost or over https.");
    const day = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    headers = { ...headers, "X-Amz-Date": day, Authorization: "AWS4-HMAC-SHA256 Credential=" +
      `${signer().accessKeyId}/${day.slice(0, 8)}/${signingRegion()}/${service}/aws4_request, ` +
      "SignedHeaders=host;x-amz-date, Signature=0" };
  } else {
    headers = await sign(method, path, params, headers, body, signer(), signingRegion(), service);
  }
  const query = new URLSearchParams(params).toString();
  return fetch(query ? `${path}?${query}` : path, { method, headers, body: body || undefined });
}

class SignInNeeded extends Error {}

async function api(path, params = {}) {
  const response = await signedFetch("GET", `/_dynoscale/ui/api/${path}`,
    { account: state.account, region: state.region, ...params }, {}, "", "dynoscale");
  const doc = await response.json();
  if (response.status === 403) throw new SignInNeeded(doc.error || response.statusText);
  if (!response.ok) throw new Error(doc.error || response.statusText);
  return doc;
}

// DynamoDB's API, as any client calls it.
async function dynamodb(operation, body) {
  const text = JSON.stringify(body);
  const response = await signedFetch("POST", "/", {}, {
    "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": `DynamoDB_20120810.${operation}` },
    text, "dynamodb");
  const doc = await response.json();
  if (!response.ok) throw new Error(`${(doc.__type || "").split("#").pop()}: ${doc.message || doc.Message}`);
  return doc;
}

// -- signing in ---------------------------------------------------------------------------------
// Under --auth verify/enforce the data API answers 403 to what the account root did not sign:
// the page asks for a key, keeps it in sessionStorage, and shows the server's refusal (AWS's
// error code and message) when the key or secret is wrong.
function showSignIn(message) {
  document.body.dataset.auth = "needed";
  $("signin").hidden = false;
  $("signin-error").textContent = message || "";
  $("signout").hidden = true;
}

function signIn(event) {
  event.preventDefault();
  const creds = { accessKeyId: $("signin-key").value.trim(), secretAccessKey: $("signin-secret").value };
  if ($("signin-token").value.trim()) creds.sessionToken = $("signin-token").value.trim();
  state.creds = creds;
  sessionStorage.setItem(CREDENTIALS, JSON.stringify(creds));
  $("signin-error").textContent = "";
  refresh();
}

function signOut() {
  state.creds = null;
  sessionStorage.removeItem(CREDENTIALS);
  refresh();
}

function signedIn() {
  document.body.dataset.auth = state.creds ? "signed-in" : "open";
  $("signin").hidden = true;
  $("signout").hidden = !state.creds;
  if (state.creds) $("signout").textContent = `Sign out ${state.creds.accessKeyId}`;
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
  const response = await signedFetch("POST", "/_dynoscale/clock", {}, { "Content-Type": "application/json" },
                                     JSON.stringify({ advance_seconds: seconds }), "dynoscale");
  if (!response.ok) document.body.dataset.error = (await response.json()).error || response.statusText;
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
  const perSecond = cap.resolution === "second";
  const x = (perSecond ? cap.seconds : cap.minutes).map(iso);
  const traces = [
    // per second, a request is often alone between idle seconds: markers show it
    { x, y: series.consumed, name: "consumed /s", type: "scatter", mode: "lines+markers",
      marker: { size: perSecond ? 5 : 6 }, connectgaps: false },
    { x, y: series.provisioned, name: "provisioned", type: "scatter", mode: "lines", line: { shape: "hv" } },
    { x, y: series.throttleEvents, name: "throttle events", type: "bar", yaxis: "y2", opacity: 0.5 },
  ];
  if (series.throttledRequests) {
    traces.push({ x, y: series.throttledRequests, name: "throttled requests", type: "bar", yaxis: "y2", opacity: 0.5 });
  }
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
  const title = `${direction === "write" ? "Write" : "Read"} capacity, ${perSecond ? "per second" : "per minute"}`;
  const layout = { title: { text: title, font: { size: 13 } }, barmode: "group",
                   margin: { l: 40, r: 40, t: 30, b: 40 }, legend: { orientation: "h", y: -0.25 },
                   yaxis: { title: "units", rangemode: "tozero" },
                   yaxis2: { overlaying: "y", side: "right", rangemode: "tozero", showgrid: false },
                   shapes, annotations, uirevision: `${cap.table}/${cap.index}/${cap.resolution}` };
  if (window.Plotly) Plotly.react(id, traces, layout, { displayModeBar: false, responsive: true });
}

function drawCapacity(cap) {
  document.body.dataset.resolution = cap.resolution;
  for (const direction of ["write", "read"]) {
    const s = cap[direction];
    const last = [...s.consumed].reverse().find((v) => v != null);
    $(`${direction}-provisioned`).textContent = s.current ?? "on-demand";
    $(`${direction}-consumed`).textContent = last == null ? "-" : last.toFixed(2);
    $(`${direction}-throttle-events`).textContent = s.throttleEvents.reduce((a, b) => a + b, 0);
    chart(`chart-${direction}`, direction, cap);
  }
  // ThrottledRequests is a per-minute count only (the per-second document has none)
  $("throttled-requests").textContent = cap.throttledRequests ? cap.throttledRequests.reduce((a, b) => a + b, 0) : "-";
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
let again = false;
// `queue`: a user's action (sign-in, a new table, ...) runs once more when a round is under way;
// the timer's ticks do not (a slow server is not polled back to back).
async function refresh(queue = true) {
  if (busy) { again = again || queue; return; }
  busy = true;
  again = false;
  // The key this round signs with: an answer to a round begun before a sign-in or sign-out
  // says nothing about the new key (it would show an unsigned call's refusal as the key's).
  const creds = state.creds;
  try {
    const overview = await api("overview");
    if (state.creds !== creds) return;
    signedIn();
    state.overview = overview;
    if (!state.account) { state.account = overview.account; $("account").value = overview.account; }
    if (!state.region) { state.region = overview.region; $("region").value = overview.region; }
    drawClock(overview.clock);
    drawTables(overview);
    drawAlarms(overview.alarms);
    drawActivities(overview.activities);
    if (state.table) {
      const span = state.resolution === "second" ? { resolution: "second", seconds: 300 } : { minutes: state.minutes };
      drawCapacity(await api("capacity", { table: state.table, index: state.index, ...span }));
    }
    document.body.dataset.updated = overview.clock.now;
  } catch (e) {
    if (state.creds !== creds) return;
    if (e instanceof SignInNeeded) {
      // a key that was refused is forgotten; the form shows why (AWS's code and message)
      const refused = state.creds ? e.message : "";
      if (state.creds) { state.creds = null; sessionStorage.removeItem(CREDENTIALS); }
      showSignIn(refused);
    } else {
      document.body.dataset.error = e.message;
    }
  } finally {
    busy = false;
    if (again) refresh();
  }
}

function init() {
  document.querySelectorAll("button.advance").forEach((b) => { b.onclick = () => advance(Number(b.dataset.seconds)); });
  $("index-select").onchange = (e) => { state.index = e.target.value; refresh(); };
  $("window").onchange = (e) => {
    // "s300": the last five minutes per second; a number: that many minutes per minute
    state.resolution = e.target.value.startsWith("s") ? "second" : "minute";
    if (state.resolution === "minute") state.minutes = Number(e.target.value);
    refresh();
  };
  $("signin-form").onsubmit = signIn;
  $("signout").onclick = signOut;
  $("scope").onchange = () => { state.account = $("account").value.trim(); state.region = $("region").value.trim();
                                state.table = null; refresh(); };
  $("items-form").onsubmit = (e) => { e.preventDefault(); runItems(); };
  $("items-next").onclick = () => runItems(true);
  $("editor-save").onclick = saveItem;
  $("editor-close").onclick = () => { $("editor").hidden = true; };
  refresh();
  setInterval(() => refresh(false), POLL_MS);
}

init();
