// Input checks shared by the drafters: a bad request fails here, before any model is paid to look at it.
import { ValidationError } from '../../domain/errors.ts';
import type { EmailText } from './port.ts';

export const SUBJECT_MAX = 300;
export const BODY_MAX = 20_000;
export const INSTRUCTIONS_MAX = 4_000;

export function checkEmailText(text: EmailText, what: string): void {
  if (typeof text?.subject !== 'string' || !text.subject.trim()) throw new ValidationError(`${what} needs a subject`);
  if (typeof text.body !== 'string' || !text.body.trim()) throw new ValidationError(`${what} needs a body`);
  if (text.subject.length > SUBJECT_MAX) throw new ValidationError(`${what} subject is longer than ${SUBJECT_MAX} characters`);
  if (text.body.length > BODY_MAX) throw new ValidationError(`${what} body is longer than ${BODY_MAX} characters`);
}

export function checkInstructions(instructions: string): void {
  if (typeof instructions !== 'string' || !instructions.trim()) throw new ValidationError('a rewrite needs instructions');
  if (instructions.length > INSTRUCTIONS_MAX) throw new ValidationError(`instructions are longer than ${INSTRUCTIONS_MAX} characters`);
}
