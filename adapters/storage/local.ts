// The offline adapter of the embedded default: one file per ref under rootDir, its content type in a sidecar.
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { checkFileRef, newFileRef, sha256Hex, type FileStorage, type StoredFile } from './port.ts';

interface Meta {
  contentType: string;
  size: number;
  sha256: string;
}

export function createLocalFileStorage(options: { rootDir: string }): FileStorage {
  const root = path.resolve(options.rootDir);

  const pathOf = (ref: string): string => {
    const file = path.resolve(root, checkFileRef(ref));
    // The ref check already forbids traversal; this keeps it true if that check is ever loosened.
    if (!file.startsWith(root + path.sep)) throw new ValidationError(`${JSON.stringify(ref)} points outside the storage folder`);
    return file;
  };
  const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
  const notFound = (ref: string, cause: unknown) => new NotFoundError(`No stored file at ${ref}`, { cause });

  return {
    backend: 'local',

    async put(input): Promise<StoredFile> {
      const ref = newFileRef(input);
      const file = pathOf(ref);
      const meta: Meta = { contentType: input.contentType, size: input.body.byteLength, sha256: sha256Hex(input.body) };
      await mkdir(path.dirname(file), { recursive: true });
      // The body first, the sidecar last: a file counts as stored only once its sidecar exists,
      // so a crash in between leaves an orphan body, never a half-written file that get() returns.
      await writeFile(file, input.body, { flag: 'wx' });
      await writeFile(`${file}.meta.json`, JSON.stringify(meta), { flag: 'wx' });
      return { ref, ...meta };
    },

    async get(ref) {
      const file = pathOf(ref);
      try {
        const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as Meta;
        const body = await readFile(file);
        return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), contentType: meta.contentType };
      } catch (error) {
        if (isMissing(error)) throw notFound(ref, error);
        throw error;
      }
    },

    async remove(ref) {
      const file = pathOf(ref);
      try {
        await unlink(`${file}.meta.json`);
      } catch (error) {
        if (isMissing(error)) throw notFound(ref, error);
        throw error;
      }
      await rm(file, { force: true });
    },
  };
}
