import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { createFileStorage } from './index.ts';
import type { FileStorage } from './port.ts';

const orgA = randomUUID();
const orgB = randomUUID();
const text = (s: string) => new TextEncoder().encode(s);

describe('local file storage', () => {
  let rootDir: string;
  let storage: FileStorage;
  beforeAll(async () => {
    rootDir = await mkdtemp(path.join(tmpdir(), 'closeloop-storage-'));
    storage = createFileStorage({ backend: 'local', localRootDir: rootDir });
  });
  afterAll(async () => {
    if (rootDir) await rm(rootDir, { recursive: true, force: true });
  });

  it('stores and returns the bytes and content type, with size and sha256', async () => {
    const body = text('name,email\nAda,ada@example.com\n');
    const stored = await storage.put({ orgId: orgA, kind: 'import', fileName: 'leads.csv', contentType: 'text/csv', body });
    expect(storage.backend).toBe('local');
    expect(stored.ref).toMatch(new RegExp(`^org/${orgA}/import/[0-9a-f-]{36}-leads\\.csv$`));
    expect(stored.size).toBe(body.byteLength);
    expect(stored.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(stored.contentType).toBe('text/csv');

    const got = await storage.get(stored.ref);
    expect(got.contentType).toBe('text/csv');
    expect(Buffer.from(got.body).equals(Buffer.from(body))).toBe(true);
    expect(JSON.parse(await readFile(path.join(rootDir, `${stored.ref}.meta.json`), 'utf8'))).toMatchObject({ contentType: 'text/csv' });
  });

  it('keeps binary bodies byte for byte and gives each put its own ref', async () => {
    const body = new Uint8Array(256).map((_, i) => i);
    const first = await storage.put({ orgId: orgA, kind: 'document', fileName: 'offer.pdf', contentType: 'application/pdf', body });
    const second = await storage.put({ orgId: orgA, kind: 'document', fileName: 'offer.pdf', contentType: 'application/pdf', body });
    expect(second.ref).not.toBe(first.ref);
    expect(Array.from((await storage.get(first.ref)).body)).toEqual(Array.from(body));
  });

  it('keeps a name with unusual characters readable but safe in the ref', async () => {
    const stored = await storage.put({ orgId: orgA, kind: 'brief', fileName: 'Brief für Ada?.md', contentType: 'text/markdown; charset=utf-8', body: text('# Hi') });
    expect(stored.ref).toMatch(/-Brief_f_r_Ada_\.md$/);
    expect((await storage.get(stored.ref)).contentType).toBe('text/markdown; charset=utf-8');
  });

  it('throws NotFoundError for a missing ref, and after remove', async () => {
    const missing = `org/${orgA}/import/${randomUUID()}-nothing.csv`;
    await expect(storage.get(missing)).rejects.toBeInstanceOf(NotFoundError);
    await expect(storage.remove(missing)).rejects.toBeInstanceOf(NotFoundError);

    const stored = await storage.put({ orgId: orgA, kind: 'import', fileName: 'gone.csv', contentType: 'text/csv', body: text('x') });
    await storage.remove(stored.ref);
    await expect(storage.get(stored.ref)).rejects.toBeInstanceOf(NotFoundError);
    await expect(storage.remove(stored.ref)).rejects.toBeInstanceOf(NotFoundError);
    await expect(stat(path.join(rootDir, stored.ref))).rejects.toThrow(/ENOENT/);
  });

  it('refuses refs that are not storage refs, traversal above all', async () => {
    const refs = [
      '../../etc/passwd',
      '/etc/passwd',
      `org/${orgA}/import/../../../../etc/passwd`,
      `org/${orgA}/import/${randomUUID()}-..`,
      `org/${orgA}/import/${randomUUID()}-a/../../b`,
      `org/${orgA}/secrets/${randomUUID()}-a.csv`,
      `org/not-a-uuid/import/${randomUUID()}-a.csv`,
      `org/${orgA}/import/${randomUUID()}-a.csv\u0000`,
      `org\\${orgA}\\import\\${randomUUID()}-a.csv`,
      '',
    ];
    for (const ref of refs) {
      await expect(storage.get(ref), ref).rejects.toBeInstanceOf(ValidationError);
      await expect(storage.remove(ref), ref).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('refuses unsafe file names, a bad orgId, kind or content type with a clear ValidationError', async () => {
    const base = { orgId: orgA, kind: 'import' as const, fileName: 'a.csv', contentType: 'text/csv', body: text('x') };
    const cases: [Partial<typeof base> | Record<string, unknown>, RegExp][] = [
      [{ fileName: '../a.csv' }, /fileName/],
      [{ fileName: 'a/b.csv' }, /fileName/],
      [{ fileName: 'a\\b.csv' }, /fileName/],
      [{ fileName: '..' }, /fileName/],
      [{ fileName: 'a\nb.csv' }, /fileName/],
      [{ fileName: 'a\u0000.csv' }, /fileName/],
      [{ fileName: '' }, /fileName must be 1 to 200/],
      [{ fileName: 'a'.repeat(201) }, /fileName must be 1 to 200/],
      [{ orgId: 'not-a-uuid' }, /orgId must be a uuid/],
      [{ orgId: '../..' }, /orgId must be a uuid/],
      [{ kind: 'secrets' }, /kind must be one of import, document, brief/],
      [{ contentType: '' }, /contentType/],
      [{ contentType: 'text/csv\r\nX-Evil: 1' }, /contentType/],
    ];
    for (const [override, message] of cases) {
      const attempt = storage.put({ ...base, ...override } as typeof base);
      await expect(attempt, JSON.stringify(override)).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt, JSON.stringify(override)).rejects.toThrow(message);
    }
    await expect(storage.put({ ...base, fileName: 'a'.repeat(200) })).resolves.toMatchObject({ size: 1 });
  });

  it("keeps two orgs' files apart", async () => {
    const a = await storage.put({ orgId: orgA, kind: 'import', fileName: 'list.csv', contentType: 'text/csv', body: text('org a') });
    const b = await storage.put({ orgId: orgB, kind: 'import', fileName: 'list.csv', contentType: 'text/csv', body: text('org b') });
    expect(a.ref.startsWith(`org/${orgA}/`)).toBe(true);
    expect(b.ref.startsWith(`org/${orgB}/`)).toBe(true);
    expect(new TextDecoder().decode((await storage.get(a.ref)).body)).toBe('org a');
    expect(new TextDecoder().decode((await storage.get(b.ref)).body)).toBe('org b');
    expect((await stat(path.join(rootDir, 'org', orgB, 'import'))).isDirectory()).toBe(true);

    await storage.remove(a.ref);
    expect(new TextDecoder().decode((await storage.get(b.ref)).body)).toBe('org b');
  });
});
