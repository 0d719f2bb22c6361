// The console's only way to the server: same origin, JSON, the ID token in the Authorization header.
// Tokens live in sessionStorage (gone when the tab closes), never in a cookie (API.md: CSRF scheme).

const KEY = "heed.session";
const BASE = new URL("api/", new URL(".", location.href)).pathname; // /console/api/

export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.reason || body.error)) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

let session = load();
const listeners = new Set();

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

function save(value) {
  session = value;
  if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
  else sessionStorage.removeItem(KEY);
  for (const fn of listeners) fn(session);
}

export function onSession(fn) {
  listeners.add(fn);
}

export function currentUser() {
  return session ? session.user : null;
}

export function signedIn() {
  return Boolean(session && session.id_token);
}

export function signOut() {
  save(null);
}

function remember(answer, previous = null) {
  save({
    id_token: answer.id_token,
    refresh_token: answer.refresh_token || (previous && previous.refresh_token) || null,
    expires_at: Date.now() + (Number(answer.expires_in) || 3600) * 1000,
    user: answer.user,
  });
}

async function send(path, { method = "GET", body, token } = {}) {
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(BASE + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  let data = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Sign-in step: {signed_in: true, user} or a challenge ({challenge, session, email, secret_code?}). */
export async function signIn(email, password) {
  const answer = await send("session", { method: "POST", body: { email, password } });
  if (answer.signed_in) remember(answer);
  return answer;
}

export async function answerChallenge(body) {
  const answer = await send("session/challenge", { method: "POST", body });
  if (answer.signed_in) remember(answer);
  return answer;
}

let refreshing = null;
async function refresh() {
  if (!session || !session.refresh_token) return false;
  if (!refreshing) {
    const previous = session;
    refreshing = send("session/refresh", { method: "POST", body: { refresh_token: previous.refresh_token } })
      .then((answer) => {
        remember(answer, previous);
        return true;
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/** A call that needs the signed-in person. A 401 refreshes once, then signs out (the page asks again). */
export async function api(path, options = {}) {
  if (!signedIn()) throw new ApiError(401, { error: "unauthenticated", reason: "sign in first" });
  if (session.expires_at && session.expires_at - Date.now() < 60_000) await refresh();
  try {
    return await send(path, { ...options, token: session && session.id_token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    if (await refresh()) return send(path, { ...options, token: session.id_token });
    save(null);
    throw error;
  }
}

export const get = (path) => api(path);
export const post = (path, body = {}) => api(path, { method: "POST", body });
export const del = (path) => api(path, { method: "DELETE" });
