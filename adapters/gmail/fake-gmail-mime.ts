// What Gmail does to a raw email before the API hands it out with format=full, for the fake server and the
// fixtures: the MIME tree becomes `payload` (partId "" at the root, "0", "0.1", … below), header values are
// unfolded and their RFC 2047 words decoded, every leaf's transfer encoding is undone and its bytes put in
// `body.data` as base64url, and parts with a file name are attachments (an `attachmentId`, no data).
// Test support only: the adapter itself never parses raw MIME.
import { createHash } from 'node:crypto';
import type { gmail_v1 } from '@googleapis/gmail';
import { decodeEncodedWords, parseContentType } from './message.ts';

export interface GmailMessageMeta {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: number;
  historyId: string;
}

type Part = gmail_v1.Schema$MessagePart;

/** A raw RFC 5322 email (a string is taken as UTF-8, line ends LF or CRLF) as the Gmail API returns it. */
export function gmailMessageFromRaw(raw: string | Buffer, meta: GmailMessageMeta): gmail_v1.Schema$Message {
  // Work on a "binary string": one char per byte, so 8-bit bodies survive until their charset is applied.
  const bytes = typeof raw === 'string' ? Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'utf8') : raw;
  const payload = parsePart(bytes.toString('latin1'), '');
  return {
    id: meta.id,
    threadId: meta.threadId,
    labelIds: meta.labelIds,
    snippet: snippetOf(payload),
    payload,
    sizeEstimate: bytes.length,
    historyId: meta.historyId,
    internalDate: String(meta.internalDate),
  };
}

/** The raw message's headers, in order, unfolded and decoded: for routing in the fake (threading, drafts). */
export function rawHeaders(raw: string | Buffer): Array<{ name: string; value: string }> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'utf8') : raw;
  return splitEntity(bytes.toString('latin1')).headers;
}

function splitEntity(entity: string): { headers: Array<{ name: string; value: string }>; body: string } {
  const end = entity.search(/\r\n\r\n/);
  const head = end < 0 ? entity : entity.slice(0, end);
  const body = end < 0 ? '' : entity.slice(end + 4);
  const headers: Array<{ name: string; value: string }> = [];
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    // Raw 8-bit header bytes are taken as UTF-8 (RFC 6532), then any encoded words are decoded.
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    headers.push({ name: line.slice(0, colon).trim(), value: decodeEncodedWords(value) });
  }
  return { headers, body };
}

function parsePart(entity: string, partId: string): Part {
  const { headers, body } = splitEntity(entity);
  const header = (name: string) => headers.findLast((h) => h.name.toLowerCase() === name)?.value;
  const contentType = parseContentType(header('content-type') ?? 'text/plain; charset=us-ascii');
  const mimeType = contentType.type || 'text/plain';
  const disposition = parseContentType(header('content-disposition'));
  const filename = disposition.params.filename ?? contentType.params.name ?? '';
  const part: Part = { partId, mimeType, filename, headers };

  if (mimeType.startsWith('multipart/') && contentType.params.boundary) {
    const children = splitMultipart(body, contentType.params.boundary);
    part.body = { size: 0 };
    part.parts = children.map((child, index) => parsePart(child, partId === '' ? String(index) : `${partId}.${index}`));
    return part;
  }
  const content = Buffer.from(decodeTransfer(body, header('content-transfer-encoding')), 'latin1');
  if (mimeType === 'message/rfc822') {
    // The enclosed email is shown as a part tree of its own, its headers on its root part.
    part.body = { size: content.length };
    part.parts = [parsePart(content.toString('latin1'), partId === '' ? '0' : `${partId}.0`)];
    return part;
  }
  if (filename) {
    part.body = { size: content.length, attachmentId: `ANGjdJ${createHash('sha256').update(content).update(partId).digest('base64url').slice(0, 40)}` };
    return part;
  }
  part.body = { size: content.length, data: content.toString('base64').replace(/\+/g, '-').replace(/\//g, '_') };
  return part;
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split('\r\n')) {
    if (line.trimEnd() === `${delimiter}--`) break;
    if (line.trimEnd() === delimiter) {
      if (current) parts.push(current.join('\r\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join('\r\n'));
  return parts;
}

function decodeTransfer(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
    case 'quoted-printable':
      return body.replace(/[ \t]+\r\n/g, '\r\n').replace(/=\r\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    default:
      return body;
  }
}

function snippetOf(part: Part): string {
  const leaf = findText(part);
  if (!leaf?.body?.data) return '';
  const charset = parseContentType(leaf.headers?.find((h) => h.name?.toLowerCase() === 'content-type')?.value ?? '').params.charset ?? 'utf-8';
  let text: string;
  try {
    text = new TextDecoder(charset).decode(Buffer.from(leaf.body.data, 'base64'));
  } catch {
    text = Buffer.from(leaf.body.data, 'base64').toString('utf8');
  }
  if (leaf.mimeType === 'text/html') text = text.replace(/<[^>]*>/g, ' ');
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function findText(part: Part): Part | null {
  if (part.mimeType === 'text/plain' || part.mimeType === 'text/html') return part.filename ? null : part;
  if (!part.mimeType?.startsWith('multipart/')) return null;
  for (const child of part.parts ?? []) {
    const found = findText(child);
    if (found) return found;
  }
  return null;
}
