// Gmail push notifications arrive from Pub/Sub as an authenticated push: a Google-signed OIDC token in
// `Authorization: Bearer …`. It is verified before anything else: signature (Google's JWKS), issuer, audience (the
// push endpoint's configured audience), expiry, and that `email` is the configured push service account with
// `email_verified`. Then the Pub/Sub envelope's base64 `message.data` decodes to `{ emailAddress, historyId }`.
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

export const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];
export const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';

export interface PushVerifierOptions {
  audience: string;
  serviceAccountEmail: string;
  /** Google's certificates; a local JWKS in tests. */
  jwksUrl?: string;
  /** Instead of a URL (tests): a key resolver. */
  keys?: JWTVerifyGetKey;
}

const envelopeSchema = z.object({
  message: z.object({ data: z.string().min(1), messageId: z.string().min(1).max(200), publishTime: z.string().optional() }),
  subscription: z.string().max(300).optional(),
});
const notificationSchema = z.object({ emailAddress: z.email(), historyId: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String) });

export type PushVerdict =
  | { ok: true; messageId: string; emailAddress: string; historyId: string }
  | { ok: false; status: 401 | 400; reason: string };

export function createPushVerifier(options: PushVerifierOptions) {
  const keys = options.keys ?? createRemoteJWKSet(new URL(options.jwksUrl ?? GOOGLE_JWKS_URL));
  return {
    async verify(authorization: string | undefined, body: unknown): Promise<PushVerdict> {
      const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
      if (!token) return { ok: false, status: 401, reason: 'no bearer token' };
      try {
        const { payload } = await jwtVerify(token, keys, { issuer: GOOGLE_ISSUERS, audience: options.audience, algorithms: ['RS256'] });
        if (payload.email !== options.serviceAccountEmail || payload.email_verified !== true) {
          return { ok: false, status: 401, reason: 'the token was not issued to the configured push service account' };
        }
      } catch (err) {
        return { ok: false, status: 401, reason: `the token does not verify (${err instanceof Error ? err.message : String(err)})` };
      }
      const envelope = envelopeSchema.safeParse(body);
      if (!envelope.success) return { ok: false, status: 400, reason: 'not a Pub/Sub push envelope' };
      let data: unknown;
      try {
        data = JSON.parse(Buffer.from(envelope.data.message.data, 'base64').toString('utf8'));
      } catch {
        return { ok: false, status: 400, reason: 'message.data is not base64 JSON' };
      }
      const notification = notificationSchema.safeParse(data);
      if (!notification.success) return { ok: false, status: 400, reason: 'message.data is not a Gmail notification { emailAddress, historyId }' };
      return { ok: true, messageId: envelope.data.message.messageId, emailAddress: notification.data.emailAddress.toLowerCase(), historyId: notification.data.historyId };
    },
  };
}

export type PushVerifier = ReturnType<typeof createPushVerifier>;
