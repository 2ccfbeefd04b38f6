// The dashboards' few client helpers: build DOM from data (text is always set as text, never parsed as
// HTML), call the same JSON APIs that scripts call, and show their {code, message} errors.

/** An element: h('td', {class: 'mono'}, 'text', childNode, …); null and false children are skipped. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** A call to the server's own JSON API, as a script makes it: JSON in, JSON out, errors as {code, message}. */
export async function api(method, path, body) {
  const init = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let value;
  try {
    value = text === '' ? undefined : JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!response.ok) {
    throw new ApiError(response.status, value?.code ?? `HTTP_${response.status}`, value?.message ?? text.slice(0, 200));
  }
  return value;
}

/** Runs an action of a button, showing its error; the button is disabled meanwhile. */
export async function act(button, action) {
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    toast(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error.message ?? error), 'bad');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

export function toast(message, kind = 'ok') {
  const box = document.getElementById('toast');
  if (!box) return;
  const note = h('div', { class: kind === 'bad' ? 'error' : 'done', role: 'status' }, message);
  box.replaceChildren(note);
  setTimeout(() => note.remove(), kind === 'bad' ? 8000 : 3000);
}

export function pill(text, kind = '') {
  return h('span', { class: `pill ${kind}` }, text);
}

const beijingOffsetMs = 8 * 60 * 60 * 1000;

/** yyyy-MM-dd HH:mm:ss in Beijing time, the channels' own time zone. */
export function formatTime(epochMs) {
  if (epochMs === undefined || epochMs === null) return '';
  return new Date(epochMs + beijingOffsetMs).toISOString().slice(0, 19).replace('T', ' ');
}

/** 4m, 1h24m, 2d3h: how a retry schedule is written. */
export function formatDuration(ms) {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms / 1000));
  const parts = [];
  for (const [unit, seconds] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]]) {
    if (rest >= seconds) {
      parts.push(`${Math.floor(rest / seconds)}${unit}`);
      rest %= seconds;
    }
  }
  return sign + (parts.slice(0, 2).join('') || '0s');
}

/** Calls `refresh` now, then whenever `trigger` is called, at most once per `waitMs`. */
export function coalesced(refresh, waitMs = 250) {
  let timer;
  let running = false;
  let again = false;
  const run = async () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await refresh();
    } finally {
      running = false;
      if (again) {
        again = false;
        trigger();
      }
    }
  };
  const trigger = () => {
    timer ??= setTimeout(run, waitMs);
  };
  void run();
  return trigger;
}

/** Which view the hash names (#trades), or the first. */
export function currentView(views) {
  const name = location.hash.replace(/^#/, '').split('?')[0];
  return views.includes(name) ? name : views[0];
}
