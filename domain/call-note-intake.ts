// What a call note arrives as, from the API, the UI or a call recorder's signed hook: the text, its format (or
// detected), when the call was, and what it is about — a deal, an account or a contact, or participants' addresses
// to find them by. Pure.
import { z } from 'zod';

import { emailSchema } from './objects.ts';
import { TRANSCRIPT_MAX_CHARS, transcriptFormatSchema } from './transcript.ts';

const timestamp = z.iso.datetime({ offset: true });

export const callParticipantSchema = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(emailSchema).nullable().default(null),
  name: z.string().min(1).max(200).nullable().default(null),
});

export const callNoteIntakeSchema = z.strictObject({
  text: z.string().min(1).max(TRANSCRIPT_MAX_CHARS),
  /** plain, speaker ("Name: text" lines), webvtt or srt; detected when null. */
  format: transcriptFormatSchema.nullable().default(null),
  title: z.string().min(1).max(300).nullable().default(null),
  /** When the call took place; now when null. Relative times ("next Tuesday") are read from it. */
  occurredAt: timestamp.nullable().default(null),
  dealId: z.uuid().nullable().default(null),
  accountId: z.uuid().nullable().default(null),
  contactId: z.uuid().nullable().default(null),
  /** Who was on the call; the buyer's addresses find the contact (and their account and open deal) when no ids are given. */
  participants: z.array(callParticipantSchema).max(50).default([]),
});
export type CallNoteIntake = z.infer<typeof callNoteIntakeSchema>;
