// Picks the file storage by configuration and fails loudly on anything it cannot use.
import { ConfigurationError } from '../../domain/errors.ts';
import { createLocalFileStorage } from './local.ts';
import type { FileStorage } from './port.ts';
import { createSupabaseFileStorage } from './supabase.ts';

export type { FileKind, FileStorage, PutFileInput, StoredFile } from './port.ts';

export interface FileStorageConfig {
  /** CLOSELOOP_STORAGE: 'local' or 'supabase'. */
  backend: string;
  localRootDir?: string;
  supabaseUrl?: string;
  supabaseServiceRoleKey?: string;
  supabaseBucket?: string;
}

export function createFileStorage(config: FileStorageConfig): FileStorage {
  switch (config.backend) {
    case 'local':
      return createLocalFileStorage({
        rootDir: required(config.localRootDir, 'the local storage folder (localRootDir, normally under CLOSELOOP_DATA_DIR)'),
      });
    case 'supabase':
      return createSupabaseFileStorage({
        url: required(config.supabaseUrl, 'SUPABASE_URL'),
        serviceRoleKey: required(config.supabaseServiceRoleKey, 'SUPABASE_SERVICE_ROLE_KEY'),
        bucket: required(config.supabaseBucket, 'SUPABASE_STORAGE_BUCKET'),
      });
    default:
      throw new ConfigurationError(`CLOSELOOP_STORAGE must be "local" or "supabase", got ${JSON.stringify(config.backend)}`);
  }
}

function required(value: string | undefined, name: string): string {
  if (!value?.trim()) throw new ConfigurationError(`CLOSELOOP_STORAGE needs ${name}, which is not set`);
  return value;
}
