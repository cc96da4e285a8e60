// The search page: form <-> address bar <-> API. The address bar is the single source of truth for a search, so a
// link runs the search it names and back/forward replay earlier searches.
import { ApiError, getJson, functionKey } from './api.js';
import { clearError, documentItem, formatDuration, resultItem, showError } from './render.js';

const $ = (id) => document.getElementById(id);
const form = $('search-form');
const input = $('q');
const topInput = $('top');
const results = $('results');
const summary = $('summary');
const errorBox = $('error');

const MODES = ['hybrid', 'keyword', 'vector'];
const FILTERS = ['tag', 'folder', 'type', 'modifiedAfter', 'modifiedBefore'];
const DEFAULT_TOP = '5';
const DOCS_PAGE_SIZE = 10;

// ---- search state: the address bar's query string ------------------------------------------------------------------

/**
 * A search as the page's query string says it. Values are kept as typed: the API validates them (a link with top=99
 * is sent as is and its 400 is shown), so the page never disagrees with the server about what is valid.
 */
function readParams(search) {
  const p = new URLSearchParams(search);
  return {
    q: p.get('q') ?? '',
    mode: p.get('mode') ?? 'hybrid',
    top: p.get('top') ?? DEFAULT_TOP,
    skip: Math.max(0, parseInt(p.get('skip') ?? '0', 10) || 0),
    tag: p.getAll('tag').flatMap(splitTags),
    folder: p.get('folder') ?? '',
    type: p.get('type') ?? '',
    modifiedAfter: p.get('modifiedAfter') ?? '',
    modifiedBefore: p.get('modifiedBefore') ?? '',
  };
}

/** The page URL for a search; keeps ?code= so a function key survives every search and reload. */
function pageUrl(state) {
  const p = new URLSearchParams();
  if (state.q) {
    p.set('q', state.q);
    p.set('mode', state.mode);
    p.set('top', state.top);
    if (state.skip > 0) p.set('skip', String(state.skip));
    for (const t of state.tag) p.append('tag', t);
    for (const name of ['folder', 'type', 'modifiedAfter', 'modifiedBefore']) if (state[name]) p.set(name, state[name]);
  }
  if (functionKey) p.set('code', functionKey);
  const query = p.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}

function splitTags(text) {
  return String(text).split(',').map((t) => t.trim()).filter(Boolean);
}

/** The API takes ISO timestamps; the date inputs give days. A value that already has a time is passed on as is. */
function toIso(day) {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : day;
}

function readForm() {
  const data = new FormData(form);
  return {
    q: String(data.get('q') ?? '').trim(),
    mode: String(data.get('mode') ?? 'hybrid'),
    top: String(data.get('top') ?? '').trim() || DEFAULT_TOP,
    skip: 0,
    tag: splitTags(data.get('tag') ?? ''),
    folder: String(data.get('folder') ?? '').trim(),
    type: String(data.get('type') ?? ''),
    modifiedAfter: String(data.get('modifiedAfter') ?? ''),
    modifiedBefore: String(data.get('modifiedBefore') ?? ''),
  };
}

function fillForm(state) {
  input.value = state.q;
  for (const radio of form.elements.mode) radio.checked = radio.value === state.mode;
  // An unknown mode from a link checks nothing; the API's 400 then says why.
  topInput.value = state.top;
  $('tags').value = state.tag.join(', ');
  $('folder').value = state.folder;
  $('type').value = state.type;
  $('modified-after').value = state.modifiedAfter.slice(0, 10);
  $('modified-before').value = state.modifiedBefore.slice(0, 10);
  updateFilterCount(state, { open: true });
}

function updateFilterCount(state, { open = false } = {}) {
  const count = FILTERS.filter((name) => (Array.isArray(state[name]) ? state[name].length : state[name])).length;
  const badge = $('filter-count');
  badge.textContent = String(count);
  badge.hidden = count === 0;
  if (open && count) $('filters').open = true;
}

// ---- running a search ----------------------------------------------------------------------------------------------

let current = null;   // AbortController of the search in flight: a newer search cancels an older one
let shown = null;     // the state whose results are on screen (for the pager and Retry)

/** Makes `state` the address bar's search (push = a new history entry) and runs it. */
function navigate(state, { push = true } = {}) {
  const url = pageUrl(state);
  if (url !== `${location.pathname}${location.search}`) {
    history[push ? 'pushState' : 'replaceState'](null, '', url);
  }
  return run(state);
}

