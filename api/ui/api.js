// The page's only way to the server: /v1 with the bearer token, problem+json errors turned into ApiError, and the
// session kept in sessionStorage (gone when the tab closes; never in localStorage).

const TOKEN_KEY = 'closeloop.token';
const ORG_KEY = 'closeloop.org';
// The organisation header of api/plugins/auth.ts, for people who belong to several organisations.
const ORG_HEADER = 'x-closeloop-org';

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  get orgId() {
    return sessionStorage.getItem(ORG_KEY);
  },
  start(token, orgId) {
    sessionStorage.setItem(TOKEN_KEY, token);
    if (orgId) sessionStorage.setItem(ORG_KEY, orgId);
    else sessionStorage.removeItem(ORG_KEY);
  },
  end() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ORG_KEY);
  },
};

/** An RFC 9457 problem from the API (or a network failure, status 0), with field errors when the input was wrong. */
export class ApiError extends Error {
  constructor({ status, title, detail, type, errors }) {
    super(detail || title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.title = title ?? '';
    this.detail = detail ?? '';
    this.type = type ?? '';
    this.errors = Array.isArray(errors) ? errors : [];
  }
  /** The problem's slug: urn:closeloop:problem:<slug>. */
  get slug() {
    return this.type.split(':').pop();
  }
}

let onUnauthorized = () => {};
/** What happens when the token is refused (expired, revoked): the app sends the person to sign in again. */
export const whenUnauthorized = (fn) => {
  onUnauthorized = fn;
};

async function problemOf(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    return new ApiError({ status: response.status, ...body });
  } catch {
    return new ApiError({ status: response.status, title: response.statusText, detail: text.slice(0, 300) || `The server answered ${response.status}` });
  }
}

/** Calls the API; resolves with the JSON body (null for 204), rejects with ApiError. */
export async function api(path, { method = 'GET', body, token = session.token, orgId = session.orgId, signal } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (orgId) headers[ORG_HEADER] = orgId;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, title: 'Network error', detail: 'Cannot reach the Closeloop server. Check your connection and try again.' });
  }
  if (response.status === 204) return null;
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && token) onUnauthorized(problem);
    throw problem;
  }
  return response.json();
}

/** A query string from an object, leaving out empty values. */
export const qs = (params) => {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const text = search.toString();
  return text ? `?${text}` : '';
};

/** Every page of a list endpoint ({ data, nextCursor }), up to `max` rows. */
export async function listAll(path, params = {}, max = 1000) {
  const rows = [];
  let cursor;
  do {
    const page = await api(`${path}${qs({ ...params, limit: 200, cursor })}`);
    rows.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor && rows.length < max);
  return rows;
}

/** Sign-in: the embedded default's dev login (no password). */
export async function devLogin(email) {
  const { accessToken } = await api('/v1/dev/login', { method: 'POST', body: { email }, token: null, orgId: null });
  return accessToken;
}

/**
 * Sign-in with Supabase Auth's password grant, calling its REST endpoint directly: supabase-js is not loaded in
 * this page (no bundler, no CDN), and this one request is all the page needs from it.
 */
export async function supabaseLogin(config, email, password) {
  let response;
  try {
    response = await fetch(`${config.url.replace(/\/+$/, '')}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: config.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    throw new ApiError({ status: 0, title: 'Network error', detail: 'Cannot reach the sign-in service. Check your connection and try again.' });
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    const detail = body.error_description || body.msg || body.message || 'Sign-in failed';
    throw new ApiError({ status: response.status, title: 'Sign-in failed', detail: /invalid/i.test(detail) ? 'Wrong email or password.' : detail });
  }
  return body.access_token;
}
