// The mailbox port, in domain terms: connect a rep's Gmail (OAuth), keep a push watch on it, read what changed since
// a history id, read one message as an inbound message, and put an approved email into the rep's drafts. Adapters:
// the real one (@googleapis/gmail + Google's OAuth endpoints; tests drive it against a local fake through `rootUrl`
// and a token URL), and none offline: the embedded default has no Gmail, and the API says so.
import type { InboundMessage } from '../../domain/reply-classification.ts';

export interface OAuthTokens {
  accessToken: string;
  /** Absent when Google did not issue a new one (refreshes usually keep the old). */
  refreshToken: string | null;
  expiresAtMs: number;
  scopes: string[];
}

/** One message as Closeloop needs it: enough to match it to our emails and to classify it. */
export interface MailboxMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  /** RFC 5322 Message-ID, In-Reply-To and References (ids without surrounding spaces; References split). */
  rfcMessageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** For the reply classifier: all headers, subject, the plain text (from text/plain, else stripped HTML), from. */
  inbound: InboundMessage;
  /** For bounces (DSN, multipart/report): the recipients reported as failed, with their status code (e.g. 5.1.1). */
  failedRecipients: Array<{ address: string; status: string | null }>;
}

export type HistoryPage =
  | { kind: 'changes'; messageIds: string[]; historyId: string }
  /** Gmail answered 404 for the start id: it is too old; the caller does a full resync. */
  | { kind: 'too_old' };

export interface DraftRequest {
  threadId: string | null;
  /** RFC 5322 fields of the email to draft; `headers` carries In-Reply-To/References and the idempotency key. */
  from: string;
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
}

export interface MailboxClient {
  /** users.watch on INBOX with the configured Pub/Sub topic; returns the history id and when the watch ends. */
  watch(topicName: string): Promise<{ historyId: string; expirationMs: number }>;
  stopWatch(): Promise<void>;
  /** users.history.list (messageAdded) from `startHistoryId`, all pages. */
  history(startHistoryId: string): Promise<HistoryPage>;
  /** The mailbox's current history id (users.getProfile) and the ids of messages received after `sinceMs`. */
  recentMessages(sinceMs: number): Promise<{ historyId: string; messageIds: string[] }>;
  getMessage(id: string): Promise<MailboxMessage>;
  /** The id of an existing draft carrying `X-Closeloop-Key: <key>`, if any (drafts have no idempotency key). */
  findDraft(key: string): Promise<{ draftId: string; messageId: string; threadId: string } | null>;
  createDraft(request: DraftRequest & { key: string }): Promise<{ draftId: string; messageId: string; threadId: string }>;
}

export interface GmailConnector {
  /** The consent URL for a rep (offline access, minimal scopes), carrying a signed `state`. */
  consentUrl(state: string): string;
  exchangeCode(code: string): Promise<OAuthTokens & { emailAddress: string }>;
  refresh(refreshToken: string): Promise<OAuthTokens>;
  revoke(token: string): Promise<void>;
  /** A client for one mailbox, authorised with a current access token. */
  client(accessToken: string): MailboxClient;
}

/** Gmail scopes Closeloop asks for: read (history, messages) and compose (drafts). Never send or full access. */
export const GMAIL_SCOPES = ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.compose'] as const;
