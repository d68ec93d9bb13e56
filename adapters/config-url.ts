// One check for every "another endpoint" setting (RESEND_BASE_URL, OPENAI_BASE_URL, …): an http(s) URL, or a
// ConfigurationError naming the variable.
import { ConfigurationError } from '../domain/errors.ts';

export function checkBaseUrl(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigurationError(`${variable} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigurationError(`${variable} must be an http(s) URL, got ${JSON.stringify(value)}`);
  return value.trim();
}
