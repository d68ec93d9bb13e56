import { describe, expect, it } from 'vitest';
import { loadTemporalConfig } from './temporal.config.ts';

describe('loadTemporalConfig', () => {
  it('defaults to a local server started by the dev stack, no TLS', () => {
    const c = loadTemporalConfig({});
    expect(c).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'closeloop-processes', apiKey: undefined, tls: false });
    expect(c.searchAttributes.map((k) => k.name)).toEqual(['OrgId', 'AccountId', 'ContactId', 'DealId', 'Playbook', 'ProcessStatus', 'Owner']);
  });

  it.each([
    [{ TEMPORAL_API_KEY: 'k' }, {}],
    [{ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }, false],
    [{ TEMPORAL_TLS: 'true', TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }, { serverNameOverride: 'temporal.internal' }],
  ])('infers TLS from %j', (env, tls) => {
    expect(loadTemporalConfig(env).tls).toEqual(tls);
  });

  it('takes Temporal Cloud settings', () => {
    const c = loadTemporalConfig({ TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'acme.a1b2c', TEMPORAL_API_KEY: 'secret' });
    expect(c).toMatchObject({ address: 'acme.a1b2c.tmprl.cloud:7233', namespace: 'acme.a1b2c', apiKey: 'secret', tls: {} });
  });

  it('refuses half a client certificate and unknown TLS values, naming the variable', () => {
    expect(() => loadTemporalConfig({ TEMPORAL_TLS_CERT_PATH: '/x.pem' })).toThrow(/TEMPORAL_TLS_KEY_PATH/);
    expect(() => loadTemporalConfig({ TEMPORAL_TLS: 'yes' })).toThrow(/TEMPORAL_TLS/);
  });
});
