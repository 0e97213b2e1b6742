'use strict';
// acme/json-diff: structural diff of two JSON values as an RFC 6902 JSON Patch, and applying such a patch.
//
// Runtime protocol: one JSON object on stdin, {"tool": name, "input": {...}}; one JSON object on stdout,
// {"output": {...}} or {"error": {"message": ...}}. Node.js standard library only.

class ToolError extends Error {}

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const kind = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

// Defines a property without ever invoking the `__proto__` setter.
function setMember(object, key, value) {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function clone(value) {
  if (Array.isArray(value)) return value.map(clone);
  if (isObject(value)) {
    const copy = {};
    for (const key of Object.keys(value)) setMember(copy, key, clone(value[key]));
    return copy;
  }
  return value;
}

function equal(a, b) {
  if (a === b) return true;
  if (kind(a) !== kind(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  if (isObject(a)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => own(b, key) && equal(a[key], b[key]));
  }
  return false;
}

// JSON Pointer (RFC 6901)
const escapeToken = (token) => String(token).replace(/~/g, '~0').replace(/\//g, '~1');
function parsePointer(pointer, what) {
  if (typeof pointer !== 'string') throw new ToolError(`${what} must be a string`);
  if (pointer === '') return [];
  if (pointer[0] !== '/') throw new ToolError(`${what} ${JSON.stringify(pointer)} is not a JSON Pointer: it must be empty or start with "/"`);
  return pointer.slice(1).split('/').map((token) => {
    if (/~(?![01])/.test(token)) throw new ToolError(`${what} ${JSON.stringify(pointer)} has an invalid escape (only ~0 and ~1)`);
    return token.replace(/~1/g, '/').replace(/~0/g, '~');
  });
}

// ---- json_diff ----

function diffValues(a, b, path, ops, withOld) {
  if (equal(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) diffValues(a[i], b[i], `${path}/${i}`, ops, withOld);
    for (let i = common; i < b.length; i++) ops.push({ op: 'add', path: `${path}/${i}`, value: b[i] });
    for (let i = a.length - 1; i >= common; i--) {
      const op = { op: 'remove', path: `${path}/${i}` };
      if (withOld) op.oldValue = a[i];
      ops.push(op);
    }
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareCodePoints);
    for (const key of keys) {
      const child = `${path}/${escapeToken(key)}`;
      if (!own(b, key)) {
        const op = { op: 'remove', path: child };
        if (withOld) op.oldValue = a[key];
        ops.push(op);
      } else if (!own(a, key)) {
        ops.push({ op: 'add', path: child, value: b[key] });
      } else {
        diffValues(a[key], b[key], child, ops, withOld);
      }
    }
    return;
  }
  const op = { op: 'replace', path, value: b };
  if (withOld) op.oldValue = a;
  ops.push(op);
}

// Sorts keys by Unicode code point, the same order in every runtime.
function compareCodePoints(x, y) {
  const a = Array.from(x, (c) => c.codePointAt(0));
  const b = Array.from(y, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function jsonDiff(input) {
  if (!own(input, 'a') || !own(input, 'b')) throw new ToolError('`a` and `b` are both required');
  const withOld = input.includeOldValues ?? false;
  if (typeof withOld !== 'boolean') throw new ToolError('`includeOldValues` must be a boolean');
  const patch = [];
  diffValues(input.a, input.b, '', patch, withOld);
  const counts = { add: 0, remove: 0, replace: 0 };
  for (const op of patch) counts[op.op] += 1;
  return { equal: patch.length === 0, patch, counts };
}

// ---- json_patch ----

function resolveParent(document, tokens, pointer, index) {
  let target = document;
  for (const token of tokens.slice(0, -1)) {
    target = child(target, token, pointer, index);
  }
  return target;
}

function arrayIndex(array, token, pointer, index, allowEnd) {
  if (allowEnd && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new ToolError(`operation ${index}: ${JSON.stringify(pointer)}: ${JSON.stringify(token)} is not an array index`);
  const i = Number(token);
  const limit = allowEnd ? array.length : array.length - 1;
  if (i > limit) throw new ToolError(`operation ${index}: ${JSON.stringify(pointer)}: index ${i} is out of bounds (array length ${array.length})`);
  return i;
}

function child(target, token, pointer, index) {
  if (Array.isArray(target)) return target[arrayIndex(target, token, pointer, index, false)];
  if (isObject(target)) {
    if (!own(target, token)) throw new ToolError(`operation ${index}: ${JSON.stringify(pointer)}: no member ${JSON.stringify(token)}`);
    return target[token];
  }
  throw new ToolError(`operation ${index}: ${JSON.stringify(pointer)}: cannot descend into a ${kind(target)}`);
}

function getValue(document, pointer, index) {
  let target = document;
  for (const token of parsePointer(pointer, `operation ${index}: path`)) target = child(target, token, pointer, index);
  return target;
}

// Each function returns the new document (the root itself can be replaced).
function addValue(document, pointer, value, index) {
  const tokens = parsePointer(pointer, `operation ${index}: path`);
  if (tokens.length === 0) return value;
  const parent = resolveParent(document, tokens, pointer, index);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, pointer, index, true), 0, value);
  else if (isObject(parent)) setMember(parent, last, value);
  else throw new ToolError(`operation ${index}: ${JSON.stringify(pointer)}: the parent is a ${kind(parent)}, not a container`);
  return document;
}

function removeValue(document, pointer, index) {
  const tokens = parsePointer(pointer, `operation ${index}: path`);
  if (tokens.length === 0) throw new ToolError(`operation ${index}: cannot remove the whole document`);
  const parent = resolveParent(document, tokens, pointer, index);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) return { document, removed: parent.splice(arrayIndex(parent, last, pointer, index, false), 1)[0] };
  if (isObject(parent)) {
    if (!own(parent, last)) throw new ToolError(`operation ${index}: ${JSON.stringify(pointer)}: no member ${JSON.stringify(last)}`);
    const removed = parent[last];
    delete parent[last];
    return { document, removed };
  }
  throw new ToolError(`operation ${index}: ${JSON.stringify(pointer)}: the parent is a ${kind(parent)}, not a container`);
}

function applyOperation(document, op, index) {
  if (!isObject(op)) throw new ToolError(`operation ${index} is not an object`);
  const need = (field) => {
    if (!own(op, field)) throw new ToolError(`operation ${index} (${op.op}) needs \`${field}\``);
    return op[field];
  };
  switch (op.op) {
    case 'add':
      return addValue(document, need('path'), clone(need('value')), index);
    case 'remove':
      return removeValue(document, need('path'), index).document;
    case 'replace': {
      const path = need('path');
      const value = clone(need('value'));
      getValue(document, path, index); // the target must exist
      if (path === '') return value;
      return addValue(removeValue(document, path, index).document, path, value, index);
    }
    case 'move': {
      const from = need('from');
      const path = need('path');
      if (path !== from && path.startsWith(`${from}/`)) throw new ToolError(`operation ${index}: cannot move ${JSON.stringify(from)} into its own child ${JSON.stringify(path)}`);
      getValue(document, from, index); // the source must exist
      if (from === path) return document;
      const { document: rest, removed } = removeValue(document, from, index);
      return addValue(rest, path, removed, index);
    }
    case 'copy':
      return addValue(document, need('path'), clone(getValue(document, need('from'), index)), index);
    case 'test': {
      const actual = getValue(document, need('path'), index);
      if (!equal(actual, need('value'))) throw new ToolError(`operation ${index}: test failed at ${JSON.stringify(op.path)}: expected ${JSON.stringify(op.value)}, found ${JSON.stringify(actual)}`);
      return document;
    }
    default:
      throw new ToolError(`operation ${index}: unknown op ${JSON.stringify(op.op)} (add, remove, replace, move, copy, test)`);
  }
}

function jsonPatch(input) {
  if (!own(input, 'document')) throw new ToolError('`document` is required');
  if (!Array.isArray(input.patch)) throw new ToolError('`patch` must be an array of operations');
  // Atomic: the patch runs on a copy, so a failing operation leaves nothing half-applied.
  let document = clone(input.document);
  input.patch.forEach((op, index) => {
    document = applyOperation(document, op, index);
  });
  return { result: document, applied: input.patch.length };
}

const TOOLS = { json_diff: jsonDiff, json_patch: jsonPatch };

function respond(response) {
  process.stdout.write(`${JSON.stringify(response)}\n`);
}

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  try {
    let request;
    try {
      request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      throw new ToolError(`the request is not valid JSON: ${error.message}`);
    }
    if (!isObject(request)) throw new ToolError('the request must be a JSON object');
    const handler = typeof request.tool === 'string' && own(TOOLS, request.tool) ? TOOLS[request.tool] : null;
    if (!handler) throw new ToolError(`unknown tool: ${JSON.stringify(request.tool)} (this package provides: ${Object.keys(TOOLS).sort().join(', ')})`);
    const input = request.input ?? {};
    if (!isObject(input)) throw new ToolError('`input` must be a JSON object');
    respond({ output: handler(input) });
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      respond({ error: { message: 'the JSON values are nested too deeply' } });
      return;
    }
    if (!(error instanceof ToolError)) throw error; // a bug: crash with a stack trace on stderr
    respond({ error: { message: error.message } });
  }
});
