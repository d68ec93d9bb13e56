// Named errors shared by activities, the API and workflows. Across the workflow sandbox a failure is
// recognised by its `type` (the error's name), never by instanceof.

/** Input broke a rule; retrying the same input cannot help. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}

/** The thing asked for does not exist (or is not visible to the caller). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** A business rule forbids the action (e.g. sending is paused, the contact is suppressed). */
export class PolicyViolationError extends Error {
  override readonly name = 'PolicyViolationError';
}

/** Configuration is missing or wrong; an operator must fix it. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** A provider refused a request for a reason a retry cannot change (invalid address, unverified domain…). */
export class ProviderRejectedError extends Error {
  override readonly name = 'ProviderRejectedError';
}

/** A send was reserved long ago and never confirmed: a human must look, it is never re-sent automatically. */
export class StaleReservationError extends Error {
  override readonly name = 'StaleReservationError';
}

/** The AI model refused, or answered with something unusable as an email: a person writes this one. */
export class AiRefusedError extends Error {
  override readonly name = 'AiRefusedError';
}

/** The model's answer was not JSON (cut off or broken): retrying the same call is unlikely to help. */
export class AiMalformedOutputError extends Error {
  override readonly name = 'AiMalformedOutputError';
}

/** The model's JSON does not fit the schema asked for: nothing from it is used. */
export class AiSchemaMismatchError extends Error {
  override readonly name = 'AiSchemaMismatchError';
}

/** The provider said "too many requests" (429): retryable; `retryAfterMs` when it said how long to wait. */
export class AiRateLimitedError extends Error {
  override readonly name = 'AiRateLimitedError';
  constructor(message: string, readonly retryAfterMs: number | null = null) {
    super(message);
  }
}

/** The provider did not answer in time: retryable. */
export class AiTimeoutError extends Error {
  override readonly name = 'AiTimeoutError';
}

/** A connected mailbox lost its authorisation (token revoked or expired for good): the rep must reconnect. */
export class MailboxDisconnectedError extends Error {
  override readonly name = 'MailboxDisconnectedError';
}

/** Failure types that Temporal must not retry: the same attempt would fail the same way. */
export const NON_RETRYABLE_ERROR_TYPES = [
  ValidationError.name,
  NotFoundError.name,
  PolicyViolationError.name,
  ConfigurationError.name,
  ProviderRejectedError.name,
  StaleReservationError.name,
  AiRefusedError.name,
  AiMalformedOutputError.name,
  AiSchemaMismatchError.name,
  MailboxDisconnectedError.name,
] as const;
