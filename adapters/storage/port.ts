// The file storage port for imports, generated documents and briefs, and the ref rules every adapter applies.
// A ref is a storage key, never a filesystem path: it is checked against one strict shape before any I/O.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../../domain/errors.ts';

export const fileKindSchema = z.enum(['import', 'document', 'brief']);
export type FileKind = z.infer<typeof fileKindSchema>;

export interface PutFileInput {
  orgId: string;
  kind: FileKind;
  fileName: string;
  contentType: string;
  body: Uint8Array;
}

export interface StoredFile {
  ref: string;
  size: number;
  sha256: string;
  contentType: string;
}

export interface FileStorage {
  put(input: PutFileInput): Promise<StoredFile>;
  /** Throws NotFoundError when nothing is stored under the ref. */
  get(ref: string): Promise<{ body: Uint8Array; contentType: string }>;
  /** Throws NotFoundError when nothing is stored under the ref. */
  remove(ref: string): Promise<void>;
  readonly backend: 'local' | 'supabase';
}

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const uuidPattern = new RegExp(`^${uuid}$`, 'i');
const refPattern = new RegExp(`^org/${uuid}/(${fileKindSchema.options.join('|')})/${uuid}-[A-Za-z0-9._-]{1,200}$`);
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f-\u009f]/;
const contentTypePattern = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;.*)?$/i;

/** Checks the input and returns a new, unique ref for it. */
export function newFileRef(input: PutFileInput): string {
  const { orgId, kind, fileName, contentType, body } = input;
  if (typeof orgId !== 'string' || !uuidPattern.test(orgId)) throw new ValidationError(`orgId must be a uuid, got ${JSON.stringify(orgId)}`);
  if (!fileKindSchema.safeParse(kind).success) {
    throw new ValidationError(`kind must be one of ${fileKindSchema.options.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  if (typeof fileName !== 'string' || fileName.length < 1 || fileName.length > 200) {
    throw new ValidationError('fileName must be 1 to 200 characters long');
  }
  if (/[/\\]/.test(fileName) || fileName.includes('..') || controlChars.test(fileName)) {
    throw new ValidationError(`fileName ${JSON.stringify(fileName)} is not allowed: no "/", "\\", ".." or control characters`);
  }
  if (typeof contentType !== 'string' || contentType.length > 255 || !contentTypePattern.test(contentType) || controlChars.test(contentType)) {
    throw new ValidationError(`contentType ${JSON.stringify(contentType)} is not a media type such as "text/csv"`);
  }
  if (!(body instanceof Uint8Array)) throw new ValidationError('body must be a Uint8Array');
  // Keys keep only characters every backend and URL accept as they are (Supabase refuses many others);
  // the uuid makes the key unique, the name only helps a person reading a listing.
  const safeName = Array.from(fileName, (c) => (/^[A-Za-z0-9._-]$/.test(c) ? c : '_')).join('');
  return `org/${orgId.toLowerCase()}/${kind}/${randomUUID()}-${safeName}`;
}

/** Returns the ref when it has the one shape newFileRef produces; anything else (e.g. traversal) is refused. */
export function checkFileRef(ref: string): string {
  if (typeof ref !== 'string' || !refPattern.test(ref) || ref.includes('..')) {
    throw new ValidationError(`${JSON.stringify(ref)} is not a file ref (org/<orgId>/<kind>/<uuid>-<name>)`);
  }
  return ref;
}

export function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}
