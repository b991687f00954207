// The console's only way out: the service's public REST API, same origin, with the operator's key.
import {h, pretty} from './dom.js';

const KEY = 'agent-api.console.api-key';

/** The API key (or token) lives in this tab's sessionStorage only: gone when the tab closes, never in a cookie. */
export const credentials = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

/** The rate-limit headers of the latest limited answer, for the health page. */
export const limits = {latest: null};

/**
 * One API call. Never throws for HTTP or network failures: the answer says what happened,
 * {ok, status, body, problem, headers}, with problem+json bodies as the API sent them.
 */
export async function call(method, path, {body, accept = 'application/json', signal, key} = {}) {
  const headers = credentialHeaders(accept, key);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, signal, credentials: 'omit', cache: 'no-store', redirect: 'error',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    return {ok: false, status: 0, problem: true, headers: new Headers(),
      body: {title: 'Network error', detail: `The service did not answer: ${error.message}`}};
  }
  return answerOf(response);
}

/** Accept and the caller's credential, in a header: never in the URL. */
function credentialHeaders(accept, key) {
  const headers = {Accept: accept};
  const credential = key ?? credentials.get();
  if (credential && isJwt(credential)) {
    headers.Authorization = `Bearer ${credential}`;
  } else if (credential) {
    headers['X-API-Key'] = credential;
  }
  return headers;
}

/**
 * Reads a stream of server-sent events (the live view) with fetch(), so the credential travels in a header as on every
 * call (EventSource could only put it in the URL). Calls onEvent(name, data) per event until the server ends the
 * stream or signal aborts it (then it throws AbortError). Answers as call() does: a refusal is {ok: false, ...}.
 */
export async function stream(path, {signal, onEvent, key} = {}) {
  let response;
  try {
    response = await fetch(path, {method: 'GET', headers: credentialHeaders('text/event-stream', key), signal,
      credentials: 'omit', cache: 'no-store', redirect: 'error'});
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    return {ok: false, status: 0, problem: true, headers: new Headers(),
      body: {title: 'Network error', detail: `The service did not answer: ${error.message}`}};
  }
  if (!response.ok || !(response.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
    return answerOf(response);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data = [];
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      if (line === '') {
        if (data.length) onEvent(event, data.join('\n'));
        event = 'message';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = text;
        else if (field === 'data') data.push(text);
      }
    }
  }
  return {ok: true, status: response.status, body: null, headers: response.headers, problem: false};
}

async function answerOf(response) {
  remember(response.headers);
  const type = response.headers.get('Content-Type') || '';
  let parsed = null;
  if (type.includes('json')) {
    parsed = await response.json().catch(() => null);
  } else if (type.startsWith('image/')) {
    parsed = await response.blob();
  } else if (response.status !== 204) {
    parsed = await response.text();
  }
  return {ok: response.ok, status: response.status, body: parsed, headers: response.headers,
    problem: type.includes('application/problem+json') || (!response.ok && parsed !== null)};
}

/** A JWT from the identity provider (three base64url parts) travels as a bearer token; anything else is an API key. */
export function isJwt(credential) {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(credential);
}

export const get = (path, options) => call('GET', path, options);
export const post = (path, body, options) => call('POST', path, {...options, body});
export const del = (path, options) => call('DELETE', path, options);

/** A query string from the set values of an object. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function remember(headers) {
  const limit = headers.get('X-RateLimit-Limit');
  if (limit !== null) {
    limits.latest = {
      limit: Number(limit),
      remaining: Number(headers.get('X-RateLimit-Remaining')),
      reset: Number(headers.get('X-RateLimit-Reset')),
      seen: new Date(),
    };
  }
}

const REASONS = {0: 'No answer', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 409: 'Conflict', 412: 'Precondition Failed',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout'};

/** A failed answer as the API gave it: status, title, detail, field errors, and the raw body. */
export function problemView(answer, context) {
  const body = answer.body && typeof answer.body === 'object' ? answer.body : {detail: answer.body};
  const title = body.title || body.error || REASONS[answer.status] || 'Request failed';
  const errors = body.errors && typeof body.errors === 'object' ? Object.entries(body.errors) : [];
  const retry = answer.headers && answer.headers.get('Retry-After');
  return h('div', {class: 'problem', role: 'alert'},
    h('p', {class: 'problem-title'},
      h('strong', {}, answer.status ? `HTTP ${answer.status}` : 'No answer'), ' ', title,
      context ? h('span', {class: 'muted'}, ` (${context})`) : null),
    body.detail || body.message ? h('p', {class: 'problem-detail'}, body.detail || body.message) : null,
    errors.length ? h('ul', {class: 'problem-errors'}, errors.map(([name, message]) =>
      h('li', {}, h('code', {}, name), ': ', String(message)))) : null,
    retry ? h('p', {}, `Retry after ${retry} s.`) : null,
    answer.status === 401 ? h('p', {}, 'Check the API key or token above.') : null,
    answer.status === 403 ? h('p', {}, 'This key lacks the role for it (the audit trail needs admin).') : null,
    body && Object.keys(body).length ? h('details', {}, h('summary', {}, 'Response body'), pretty(body)) : null);
}
