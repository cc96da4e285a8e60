// Builds the result and document DOM. Every piece of document text goes in as a text node (textContent); nothing is
// ever assigned to innerHTML, so markup inside documents is shown as written and never runs.

/** document.createElement with a class and text; children are appended as given (nodes or strings, as text). */
export function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child); // append(string) creates a text node: never parsed as HTML
  }
  return node;
}

// ---- highlights ----------------------------------------------------------------------------------------------------

// The API HTML-escapes highlight text and marks matches with literal <em>…</em>. Only those two exact tags become
// elements; any other "<" stays text, so even a broken or hostile API cannot inject markup here.
const EM_TAG = /(<em>|<\/em>)/;

/** A DocumentFragment for one escaped highlight: text nodes plus <em> elements. */
export function highlightFragment(escaped) {
  const fragment = document.createDocumentFragment();
  let inside = false;
  let current = fragment;
  for (const part of String(escaped).split(EM_TAG)) {
    if (part === '<em>') {
      if (!inside) {
        inside = true;
        current = fragment.appendChild(document.createElement('em'));
      }
    } else if (part === '</em>') {
      inside = false;
      current = fragment;
    } else if (part) {
      current.append(decodeEntities(part));
    }
  }
  return fragment;
}

const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Undoes the API's HTML escaping (named and numeric references) without an HTML parser; unknown ones stay as written. */
export function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const name = ref.toLowerCase();
    return Object.hasOwn(NAMED, name) ? NAMED[name] : whole; // hasOwn: "&constructor;" is not an entity
  });
}

// ---- formatting ----------------------------------------------------------------------------------------------------

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** A <time> element showing the date (or "5 min ago" when relative), with the full timestamp on hover. */
export function timeElement(iso, { relativeTime = false } = {}) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return null;
  const node = el('time', null, relativeTime ? ago(date) : dateFormat.format(date));
  node.dateTime = date.toISOString();
  node.title = dateTimeFormat.format(date);
  return node;
}

const UNITS = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];

function ago(date) {
  const seconds = (date.getTime() - Date.now()) / 1000;
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
  return relative.format(Math.round(seconds / size), unit);
}

/** Scores differ by mode (RRF sums are ~0.03, cosines ~0.8): three significant digits suit both. */
export function formatScore(score) {
  return typeof score === 'number' && Number.isFinite(score) ? Number(score.toPrecision(3)).toString() : '';
}

