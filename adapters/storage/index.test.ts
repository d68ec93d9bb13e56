import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../domain/errors.ts';
import { createFileStorage } from './index.ts';

const supabase = { backend: 'supabase', supabaseUrl: 'http://127.0.0.1:1', supabaseServiceRoleKey: 'key', supabaseBucket: 'files' };

describe('createFileStorage', () => {
  it('picks the backend named by configuration', () => {
    expect(createFileStorage({ backend: 'local', localRootDir: '/tmp/closeloop-files' }).backend).toBe('local');
    expect(createFileStorage(supabase).backend).toBe('supabase');
  });

  it.each([
    [{ backend: 'sftp' }, /CLOSELOOP_STORAGE must be "local" or "supabase", got "sftp"/],
    [{ backend: '' }, /CLOSELOOP_STORAGE/],
    [{ backend: 'local' }, /localRootDir/],
    [{ ...supabase, supabaseUrl: undefined }, /SUPABASE_URL/],
    [{ ...supabase, supabaseServiceRoleKey: '' }, /SUPABASE_SERVICE_ROLE_KEY/],
    [{ ...supabase, supabaseBucket: ' ' }, /SUPABASE_STORAGE_BUCKET/],
  ])('refuses %j with a ConfigurationError', (config, message) => {
    expect(() => createFileStorage(config)).toThrow(ConfigurationError);
    expect(() => createFileStorage(config)).toThrow(message);
  });
});
