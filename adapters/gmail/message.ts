// A Gmail API message (format full) as Closeloop reads it: the ids that match it to our emails, what the reply
// classifier needs, and the failed recipients of a delivery report. Pure: no I/O, so tests feed it fixtures.
//
// Gmail has already undone the transfer encoding (base64, quoted-printable) of every part: `body.data` is the
// part's bytes in its own charset, base64url-encoded. Parts Gmail keeps as attachments carry an `attachmentId`
// instead of data; we never need their content.
import type { gmail_v1 } from '@googleapis/gmail';
import { ValidationError } from '../../domain/errors.ts';
import type { InboundMessage } from '../../domain/reply-classification.ts';
import type { MailboxMessage } from './port.ts';

export type GmailApiMessage = gmail_v1.Schema$Message;
type Part = gmail_v1.Schema$MessagePart;

export function parseGmailMessage(message: GmailApiMessage): MailboxMessage {
  if (!message.id || !message.threadId) throw new ValidationError('Gmail message without an id or thread id (was it read with format=full?)');
  const payload = message.payload ?? {};
  const headers = headerRecord(payload.headers ?? []);
  const header = (name: string): string | undefined => headerValue(headers, name);

  const inbound: InboundMessage = {
    headers,
    subject: header('subject') ?? '',
    text: bodyText(payload),
    from: addressOf(header('from') ?? ''),
    receivedAtMs: receivedAt(message.internalDate, header('date')),
    timeZone: null,
  };
  return {
    id: message.id,
    threadId: message.threadId,
    labelIds: message.labelIds ?? [],
    rfcMessageId: messageIds(header('message-id') ?? '')[0] ?? null,
    inReplyTo: messageIds(header('in-reply-to') ?? '')[0] ?? null,
    references: messageIds(header('references') ?? ''),
    inbound,
    failedRecipients: failedRecipients(payload, header('x-failed-recipients'), inbound.text),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Headers

/** All headers by name, the last one winning per name whatever its case; RFC 2047 words decoded. */
export function headerRecord(list: ReadonlyArray<{ name?: string | null; value?: string | null }>): Record<string, string> {
  const record: Record<string, string> = {};
  const keyByLower = new Map<string, string>();
  for (const { name, value } of list) {
    if (!name) continue;
    const lower = name.toLowerCase();
    const previous = keyByLower.get(lower);
    if (previous !== undefined) delete record[previous];
    keyByLower.set(lower, name);
    record[name] = decodeEncodedWords(value ?? '');
  }
  return record;
}

function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === lowerName) return value;
  return undefined;
}

function partHeader(part: Part, lowerName: string): string | undefined {
  let found: string | undefined;
  for (const { name, value } of part.headers ?? []) if (name?.toLowerCase() === lowerName) found = value ?? '';
  return found;
}

const encodedWord = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * RFC 2047 encoded words ("=?UTF-8?B?…?=") decoded. Gmail usually hands headers over decoded already; a value
 * with nothing to decode comes back unchanged, so decoding twice is harmless.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047, section 6.2).
  const joined = value.replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)/g, '$1');
  return joined.replace(encodedWord, (whole, charset: string, encoding: string, text: string) => {
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qEncodedBytes(text);
    // "UTF-8*de": a language suffix (RFC 2231) is not part of the charset.
    const decoded = decodeBytes(bytes, charset.split('*')[0] ?? 'utf-8');
    return decoded ?? whole;
  });
}

function qEncodedBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '_') bytes.push(0x20);
    else if (char === '=' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(char.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

/** `type/subtype` in lower case and the parameters (names lower-cased, quotes removed). */
export function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [first = '', ...rest] = splitParams(value ?? '');
  const params: Record<string, string> = {};
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    let paramValue = item.slice(eq + 1).trim();
    if (paramValue.startsWith('"') && paramValue.endsWith('"')) paramValue = paramValue.slice(1, -1).replace(/\\(.)/g, '$1');
    params[item.slice(0, eq).trim().toLowerCase()] = paramValue;
  }
  return { type: first.trim().toLowerCase(), params };
}

function splitParams(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\\' && quoted) {
      current += char + (value[i + 1] ?? '');
      i++;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === ';' && !quoted) {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  return items;
}

/** The address of a From header ("Name <a@b>" or a bare address), lower-cased. */
export function addressOf(from: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(from) ?? /<([^<>]*)>/.exec(from);
  return (angle?.[1] ?? from.replace(/\([^()]*\)/g, '')).trim().toLowerCase();
}

/** The `<id>`s of a Message-ID, In-Reply-To or References header; bare tokens when it has none in brackets. */
function messageIds(value: string): string[] {
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return value.split(/[\s,]+/).filter((token) => token.length > 0);
}