export function formatDuration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Only http(s) links are followed: a document's url of "javascript:…" or "data:…" is shown as plain text instead. */
export function safeHref(url) {
  if (typeof url !== 'string' || !url) return null;
  try {
    const parsed = new URL(url, document.baseURI);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function truncate(text, max) {
  const s = String(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length <= max ? s : `${s.slice(0, max).replace(/\s+\S*$/, '')} …`;
}

// ---- results -------------------------------------------------------------------------------------------------------

/** One search result as an <li>. Every field is optional except what the contract guarantees (documentId, score). */
export function resultItem(hit, rank) {
  const title = hit.title || hit.source || hit.documentId || 'Untitled';
  const href = safeHref(hit.url);
  const heading = el('h3', 'hit-title', href ? el('a', null, title) : title);
  if (href) {
    const link = heading.firstChild;
    link.href = href;
    link.rel = 'noopener noreferrer';
  }

  const score = formatScore(hit.score);
  const head = el('div', 'hit-head',
    el('span', 'hit-rank', `${rank}`),
    heading,
    score && el('span', 'hit-score', el('span', 'visually-hidden', 'score '), score));
  if (score) head.lastChild.title = 'Relevance score';

  const meta = el('p', 'hit-meta');
  const source = hit.source || hit.documentId;
  if (source) meta.append(el('span', 'hit-source', source));
  if (hit.page !== null && hit.page !== undefined) meta.append(el('span', null, `page ${hit.page}`));
  if (hit.contentType) meta.append(el('span', 'hit-type', hit.contentType));
  const modified = timeElement(hit.modifiedAt);
  if (modified) meta.append(el('span', null, 'modified ', modified));

  const item = el('li', 'hit', head, meta);

  if (Array.isArray(hit.headings) && hit.headings.length) {
    const path = el('ol', 'hit-path');
    path.setAttribute('aria-label', 'Section');
    for (const h of hit.headings) path.append(el('li', null, String(h)));
    item.append(path);
  }

  const snippet = el('p', 'hit-snippet');
  const highlights = Array.isArray(hit.highlights) ? hit.highlights.filter((h) => typeof h === 'string' && h) : [];
  if (highlights.length) {
    highlights.forEach((h, i) => {
      if (i) snippet.append(el('span', 'hit-gap', ' … '));
      snippet.append(highlightFragment(h));
    });
  } else {
    snippet.append(truncate(hit.content, 320));
  }
  item.append(snippet);

  if (Array.isArray(hit.tags) && hit.tags.length) {
    const tags = el('ul', 'tags');
    tags.setAttribute('aria-label', 'Tags');
    for (const t of hit.tags) tags.append(el('li', 'tag', String(t)));
    item.append(tags);
  }
  return item;
}

// ---- documents -----------------------------------------------------------------------------------------------------

const STATUS_LABEL = { indexed: 'Indexed', failed: 'Failed', pending: 'Pending' };

/** One entry of the documents panel: the name; status, id and when; then what ingestion did, or why it failed. */
export function documentItem(doc) {
  const status = String(doc.status || 'unknown').toLowerCase();
  const badge = el('span', `status status-${STATUS_LABEL[status] ? status : 'unknown'}`, STATUS_LABEL[status] || status);
  const name = el('p', 'doc-name', doc.title || doc.documentId || '(no id)');
  const line = el('div', 'doc-line', badge);
  if (doc.title && doc.documentId && doc.title !== doc.documentId) line.append(el('span', 'doc-id', doc.documentId));
  const updated = timeElement(doc.updatedAt, { relativeTime: true });
  if (updated) line.append(el('span', 'doc-when', updated));
  const item = el('li', `doc doc-${status}`, name, line);

  if (doc.error) {
    item.append(el('p', 'doc-error', doc.error));
  } else if (typeof doc.chunks === 'number' && (status === 'indexed' || doc.chunks > 0)) {
    const facts = el('p', 'doc-facts', el('span', null, `${doc.chunks} ${doc.chunks === 1 ? 'chunk' : 'chunks'}`));
    if (typeof doc.embeddingsComputed === 'number' || typeof doc.embeddingsReused === 'number') {
      const span = el('span', null, `${doc.embeddingsComputed ?? 0} embedded, ${doc.embeddingsReused ?? 0} from cache`);
      span.title = 'Embeddings computed for this version / reused from the embedding cache';
      facts.append(span);
    }
    item.append(facts);
  }
  return item;
}

// ---- errors --------------------------------------------------------------------------------------------------------

/** Fills an alert box from an ApiError: the message, then a 400's field errors as a list. */
export function showError(box, error, { onRetry } = {}) {
  box.replaceChildren();
  box.dataset.kind = error?.kind || 'error';
  const title = error?.kind === 'validation' ? (error.problem?.title || 'The request was not valid') : null;
  if (title) box.append(el('p', 'alert-title', title));
  box.append(el('p', null, error?.message || String(error)));

  const fieldErrors = error?.problem?.errors;
  if (fieldErrors && typeof fieldErrors === 'object') {
    const list = el('ul', 'alert-list');
    for (const [field, messages] of Object.entries(fieldErrors)) {
      for (const message of Array.isArray(messages) ? messages : [messages]) {
        list.append(el('li', null, el('code', null, field), ': ', String(message)));
      }
    }
    if (list.childElementCount) box.append(list);
  }
  if (onRetry && error?.kind !== 'validation') { // a 400 needs a changed request, not a retry
    const retry = el('button', 'btn btn-small', 'Retry');
    retry.type = 'button';
    retry.addEventListener('click', onRetry);
    box.append(retry);
  }
  box.hidden = false;
}

export function clearError(box) {
  box.hidden = true;
  box.replaceChildren();
}
