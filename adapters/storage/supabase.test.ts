// Drives the real supabase-js client against a local fake of the Supabase Storage REST endpoints it calls:
// POST /storage/v1/object/<bucket>/<key> (upload), GET /storage/v1/object/<bucket>/<key> (download),
// DELETE /storage/v1/object/<bucket> with {"prefixes": [...]} (remove).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { createFileStorage } from './index.ts';
import type { FileStorage } from './port.ts';

const BUCKET = 'closeloop-files';
const KEY = 'service-role-key-for-tests';

type Failure = { status: number; body: unknown } | 'drop';

interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

async function startFakeStorage() {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  // The shapes Supabase Storage answers with: HTTP 400 and the real status in the body.
  const notFound = (res: ServerResponse, what: string) => json(res, 400, { statusCode: '404', error: 'not_found', message: `${what} not found` });

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
    const failure = failures.shift();
    if (failure === 'drop') return req.socket.destroy();
    if (failure) return json(res, failure.status, failure.body);

    const prefix = '/storage/v1/object/';
    if (!url.pathname.startsWith(prefix)) return json(res, 404, { message: 'route not found' });
    const segments = url.pathname.slice(prefix.length).split('/').map(decodeURIComponent);
    if (req.method === 'GET' && segments[0] === 'authenticated') segments.shift();
    const [bucket, ...rest] = segments;
    if (bucket !== BUCKET) return notFound(res, 'Bucket');
    const key = rest.join('/');

    if (req.method === 'POST' && key) {
      if (objects.has(key) && req.headers['x-upsert'] !== 'true') {
        return json(res, 400, { statusCode: '409', error: 'Duplicate', message: 'The resource already exists' });
      }
      objects.set(key, { body, contentType: String(req.headers['content-type']) });
      return json(res, 200, { Id: randomUUID(), Key: `${bucket}/${key}` });
    }
    if (req.method === 'GET' && key) {
      const object = objects.get(key);
      if (!object) return notFound(res, 'Object');
      res.writeHead(200, { 'content-type': object.contentType, 'content-length': object.body.byteLength }).end(object.body);
      return;
    }
    if (req.method === 'DELETE' && !key) {
      const { prefixes } = JSON.parse(body.toString('utf8')) as { prefixes: string[] };
      const removed = prefixes.filter((name) => objects.delete(name)).map((name) => ({ name, bucket_id: bucket }));
      return json(res, 200, removed);
    }
    return json(res, 400, { statusCode: '400', error: 'invalid_request', message: `no fake for ${req.method} ${url.pathname}` });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    failNext: (failure: Failure) => void failures.push(failure),
    reset: () => {
      requests.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const orgId = randomUUID();
const text = (s: string) => new TextEncoder().encode(s);
const csv = (fileName = 'leads.csv') => ({ orgId, kind: 'import' as const, fileName, contentType: 'text/csv', body: text('a,b\n1,2\n') });

describe('Supabase file storage (real supabase-js, fake Storage server)', () => {
  let fake: Awaited<ReturnType<typeof startFakeStorage>>;
  let storage: FileStorage;
  beforeAll(async () => {
    fake = await startFakeStorage();
    storage = createFileStorage({ backend: 'supabase', supabaseUrl: fake.url, supabaseServiceRoleKey: KEY, supabaseBucket: BUCKET });
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await fake?.close();
  });

  it('uploads, downloads and removes, with the service role key and the content type', async () => {
    const body = new Uint8Array(300).map((_, i) => i % 256);
    const stored = await storage.put({ orgId, kind: 'document', fileName: 'offer.pdf', contentType: 'application/pdf', body });
    expect(storage.backend).toBe('supabase');
    expect(stored).toEqual({
      ref: expect.stringMatching(new RegExp(`^org/${orgId}/document/[0-9a-f-]{36}-offer\\.pdf$`)),
      size: 300,
      sha256: createHash('sha256').update(body).digest('hex'),
      contentType: 'application/pdf',
    });

    const upload = fake.requests[0];
    expect(upload).toMatchObject({ method: 'POST', path: `/storage/v1/object/${BUCKET}/${stored.ref}` });
    expect(upload?.headers['content-type']).toBe('application/pdf');
    expect(upload?.headers['x-upsert']).toBe('false');
    expect(fake.objects.get(stored.ref)?.body.equals(Buffer.from(body))).toBe(true);

    const got = await storage.get(stored.ref);
    expect(got.contentType).toBe('application/pdf');
    expect(Array.from(got.body)).toEqual(Array.from(body));

    await storage.remove(stored.ref);
    expect(fake.objects.has(stored.ref)).toBe(false);
    const removal = fake.requests.at(-1);
    expect(removal).toMatchObject({ method: 'DELETE', path: `/storage/v1/object/${BUCKET}` });
    expect(JSON.parse(removal?.body.toString('utf8') ?? '')).toEqual({ prefixes: [stored.ref] });

    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'DELETE']);
    for (const request of fake.requests) {
      expect(request.headers.apikey).toBe(KEY);
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    }
  });

  it('throws NotFoundError for a missing object on get and on remove', async () => {
    const missing = `org/${orgId}/import/${randomUUID()}-nothing.csv`;
    await expect(storage.get(missing)).rejects.toBeInstanceOf(NotFoundError);
    await expect(storage.remove(missing)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses bad input and bad refs before any request is made', async () => {
    await expect(storage.put({ ...csv('../x.csv') })).rejects.toBeInstanceOf(ValidationError);
    await expect(storage.put({ ...csv(), orgId: 'acme' })).rejects.toBeInstanceOf(ValidationError);
    await expect(storage.get(`org/${orgId}/import/../../other-bucket/x`)).rejects.toBeInstanceOf(ValidationError);
    await expect(storage.remove('/etc/passwd')).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests).toEqual([]);
  });

  it('turns a duplicate upload (409 or 400 "Duplicate") into a ValidationError with the provider message', async () => {
    for (const status of [409, 400]) {
      fake.failNext({ status, body: { statusCode: '409', error: 'Duplicate', message: 'The resource already exists' } });
      const attempt = storage.put(csv());
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toThrow(/The resource already exists/);
    }
  });

  it('turns another 4xx into a ValidationError with the provider message', async () => {
    fake.failNext({ status: 400, body: { statusCode: '400', error: 'InvalidKey', message: 'Invalid key: bad/key' } });
    const attempt = storage.put(csv());
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(/Invalid key: bad\/key/);
  });

  it('leaves 5xx, 429 and network failures retryable: a plain Error, neither ValidationError nor NotFoundError', async () => {
    const ref = (await storage.put(csv())).ref;
    const failures: { failure: Parameters<typeof fake.failNext>[0]; run: () => Promise<unknown>; message: RegExp }[] = [
      { failure: { status: 500, body: { statusCode: '500', error: 'internal', message: 'boom' } }, run: () => storage.put(csv()), message: /boom/ },
      { failure: { status: 503, body: { message: 'unavailable' } }, run: () => storage.get(ref), message: /unavailable/ },
      { failure: { status: 502, body: { message: 'bad gateway' } }, run: () => storage.remove(ref), message: /bad gateway/ },
      { failure: { status: 429, body: { statusCode: '429', error: 'too_many', message: 'slow down' } }, run: () => storage.put(csv()), message: /slow down/ },
      { failure: 'drop', run: () => storage.get(ref), message: /failed/ },
    ];
    for (const { failure, run, message } of failures) {
      fake.failNext(failure);
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(failure)).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ValidationError);
      expect(error).not.toBeInstanceOf(NotFoundError);
      expect(error).not.toBeInstanceOf(ConfigurationError);
      expect((error as Error).name).toBe('Error');
      expect((error as Error).message).toMatch(message);
    }
    // The object survived the failed remove.
    expect((await storage.get(ref)).contentType).toBe('text/csv');
  });

  it('names SUPABASE_STORAGE_BUCKET when the bucket does not exist', async () => {
    const wrongBucket = createFileStorage({ backend: 'supabase', supabaseUrl: fake.url, supabaseServiceRoleKey: KEY, supabaseBucket: 'nope' });
    const attempt = wrongBucket.put(csv());
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(/SUPABASE_STORAGE_BUCKET/);
  });
});