function receivedAt(internalDate: string | null | undefined, dateHeader: string | undefined): number {
  const internal = Number(internalDate);
  if (internalDate && Number.isSafeInteger(internal)) return internal;
  const parsed = dateHeader ? Date.parse(dateHeader.replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
  return Number.isFinite(parsed) ? parsed : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Bodies

/** A part's bytes as text in its declared charset (UTF-8 when none or unknown), with "\n" line ends. */
export function partText(part: Part): string {
  const data = part.body?.data;
  if (!data) return '';
  const { params } = parseContentType(partHeader(part, 'content-type') ?? part.mimeType ?? '');
  const text = (decodeBytes(Buffer.from(data, 'base64'), params.charset ?? 'utf-8') ?? decodeBytes(Buffer.from(data, 'base64'), 'utf-8') ?? '').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return params.format?.toLowerCase() === 'flowed' ? unflow(text, params.delsp?.toLowerCase() === 'yes') : text;
}

function decodeBytes(bytes: Uint8Array, charset: string): string | null {
  const label = charset.trim().toLowerCase();
  try {
    // WHATWG maps latin1/iso-8859-1/us-ascii to windows-1252, a superset in the printable range: what mail means.
    return new TextDecoder(label === 'utf8' ? 'utf-8' : label).decode(bytes);
  } catch {
    return null;
  }
}

// RFC 3676: a line ending in a space continues on the next line of the same quote depth (the signature
// separator "-- " does not); quote marks and the space-stuffing space are not part of the text.
function unflow(text: string, delSp: boolean): string {
  const out: string[] = [];
  let current: { depth: number; text: string } | null = null;
  for (const line of text.split('\n')) {
    const depth = /^>*/.exec(line)![0].length;
    let content = line.slice(depth);
    if (content.startsWith(' ')) content = content.slice(1);
    const soft = content.endsWith(' ') && content !== '-- ';
    if (soft && delSp) content = content.slice(0, -1);
    if (current && current.depth !== depth) {
      out.push(quoted(current));
      current = null;
    }
    current = current ? { depth, text: current.text + content } : { depth, text: content };
    if (!soft) {
      out.push(quoted(current));
      current = null;
    }
  }
  if (current) out.push(quoted(current));
  return out.join('\n');
}

function quoted({ depth, text }: { depth: number; text: string }): string {
  return depth === 0 ? text : `${'>'.repeat(depth)}${text ? ` ${text}` : ''}`;
}

function isAttachment(part: Part): boolean {
  if (part.filename) return true;
  return /^\s*attachment\b/i.test(partHeader(part, 'content-disposition') ?? '');
}

// Parts holding another message (a forwarded or returned email, the fields of a delivery report) are not the
// sender's words: a bounce carries our original, unsubscribe footer and all.
const embedded = /^(?:message\/|text\/rfc822-headers$)/;

function findPart(part: Part, wanted: string): Part | null {
  const type = (part.mimeType ?? '').toLowerCase();
  if (type === wanted && !isAttachment(part)) return part;
  if (embedded.test(type) || !type.startsWith('multipart/')) return null;
  for (const child of part.parts ?? []) {
    const found = findPart(child, wanted);
    if (found) return found;
  }
  return null;
}

function bodyText(payload: Part): string {
  const plain = findPart(payload, 'text/plain');
  if (plain) return partText(plain).trim();
  const html = findPart(payload, 'text/html');
  if (html) return htmlToText(partText(html));
  return '';
}

// ---------------------------------------------------------------------------------------------------------
// HTML to text: enough for the classifier, which reads the sender's own words and cuts the quoted thread at
// "> " lines and "On … wrote:" — so block elements become line breaks and blockquotes become "> " lines.

const blockTags = new Set(['p', 'div', 'br', 'tr', 'li', 'ul', 'ol', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'blockquote', 'pre', 'section', 'article', 'header', 'footer', 'dd', 'dt', 'address']);
const namedEntities: Record<string, string> = {
  nbsp: '\u00a0', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®', euro: '€', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·', deg: '°', sect: '§',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', aacute: 'á', eacute: 'é', iacute: 'í', oacute: 'ó', uacute: 'ú',
  Aacute: 'Á', Eacute: 'É', Iacute: 'Í', Oacute: 'Ó', Uacute: 'Ú', agrave: 'à', egrave: 'è', igrave: 'ì', ograve: 'ò', ugrave: 'ù', Agrave: 'À', Egrave: 'È',
  acirc: 'â', ecirc: 'ê', icirc: 'î', ocirc: 'ô', ucirc: 'û', euml: 'ë', iuml: 'ï', ccedil: 'ç', Ccedil: 'Ç', ntilde: 'ñ', Ntilde: 'Ñ', iexcl: '¡', iquest: '¿', oelig: 'œ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[entity] ?? whole;
  });
}

