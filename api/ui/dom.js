// Building the page without innerHTML: every piece of data goes in as a text node or an attribute, so a name like
// "<script>" stays text. Also the small formatting helpers every screen shares.

const SVG_NS = 'http://www.w3.org/2000/svg';
// Set as properties (their attribute only holds the initial value).
const PROPERTIES = new Set(['value', 'checked', 'selected', 'indeterminate']);
let counter = 0;

/** A unique element id (labels, aria-describedby). */
export const uid = (prefix = 'id') => `${prefix}-${(counter += 1)}`;

function build(el, props, children) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (PROPERTIES.has(key)) {
      el[key] = value;
      // What a form's reset() goes back to.
      if (key === 'checked') el.defaultChecked = value;
      if (key === 'selected') el.defaultSelected = value;
      if (key === 'value' && 'defaultValue' in el && el.tagName !== 'SELECT') el.defaultValue = value;
    }
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** h('a', { href: '#/now', class: 'x', onClick: fn }, 'text', child, [more]) — falsy children are skipped. */
export const h = (tag, props, ...children) => build(document.createElement(tag), props, children);
/** The same for SVG elements. */
export const s = (tag, props, ...children) => build(document.createElementNS(SVG_NS, tag), props, children);

/** Appends children (nested arrays flattened), skipping null, undefined, false and '' — unlike DOM append, which writes "null". */
export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === '') continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's content, keeping keyboard focus on the "same" element (by data-key) when it was inside. */
export function replace(el, ...children) {
  const active = document.activeElement;
  const key = active && el.contains(active) ? active.getAttribute('data-key') : null;
  el.replaceChildren();
  append(el, children);
  if (key) el.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

/** True while someone types in a field: single-key shortcuts stay off. */
export function isTyping(target) {
  const el = target instanceof Element ? target : null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

// ---------------------------------------------------------------------------------------------------------
// Formatting

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : dateTime.format(date);
}

/** "in 3 hours", "2 days ago". */
export function relative(iso, nowMs = Date.now()) {
  if (!iso) return '';
  const diff = Date.parse(iso) - nowMs;
  const abs = Math.abs(diff);
  const units = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];
  for (const [unit, ms] of units) if (abs >= ms) return relativeFormat.format(Math.round(diff / ms), unit);
  return diff >= 0 ? 'in less than a minute' : 'just now';
}

/** A <time> with the exact time in its text and the relative one beside it. */
export const timeEl = (iso, { showRelative = true } = {}) =>
  iso ? h('time', { datetime: iso }, when(iso), showRelative ? h('span', { class: 'muted' }, ` (${relative(iso)})`) : null) : h('span', { class: 'muted' }, '—');

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A calendar day ("2026-11-27") as the reader writes dates; no time zone shifts it to the day before. */
export function day(isoDate) {
  if (!isoDate) return '—';
  const date = new Date(`${String(isoDate).slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? String(isoDate) : dayFormat.format(date);
}

export function money(minor, currency) {
  if (minor === null || minor === undefined) return '—';
  if (!currency) return (minor / 100).toLocaleString(undefined, { maximumFractionDigits: 2 });
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

export const percent = (ratio) => (ratio === null || ratio === undefined ? '—' : `${Math.round(ratio * 100)}%`);

export const personName = (c) => [c?.firstName, c?.lastName].filter(Boolean).join(' ') || c?.emails?.[0] || 'Unnamed contact';

/** snake_case and codes into words: "closed_won" → "closed won". */
export const words = (code) => String(code ?? '').replace(/[_.-]+/g, ' ').trim();
