// Signed one-click unsubscribe links (RFC 8058). The token names the organisation and the outbound message (ids
// only, no address) and carries an HMAC, so it cannot be forged or pointed at someone else.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UnsubscribeClaim {
  orgId: string;
  messageId: string;
}

export interface LinkSigner {
  unsubscribeUrl(claim: UnsubscribeClaim): string;
  verifyUnsubscribeToken(token: string): UnsubscribeClaim | null;
}

export function createLinkSigner(options: { publicUrl: string; secret: string }): LinkSigner {
  const sign = (payload: string) => createHmac('sha256', options.secret).update(`unsubscribe:${payload}`).digest('base64url');
  const base = options.publicUrl.replace(/\/+$/, '');
  return {
    unsubscribeUrl(claim) {
      const payload = Buffer.from(JSON.stringify([claim.orgId, claim.messageId])).toString('base64url');
      return `${base}/u/${payload}.${sign(payload)}`;
    },
    verifyUnsubscribeToken(token) {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return null;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const [orgId, messageId] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
        return typeof orgId === 'string' && typeof messageId === 'string' ? { orgId, messageId } : null;
      } catch {
        return null;
      }
    },
  };
}
