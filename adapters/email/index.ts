// Picks the email sender by configuration and fails loudly on anything it cannot use.
import { ConfigurationError } from '../../domain/errors.ts';
import { checkBaseUrl } from '../config-url.ts';
import type { Database } from '../db/session.ts';
import { createOutboxEmailSender } from './outbox.ts';
import type { EmailSender } from './port.ts';
import { createResendEmailSender } from './resend.ts';

export type { AcceptedEmail, DomainStatus, EmailSender, OutgoingEmail } from './port.ts';

export interface EmailSenderConfig {
  /** CLOSELOOP_EMAIL_PROVIDER: 'outbox' (stores, does not send) or 'resend'. */
  provider: string;
  /** RESEND_API_KEY. */
  resendApiKey?: string;
  /** RESEND_BASE_URL: another Resend API origin (a local fake in tests). */
  resendBaseUrl?: string;
  db: Database;
}

export function createEmailSender(config: EmailSenderConfig): EmailSender {
  switch (config.provider) {
    case 'outbox':
      return createOutboxEmailSender({ db: config.db });
    case 'resend': {
      if (!config.resendApiKey?.trim()) {
        throw new ConfigurationError('CLOSELOOP_EMAIL_PROVIDER=resend needs RESEND_API_KEY, which is not set');
      }
      return createResendEmailSender({ apiKey: config.resendApiKey, ...(config.resendBaseUrl?.trim() ? { baseUrl: checkBaseUrl('RESEND_BASE_URL', config.resendBaseUrl) } : {}) });
    }
    default:
      throw new ConfigurationError(`CLOSELOOP_EMAIL_PROVIDER must be "outbox" or "resend", got ${JSON.stringify(config.provider)}`);
  }
}
