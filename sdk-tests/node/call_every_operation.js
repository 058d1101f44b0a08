'use strict';
// Calls every operation of Cashfree's official Node SDK (npm `cashfree-verification`) against a
// Cashfree sandbox, and prints one JSON line per operation.
//
//     node call_every_operation.js BASE_URL REQUESTS_JSON
//
// BASE_URL is where Cashfree's server would be (`http://127.0.0.1:PORT/verification`), set as
// `Cashfree.basePath`; REQUESTS_JSON holds the sample requests that
// sandbox/tests/official_sdks/requests.rs takes from api/openapi.json. The credentials come from
// CASHFREE_SDK_TEST_CLIENT_ID and CASHFREE_SDK_TEST_CLIENT_SECRET. The SDK's error analytics
// (Sentry, on by default) are turned off.
//
// The operations are the SDK's own: every static `Vrs*` method of its `Cashfree` class, with the
// parameter types from its declarations (dist/api.d.ts) and the HTTP method and path from its
// request builders (dist/api.js), so a new SDK version is called in full. A lookup (GET) runs
// after the create call it follows and takes its ids from that call's answer, as an integrator's
// code would. Lines printed, in order:
//
//     {"kind": "sdk", "sdk": "node", "version": "4.0.1", "operations": 37}
//     {"kind": "call", "sdk": "node", "operation": "VrsPanVerification", "request": "POST /pan",
//      "outcome": "ok", "status": 200, "reason": ""}
//     ...
//     {"kind": "guard", "self_test": true, "refused": []}

const guard = require('./loopback_only');

// Before the SDK, or anything it loads, can open a socket.
guard.install();

const fs = require('fs');
const path = require('path');
const { Cashfree } = require('cashfree-verification');

/** What Cashfree's README for this SDK sets. */
const API_VERSION = '2024-12-01';
const TIMEOUT_MS = 30000;

const dist = path.dirname(require.resolve('cashfree-verification'));

/** Static method name to [{name, type, optional}], from the SDK's type declarations. */
function declaredParameters() {
  const declarations = fs.readFileSync(path.join(dist, 'api.d.ts'), 'utf8');
  const methods = new Map();
  for (const [, name, list] of declarations.matchAll(/^ {4}static (Vrs\w+)\(([^)]*)\)/gm)) {
    const params = list.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
      const [, pname, optional, type] = /^(\w+)(\??):\s*(.+)$/.exec(p);
      return { name: pname, type, optional: optional === '?' };
    });
    methods.set(name, params);
  }
  return methods;
}

