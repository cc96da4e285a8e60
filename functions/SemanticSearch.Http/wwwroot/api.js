// The HTTP API client: builds URLs against the configured base and turns every failure into an ApiError the page can
// show. Nothing here touches the DOM.

/** A failed call. kind: "validation" (400), "busy" (429/503), "http" (any other status), "network", "format". */
export class ApiError extends Error {
  constructor(kind, message, { status = 0, problem = null, retryAfter = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.problem = problem;       // the parsed problem+json body, when there was one
    this.retryAfter = retryAfter; // seconds, from Retry-After
  }
}

/**
 * The API base: <meta name="api-base"> (set by the server) resolved against the page's own URL, so "/api" and a
 * relative "api" both work whether the page is served at "/" or under "/api/…". Always ends with "/".
 */
export function apiBase(doc = document) {
  const configured = doc.querySelector('meta[name="api-base"]')?.getAttribute('content')?.trim() || '/api';
  const url = new URL(configured, doc.baseURI);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/**
 * In the Functions app the page and the API sit behind function keys: a page opened with ?code=KEY passes the same
 * key on to every API call. Read once; the address bar keeps it across searches (see app.js).
 */
export const functionKey = new URLSearchParams(location.search).get('code');

/** The URL of an API route with its query; array values become repeated parameters (tag=a&tag=b); empty ones are left out. */
export function apiUrl(route, params = {}) {
  const url = new URL(route, apiBase());
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.append(name, String(v));
    }
  }
  if (functionKey) url.searchParams.set('code', functionKey);
  return url;
}

/** GET a JSON route. Resolves to { data, response }; rejects with ApiError (or the AbortError when aborted). */
export async function getJson(route, params, { signal } = {}) {
  let response;
  try {
    response = await fetch(apiUrl(route, params), {
      signal,
      headers: { Accept: 'application/json, application/problem+json' },
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError('network', `Could not reach the search service (${error?.message || 'network error'}). Check your connection and try again.`);
  }

  const body = await readBody(response);
  if (response.ok) {
    if (body === undefined) throw new ApiError('format', `The service answered ${response.status} without JSON.`, { status: response.status });
    return { data: body, response };
  }

  const problem = body && typeof body === 'object' ? body : null;
  const status = response.status;
  if (status === 429 || status === 503) {
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
    const wait = retryAfter === null ? 'in a moment' : `in ${retryAfter} s`;
    throw new ApiError('busy', `The service is busy, retry ${wait}.`, { status, problem, retryAfter });
  }
  if (status === 400) {
    throw new ApiError('validation', problem?.detail || problem?.title || 'The request was not valid.', { status, problem });
  }
  const what = problem?.detail || problem?.title || response.statusText || 'unexpected error';
  throw new ApiError('http', `The service answered ${status}: ${what}`, { status, problem });
}

/** The body as JSON, or undefined when it is empty or not JSON (a proxy's HTML error page, say). */
async function readBody(response) {
  const type = response.headers.get('Content-Type') || '';
  if (!/json/i.test(type)) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** Retry-After is either delta-seconds or an HTTP date; returns whole seconds, or null when absent or unreadable. */
export function parseRetryAfter(value) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const when = Date.parse(value);
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000));
}
