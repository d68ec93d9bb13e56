// An approved email as an RFC 5322 message for users.drafts.create: plain text in UTF-8, non-ASCII header text
// as RFC 2047 encoded words (Gmail's raw upload wants ASCII headers; raw UTF-8 comes out as mojibake), and the
// idempotency key in `X-Closeloop-Key` so a retried activity can find the draft it already made. No Message-ID:
// Gmail assigns one to every draft it stores.
import { ValidationError } from '../../domain/errors.ts';
import type { DraftRequest } from './port.ts';

export const DRAFT_KEY_HEADER = 'X-Closeloop-Key';

// Fields this module writes itself; a caller's `headers` may not set them.
const reserved = new Set(['from', 'to', 'subject', 'date', 'mime-version', 'content-type', 'content-transfer-encoding', 'x-closeloop-key']);
const headerName = /^[!-9;-~]+$/;
const keyPattern = /^[!-~]{1,200}$/;
const MAX_LINE = 78;

export function composeDraft(request: DraftRequest & { key: string }, nowMs: number): string {
  const { key } = request;
  if (!keyPattern.test(key)) throw new ValidationError(`the draft key must be 1–200 printable ASCII characters without spaces, got ${JSON.stringify(key)}`);
  const from = addressList('From', request.from);
  const to = addressList('To', request.to);
  noLineBreaks('Subject', request.subject);

  const extra: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (!headerName.test(name)) throw new ValidationError(`invalid header name ${JSON.stringify(name)}`);
    noLineBreaks(name, value);
    if (name.toLowerCase() === DRAFT_KEY_HEADER.toLowerCase()) {
      if (value.trim() !== key) throw new ValidationError(`${DRAFT_KEY_HEADER} in headers (${value}) differs from the draft key (${key})`);
      continue;
    }
    if (reserved.has(name.toLowerCase())) throw new ValidationError(`header ${name} is set from the draft's own fields`);
    extra.push([name, value.trim()]);
  }

  const { encoding, body } = encodeBody(request.text);
  const lines = [
    field('From', from),
    field('To', to),
    unstructured('Subject', request.subject),
    field('Date', rfc5322Date(nowMs)),
    ...extra.map(([name, value]) => (isStructured(name) ? field(name, value) : unstructured(name, value))),
    field(DRAFT_KEY_HEADER, key),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="UTF-8"',
    `Content-Transfer-Encoding: ${encoding}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** base64url without padding, as users.drafts.create takes `message.raw`. */
export function toRaw(message: string): string {
  return Buffer.from(message, 'utf8').toString('base64url');
}

function noLineBreaks(name: string, value: string): void {
  if (/[\r\n\0]/.test(value)) throw new ValidationError(`header ${name} must not contain line breaks`);
}

// ---------------------------------------------------------------------------------------------------------
// Addresses: "Name <a@b>", "\"Doe, Jane\" <a@b>" or "a@b", comma-separated; display names encoded when needed.

function addressList(name: string, value: string): string {
  noLineBreaks(name, value);
  const items = splitAddresses(value);
  if (items.length === 0) throw new ValidationError(`${name} needs an email address`);
  return items.map((item) => mailbox(name, item)).join(', ');
}

function splitAddresses(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    if (!quoted && char === '<') angle = true;
    if (!quoted && char === '>') angle = false;
    if (char === ',' && !quoted && !angle) {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  // "Weber, Markus <m.weber@x.example>": a display name with an unquoted comma, as naive formatting writes it.
  const merged: string[] = [];
  for (const item of items.map((text) => text.trim()).filter((text) => text.length > 0)) {
    const previous = merged.at(-1);
    if (previous !== undefined && !previous.includes('@') && !previous.includes('<')) merged[merged.length - 1] = `${previous}, ${item}`;
    else merged.push(item);
  }
  return merged;
}

const addrSpec = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

function mailbox(field: string, item: string): string {
  const angle = /^(.*?)<([^<>]+)>$/.exec(item);
  const address = (angle ? angle[2]! : item).trim();
  if (!addrSpec.test(address) || !/^[\x20-\x7e]+$/.test(address)) throw new ValidationError(`${field} has an invalid email address: ${JSON.stringify(item)}`);
  let display = (angle?.[1] ?? '').trim();
  if (display.startsWith('"') && display.endsWith('"') && display.length >= 2) display = display.slice(1, -1).replace(/\\(.)/g, '$1');
  if (!display) return address;
  if (!/^[\x20-\x7e]*$/.test(display)) return `${encodedWords(display, 0).join(' ')} <${address}>`;
  // RFC 5322 specials need a quoted string.
  const phrase = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(display) ? display : `"${display.replace(/(["\\])/g, '\\$1')}"`;
  return `${phrase} <${address}>`;
}

// ---------------------------------------------------------------------------------------------------------
// Header lines

// Message-id lists are structured: fold them only between ids, never encode them.
function isStructured(name: string): boolean {
  return ['in-reply-to', 'references', 'message-id', 'cc', 'bcc', 'reply-to', 'list-unsubscribe', 'list-unsubscribe-post'].includes(name.toLowerCase());
}

/** `Name: value` folded at spaces to about 78 characters (a line may only be longer if a word is). */
function field(name: string, value: string): string {
  const words = value.split(/ +/).filter((word) => word.length > 0);
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of words) {
    if (line.length + 1 + word.length > MAX_LINE && line.trim() !== `${name}:`) {
      lines.push(line);
      line = ` ${word}`;
    } else line += ` ${word}`;
  }
  lines.push(line);
  return lines.join('\r\n');
}

function unstructured(name: string, value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return field(name, value);
  const words = encodedWords(value, name.length + 2);
  return `${name}: ${words.join('\r\n ')}`;
}

/**
 * RFC 2047 "B" words in UTF-8, each at most 75 characters and never splitting a character; the first leaves room
 * for the field name on its line.
 */
function encodedWords(text: string, firstLineUsed: number): string[] {
  const words: string[] = [];
  let chunk = '';
  const limit = (index: number) => Math.floor(((index === 0 ? MAX_LINE - firstLineUsed : 75) - 12) / 4) * 3;
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > limit(words.length) && chunk) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk || words.length === 0) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`);
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${weekdays[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

// ---------------------------------------------------------------------------------------------------------
// Body: 7bit when it is ASCII in short lines, else base64 (safe for any text, and what Gmail itself uses).

function encodeBody(text: string): { encoding: '7bit' | 'base64'; body: string } {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/\n/g, '\r\n');
  if (/^[\x20-\x7e\t\r\n]*$/.test(normalised) && normalised.split('\r\n').every((line) => line.length <= 998)) {
    return { encoding: '7bit', body: normalised };
  }
  const base64 = Buffer.from(normalised, 'utf8').toString('base64');
  return { encoding: 'base64', body: base64.replace(/.{1,76}/g, '$&\r\n').trimEnd() };
}