/** Request builder name to {method, path}, from the SDK's compiled request builders. */
function routes() {
  const source = fs.readFileSync(path.join(dist, 'api.js'), 'utf8');
  const builders = [...source.matchAll(/^ {8}(vrs\w+): \(/gm)];
  const found = new Map();
  builders.forEach((builder, i) => {
    const body = source.slice(builder.index, builders[i + 1]?.index ?? source.length);
    const route = /localVarPath = `([^`]+)`/.exec(body);
    const method = /method: '(\w+)'/.exec(body);
    if (route && method) found.set(builder[1], { method: method[1], path: route[1] });
  });
  return found;
}

/** Every operation, non-GET first (creates before lookups), each group in the SDK's order. */
function operations() {
  const declared = declaredParameters();
  const built = routes();
  const names = Object.getOwnPropertyNames(Cashfree)
    .filter((n) => n.startsWith('Vrs') && typeof Cashfree[n] === 'function');
  const ops = names.map((name) => {
    const route = built.get(`v${name.slice(1)}`);
    return {
      name,
      method: route?.method,
      request: route ? `${route.method} ${route.path}` : '?',
      params: declared.get(name),
    };
  });
  return ops.sort((a, b) => (a.method === 'GET') - (b.method === 'GET'));
}

/** A parameter's value: from the answer (then the request) of the call this one follows, else
 * the spec's example for it. */
function lookup(name, entry, earlier) {
  if (earlier) {
    for (const source of [earlier.answer, earlier.sent]) {
      if (source && typeof source === 'object' && source[name] != null) return source[name];
    }
  }
  for (const place of ['path', 'query', 'form']) {
    if (entry[place] && name in entry[place]) return entry[place][name];
  }
  return undefined;
}

/** A documented value in the type the SDK declares (ids are numbers in some answers and
 * strings in some parameters). */
function coerce(value, type) {
  if (type === 'number' && typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (type === 'string' && typeof value !== 'string') return typeof value === 'object' ? JSON.stringify(value) : String(value);
  return value;
}

function brief(text, limit = 300) {
  const flat = String(text).split(/\s+/).join(' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}

/** `code: message` of a Cashfree error body, else the body itself, short. */
function answerBrief(data) {
  if (data && typeof data === 'object') return brief(`${data.code}: ${data.message}`);
  return brief(data);
}

async function call(op, requests, answers) {
  const line = { kind: 'call', sdk: 'node', operation: op.name, request: op.request };
  const failed = (status, reason) => ({ ...line, outcome: 'failed', status, reason });
  if (!op.method) return failed(null, "no HTTP method and path found in the SDK's source for it");
  if (!op.params) return failed(null, "no declaration found in the SDK's api.d.ts for it");
  const documented = requests.operations[op.request];
  const entry = documented || {};
  const earlier = answers.get(entry.after);
  const sent = {};
  const args = op.params.map((p) => {
    if (p.name === 'options') return { timeout: TIMEOUT_MS };
    if (p.name === 'x_api_version') return API_VERSION;
    if (p.name === 'x_cf_signature') return undefined;
    if (p.type === 'File') {
      const file = entry.files?.[p.name] ?? (!p.optional || !documented ? requests.sample_image : undefined);
      return file === undefined ? undefined : fs.createReadStream(file);
    }
    if (/^[A-Z]/.test(p.type)) {
      const body = entry.body ?? {};
      Object.assign(sent, body);
      return body;
    }
    let value = lookup(p.name, entry, earlier);
    if (value === undefined && !p.optional) value = 'sdk-test-1';
    if (value !== undefined) sent[p.name] = value;
    return value === undefined ? undefined : coerce(value, p.type);
  });
  let response;
  try {
    response = await Cashfree[op.name](...args);
  } catch (error) {
    if (error.response) {
      const status = error.response.status;
      return failed(status, `HTTP ${status} ${answerBrief(error.response.data)}`);
    }
    return failed(null, `not answered: ${error.name}: ${brief(error.message)}`);
  }
  const { status, data } = response;
  answers.set(op.request, { sent, answer: data });
  if (status < 200 || status >= 300) return failed(status, `HTTP ${status}`);
  if (data === null || typeof data !== 'object') {
    return failed(status, `HTTP ${status} answered and its body is not JSON: ${brief(data)}`);
  }
  const note = documented ? '' : `${op.request} is not in api/openapi.json`;
  return { ...line, outcome: 'ok', status, reason: note };
}

async function main() {
  const [baseUrl, requestsFile] = process.argv.slice(2);
  const requests = JSON.parse(fs.readFileSync(requestsFile, 'utf8'));
  const selfTest = await guard.selfTest();

  Cashfree.XEnableErrorAnalytics = false;
  Cashfree.XClientId = process.env.CASHFREE_SDK_TEST_CLIENT_ID;
  Cashfree.XClientSecret = process.env.CASHFREE_SDK_TEST_CLIENT_SECRET;
  Cashfree.XEnvironment = Cashfree.Environment.SANDBOX;
  Cashfree.XApiVersion = API_VERSION;
  Cashfree.basePath = baseUrl;

  const ops = operations();
  const { version } = JSON.parse(fs.readFileSync(path.join(dist, '..', 'package.json'), 'utf8'));
  console.log(JSON.stringify({ kind: 'sdk', sdk: 'node', version, operations: ops.length }));
  const answers = new Map();
  for (const op of ops) console.log(JSON.stringify(await call(op, requests, answers)));
  // The SDK starts Sentry on each call unless analytics are off: it must not have started.
  const sentry = require(require.resolve('@sentry/node', { paths: [dist] }));
  const analytics = Boolean(sentry.getCurrentHub().getClient());
  console.log(JSON.stringify({
    kind: 'guard', self_test: selfTest, refused: guard.refused, error_analytics: analytics,
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
