// Supabase Storage through supabase-js. It answers { data, error } instead of throwing; here every error becomes
// a thrown, named error so Temporal retries only what can succeed on a later attempt.
import { createClient, StorageApiError } from '@supabase/supabase-js';
import { ConfigurationError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { checkFileRef, newFileRef, sha256Hex, type FileStorage } from './port.ts';

export interface SupabaseFileStorageOptions {
  url: string;
  serviceRoleKey: string;
  bucket: string;
  fetch?: typeof fetch;
}

export function createSupabaseFileStorage(options: SupabaseFileStorageOptions): FileStorage {
  const client = createClient(options.url, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    ...(options.fetch ? { global: { fetch: options.fetch } } : {}),
  });
  const bucket = () => client.storage.from(options.bucket);

  const fail = (action: string, ref: string, error: unknown): Error => {
    if (!(error instanceof StorageApiError)) {
      return new Error(`Supabase Storage ${action} ${ref} failed: ${errorMessage(error)}`, { cause: error });
    }
    const { status, message } = error;
    const text = `Supabase Storage ${action} ${ref}: ${message} (HTTP ${status})`;
    if (/bucket not found/i.test(message)) {
      return new ConfigurationError(`${text}; check SUPABASE_STORAGE_BUCKET (${options.bucket})`, { cause: error });
    }
    // Supabase answers a missing object with 400 and "Object not found" (statusCode "404" in the body).
    if ((status === 400 || status === 404) && (/not found/i.test(message) || error.statusCode === '404')) {
      return new NotFoundError(text, { cause: error });
    }
    // A timeout or rate limit passes with time: leave it retryable although it is a 4xx.
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) return new ValidationError(text, { cause: error });
    return new Error(text, { cause: error });
  };

  return {
    backend: 'supabase',

    async put(input) {
      const ref = newFileRef(input);
      const { error } = await attempt(() => bucket().upload(ref, input.body, { contentType: input.contentType, upsert: false }));
      if (error) throw fail('upload', ref, error);
      return { ref, size: input.body.byteLength, sha256: sha256Hex(input.body), contentType: input.contentType };
    },

    async get(ref) {
      checkFileRef(ref);
      const { data, error } = await attempt(() => bucket().download(ref));
      if (error) throw fail('download', ref, error);
      if (!data) throw new Error(`Supabase Storage download ${ref} returned no body`);
      return { body: new Uint8Array(await data.arrayBuffer()), contentType: data.type || 'application/octet-stream' };
    },

    async remove(ref) {
      checkFileRef(ref);
      const { data, error } = await attempt(() => bucket().remove([ref]));
      if (error) throw fail('remove', ref, error);
      // Supabase answers a missing object with 200 and an empty list of removed objects.
      if (!data || data.length === 0) throw new NotFoundError(`No stored file at ${ref}`);
    },
  };
}

// supabase-js rethrows what it does not recognise as a storage error; fold that into { error } too.
async function attempt<T>(run: () => PromiseLike<{ data: T | null; error: unknown }>): Promise<{ data: T | null; error: unknown }> {
  try {
    return await run();
  } catch (error) {
    return { data: null, error };
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
