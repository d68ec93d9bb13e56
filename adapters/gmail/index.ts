// Gmail from configuration: all of GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GOOGLE_REDIRECT_URI and
// CLOSELOOP_TOKEN_KEY, or none (the embedded default: no Gmail, and the API answers 503 saying what to set).
// GMAIL_PUSH_TOPIC turns on push (users.watch); with it, GMAIL_PUSH_AUDIENCE and GMAIL_PUSH_SERVICE_ACCOUNT verify
// the pushes. The *_URL variables point at other endpoints (local fakes in tests).
import { ConfigurationError } from '../../domain/errors.ts';
import { createTokenCipher, type TokenCipher } from '../secrets/token-cipher.ts';
import { createGmailConnector } from './gmail.ts';
import type { GmailConnector } from './port.ts';
import { createPushVerifier, type PushVerifier } from './push-verifier.ts';

export interface GmailConfig {
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  tokenKey?: string;
  pushTopic?: string;
  pushAudience?: string;
  pushServiceAccount?: string;
  apiRootUrl?: string;
  oauthAuthorizeUrl?: string;
  oauthTokenUrl?: string;
  oauthRevokeUrl?: string;
  oidcJwksUrl?: string;
}

export interface GmailSetup {
  connector: GmailConnector;
  cipher: TokenCipher;
  pushTopic: string | null;
  push: PushVerifier | null;
}

const set = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

export function createGmailSetup(config: GmailConfig): GmailSetup | null {
  const required = { GOOGLE_CLIENT_ID: set(config.clientId), GOOGLE_CLIENT_SECRET: set(config.clientSecret), GOOGLE_REDIRECT_URI: set(config.redirectUri), CLOSELOOP_TOKEN_KEY: set(config.tokenKey) };
  const missing = Object.entries(required).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length === 4) return null;
  if (missing.length > 0) throw new ConfigurationError(`Gmail is half configured: set ${missing.join(', ')} as well (or none of them)`);
  const pushTopic = set(config.pushTopic) ?? null;
  let push: PushVerifier | null = null;
  if (pushTopic) {
    const audience = set(config.pushAudience);
    const serviceAccount = set(config.pushServiceAccount);
    if (!audience || !serviceAccount) throw new ConfigurationError('GMAIL_PUSH_TOPIC needs GMAIL_PUSH_AUDIENCE and GMAIL_PUSH_SERVICE_ACCOUNT to verify the pushes');
    push = createPushVerifier({ audience, serviceAccountEmail: serviceAccount, ...(set(config.oidcJwksUrl) ? { jwksUrl: set(config.oidcJwksUrl) } : {}) });
  }
  return {
    connector: createGmailConnector({
      clientId: required.GOOGLE_CLIENT_ID!, clientSecret: required.GOOGLE_CLIENT_SECRET!, redirectUri: required.GOOGLE_REDIRECT_URI!,
      ...(set(config.apiRootUrl) ? { apiRootUrl: set(config.apiRootUrl) } : {}),
      ...(set(config.oauthAuthorizeUrl) ? { oauthAuthorizeUrl: set(config.oauthAuthorizeUrl) } : {}),
      ...(set(config.oauthTokenUrl) ? { oauthTokenUrl: set(config.oauthTokenUrl) } : {}),
      ...(set(config.oauthRevokeUrl) ? { oauthRevokeUrl: set(config.oauthRevokeUrl) } : {}),
    }),
    cipher: createTokenCipher(required.CLOSELOOP_TOKEN_KEY),
    pushTopic,
    push,
  };
}

/** The same variables, read from an environment. */
export function gmailConfigFromEnv(env: Record<string, string | undefined>): GmailConfig {
  return {
    clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET, redirectUri: env.GOOGLE_REDIRECT_URI, tokenKey: env.CLOSELOOP_TOKEN_KEY,
    pushTopic: env.GMAIL_PUSH_TOPIC, pushAudience: env.GMAIL_PUSH_AUDIENCE, pushServiceAccount: env.GMAIL_PUSH_SERVICE_ACCOUNT,
    apiRootUrl: env.GMAIL_API_ROOT_URL, oauthAuthorizeUrl: env.GOOGLE_OAUTH_AUTHORIZE_URL, oauthTokenUrl: env.GOOGLE_OAUTH_TOKEN_URL, oauthRevokeUrl: env.GOOGLE_OAUTH_REVOKE_URL,
    oidcJwksUrl: env.GOOGLE_OIDC_JWKS_URL,
  };
}