async function run(state) {
  current?.abort();
  document.title = state.q ? `${state.q} – Semantic search` : 'Semantic search';
  if (!state.q) {
    current = null;
    shown = null;
    clearError(errorBox);
    results.replaceChildren();
    $('timing').hidden = true;
    $('pager').hidden = true;
    summary.textContent = 'Type a question or a few keywords and press Enter.';
    return;
  }

  const controller = new AbortController();
  current = controller;
  results.setAttribute('aria-busy', 'true');
  form.classList.add('is-loading');
  summary.textContent = `Searching for “${state.q}”…`;
  const started = performance.now();
  try {
    const { data, response } = await getJson('search', {
      q: state.q,
      mode: state.mode,
      top: state.top,
      skip: state.skip || undefined,
      tag: state.tag,
      folder: state.folder,
      type: state.type,
      modifiedAfter: toIso(state.modifiedAfter),
      modifiedBefore: toIso(state.modifiedBefore),
    }, { signal: controller.signal });
    if (!Array.isArray(data?.results)) throw new ApiError('format', 'The search answer had no results list.');
    clearError(errorBox);
    shown = state;
    renderResults(state, data, response, performance.now() - started);
  } catch (error) {
    if (error?.name === 'AbortError') return;
    shown = null;
    results.replaceChildren();
    $('timing').hidden = true;
    $('pager').hidden = true;
    summary.textContent = 'The search did not complete.';
    showError(errorBox, error, { onRetry: () => run(state) });
  } finally {
    if (current === controller) {
      current = null;
      results.setAttribute('aria-busy', 'false');
      form.classList.remove('is-loading');
    }
  }
}

function renderResults(state, data, response, elapsedMs) {
  const hits = data.results;
  const skip = Number(data.skip ?? state.skip) || 0;
  const top = Number(data.top ?? state.top) || hits.length;
  results.start = skip + 1;
  results.replaceChildren(...hits.map((hit, i) => resultItem(hit, skip + i + 1)));

  const mode = data.mode || state.mode;
  if (hits.length === 0) {
    summary.textContent = skip ? `No more results for “${state.q}”.` : `No results for “${state.q}” (${mode}).`;
  } else {
    const range = skip ? `Results ${skip + 1}–${skip + hits.length}` : `${hits.length} ${hits.length === 1 ? 'result' : 'results'}`;
    summary.textContent = `${range} for “${state.q}” (${mode})`;
  }

  // The body's "cache" is the contract; X-Cache is the same fact for tools that only see headers.
  const cache = String(data.cache || response.headers.get('X-Cache') || '').toLowerCase();
  const pill = $('cache');
  pill.hidden = cache !== 'hit' && cache !== 'miss';
  pill.textContent = cache === 'hit' ? 'Cache hit' : 'Cache miss';
  pill.dataset.cache = cache;
  pill.title = cache === 'hit' ? 'Answered from the result cache' : 'Computed by the index';
  // The server's own time is the number that matters; the round trip (network, browser) goes in the tooltip.
  const serverMs = typeof data.durationMs === 'number' ? data.durationMs : null;
  const duration = $('duration');
  duration.textContent = `in ${formatDuration(serverMs ?? elapsedMs)}`;
  duration.title = serverMs === null
    ? `${formatDuration(elapsedMs)} round trip`
    : `${formatDuration(serverMs)} on the server, ${formatDuration(elapsedMs)} round trip`;
  $('timing').hidden = false;

  const pager = $('pager');
  const more = hits.length >= top;
  pager.hidden = !(skip > 0 || more);
  $('prev-page').disabled = skip === 0;
  $('next-page').disabled = !more;
  $('page-label').textContent = `Page ${Math.floor(skip / Math.max(1, top)) + 1}`;
}

// ---- wiring --------------------------------------------------------------------------------------------------------

form.addEventListener('submit', (event) => {
  event.preventDefault(); // the page searches with fetch; the form's action is only the no-script fallback
  const state = readForm();
  updateFilterCount(state);
  navigate(state);
});

// Changing the mode re-runs a search that is on screen (or typed): the switch is a view of the same query.
for (const radio of form.elements.mode) {
  radio.addEventListener('change', () => {
    if (input.value.trim()) form.requestSubmit();
  });
}

$('clear-filters').addEventListener('click', () => {
  for (const id of ['tags', 'folder', 'type', 'modified-after', 'modified-before']) $(id).value = '';
  if (input.value.trim()) form.requestSubmit();
  else updateFilterCount(readForm());
});