export function htmlToText(html: string): string {
  const cleaned = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  const lines: string[] = [];
  let line = '';
  let depth = 0;
  let pre = 0;
  // No-break spaces count as text here (String.prototype.trim would drop them).
  const hasText = () => /[^ \t]/.test(line);
  const breakLine = () => {
    const text = line.replace(/[ \t]+$/g, '');
    lines.push(depth > 0 ? `${'> '.repeat(depth)}${text}`.trimEnd() : text);
    line = '';
  };
  for (const token of cleaned.matchAll(/<\s*(\/?)\s*([a-z][a-z0-9]*)\b[^>]*>|([^<]+)|</gi)) {
    const [, closing, rawTag, text] = token;
    if (text !== undefined || rawTag === undefined) {
      let chunk = decodeEntities(text ?? '<');
      // HTML collapses white space, but not no-break spaces: "<p>&nbsp;</p>" is an empty line.
      if (pre === 0) chunk = chunk.replace(/[ \t\r\n\f]+/g, ' ');
      if (line === '' && pre === 0) chunk = chunk.replace(/^ /, '');
      if (pre > 0) {
        const [first = '', ...rest] = chunk.split(/\r?\n/);
        line += first;
        for (const next of rest) {
          breakLine();
          line = next;
        }
      } else line += chunk;
      continue;
    }
    const tag = rawTag.toLowerCase();
    if (!blockTags.has(tag)) continue;
    if (tag === 'br') {
      breakLine();
      continue;
    }
    if (hasText()) breakLine();
    else line = '';
    if (tag === 'blockquote') depth = Math.max(0, depth + (closing ? -1 : 1));
    if (tag === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
  }
  if (hasText()) breakLine();
  return lines
    .map((text) => text.replace(/\u00a0/g, ' ').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------
// Delivery reports (RFC 3464)

function failedRecipients(payload: Part, xFailedRecipients: string | undefined, text: string): MailboxMessage['failedRecipients'] {
  const report = findDeliveryStatus(payload);
  if (report) {
    const fromReport = recipientsFromReport(report);
    if (fromReport.length > 0) return fromReport;
  }
  // Some servers (and Gmail's own bounces, besides their report) name the failed addresses in a header.
  if (xFailedRecipients) {
    const status = /(?<![\w.])([245]\.\d{1,3}\.\d{1,3})(?![\d.]*\d)/.exec(text)?.[1] ?? null;
    return xFailedRecipients
      .split(',')
      .map((address) => addressOf(address))
      .filter((address) => address.includes('@'))
      .map((address) => ({ address, status }));
  }
  return [];
}

function findDeliveryStatus(part: Part): Part | null {
  const type = (part.mimeType ?? '').toLowerCase();
  if (type === 'message/delivery-status' || type === 'message/global-delivery-status') return part;
  if (!type.startsWith('multipart/')) return null;
  for (const child of part.parts ?? []) {
    const found = findDeliveryStatus(child);
    if (found) return found;
  }
  return null;
}

function recipientsFromReport(part: Part): MailboxMessage['failedRecipients'] {
  const blocks = part.body?.data ? fieldBlocks(partText(part)) : (part.parts ?? []).map((child) => headerFields(child.headers ?? []));
  const recipients: MailboxMessage['failedRecipients'] = [];
  for (const fields of blocks) {
    const recipient = fields.get('original-recipient') ?? fields.get('final-recipient');
    if (!recipient) continue;
    const action = fields.get('action')?.toLowerCase();
    if (action !== undefined && !/^(?:failed|delayed)\b/.test(action)) continue;
    // "rfc822; jan@example.com": the address type comes first.
    const address = addressOf(recipient.includes(';') ? recipient.slice(recipient.indexOf(';') + 1) : recipient);
    if (!address.includes('@')) continue;
    const status = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(fields.get('status') ?? '')?.[1] ?? null;
    recipients.push({ address, status });
  }
  return recipients;
}

/** The per-message and per-recipient field groups of a delivery report, separated by blank lines. */
function fieldBlocks(text: string): Map<string, string>[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      let last: string | null = null;
      for (const line of block.split('\n')) {
        if (/^[ \t]/.test(line) && last) {
          fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`);
          continue;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        last = line.slice(0, colon).trim().toLowerCase();
        fields.set(last, line.slice(colon + 1).trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);
}

function headerFields(list: ReadonlyArray<{ name?: string | null; value?: string | null }>): Map<string, string> {
  const fields = new Map<string, string>();
  for (const { name, value } of list) if (name) fields.set(name.toLowerCase(), value ?? '');
  return fields;
}