function page(direction) {
  if (!shown) return;
  const top = Math.max(1, parseInt(shown.top, 10) || Number(DEFAULT_TOP));
  navigate({ ...shown, skip: Math.max(0, shown.skip + direction * top) });
  results.focus({ preventScroll: true });
  summary.scrollIntoView({ block: 'nearest' });
}
$('prev-page').addEventListener('click', () => page(-1));
$('next-page').addEventListener('click', () => page(+1));
results.tabIndex = -1; // focus target after paging, not a tab stop

// Back and forward: the address bar changed under us, so show what it names.
window.addEventListener('popstate', () => {
  const state = readParams(location.search);
  fillForm(state);
  run(state);
});

const TEXT_ENTRY = 'textarea, select, input:not([type=radio]):not([type=checkbox]):not([type=button]):not([type=submit])';

// "/" jumps to the search box from anywhere but a text field, as on most search sites.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  // Not while typing: text fields keep their "/". Radio buttons and buttons don't type, so "/" works from them.
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || target.matches(TEXT_ENTRY))) return;
  event.preventDefault();
  input.focus();
  input.select();
});

// ---- documents panel -----------------------------------------------------------------------------------------------

// Continuation tokens only go forward, so the panel remembers the token of every page it has seen to go back.
const docPages = [null];
let docIndex = 0;
let docsRequest = null;

async function loadDocuments(index) {
  docsRequest?.abort();
  const controller = new AbortController();
  docsRequest = controller;
  const list = $('docs');
  list.setAttribute('aria-busy', 'true');
  try {
    const { data } = await getJson('documents', { top: DOCS_PAGE_SIZE, continuationToken: docPages[index] }, { signal: controller.signal });
    const docs = Array.isArray(data?.documents) ? data.documents : [];
    docIndex = index;
    docPages.length = index + 1;
    if (data.continuationToken) docPages.push(data.continuationToken);
    clearError($('docs-error'));
    list.replaceChildren(...docs.map(documentItem));
    const failed = docs.filter((d) => d.status === 'failed').length;
    const pending = docs.filter((d) => d.status === 'pending').length;
    const notes = [failed && `${failed} failed`, pending && `${pending} pending`].filter(Boolean).join(', ');
    $('docs-summary').textContent = docs.length
      ? `${docs.length} ${docs.length === 1 ? 'document' : 'documents'} on this page${notes ? ` (${notes})` : ''}`
      : (index ? 'No more documents.' : 'No documents ingested yet.');
    $('docs-page').textContent = `Page ${index + 1}`;
    $('docs-prev').disabled = index === 0;
    $('docs-next').disabled = !data.continuationToken;
  } catch (error) {
    if (error?.name === 'AbortError') return;
    $('docs-summary').textContent = 'The document list could not be loaded.';
    showError($('docs-error'), error, { onRetry: () => loadDocuments(index) });
  } finally {
    if (docsRequest === controller) {
      docsRequest = null;
      list.setAttribute('aria-busy', 'false');
    }
  }
}

$('docs-next').addEventListener('click', () => loadDocuments(docIndex + 1));
$('docs-prev').addEventListener('click', () => loadDocuments(Math.max(0, docIndex - 1)));
$('docs-refresh').addEventListener('click', () => loadDocuments(docIndex));

// ---- health --------------------------------------------------------------------------------------------------------

async function loadHealth() {
  const box = $('health');
  const text = $('health-text');
  try {
    const { data } = await getJson('health');
    const encoder = data.encoder || {};
    const parts = [encoder.modelId, encoder.dimensions && `${encoder.dimensions} dims`,
      Number.isInteger(data.indexGeneration) && `generation ${data.indexGeneration}`].filter(Boolean);
    box.dataset.state = data.status === 'healthy' ? 'healthy' : 'unhealthy';
    text.textContent = parts.join(' · ') || data.status || 'healthy';
    box.title = `Service ${data.status}${encoder.provider ? `, encoder ${encoder.provider}` : ''}`;
  } catch (error) {
    box.dataset.state = 'down';
    text.textContent = error?.status === 503 ? 'Unhealthy' : 'Service unreachable';
    box.title = error?.message || String(error);
  }
}

// ---- start ---------------------------------------------------------------------------------------------------------

const initial = readParams(location.search);
fillForm(initial);
if (initial.q) run(initial);
loadDocuments(0);
loadHealth();
