// What an inbound message is: a person's reply, an out-of-office, another automatic answer, a bounce, or a
// request to stop. The follow-up cadence stops on a reply, pauses on an out-of-office until the return date, and
// the inbox shows `evidence` — the header or phrase that decided — so a person can see why.
//
// Order matters: a bounce is also automatic, and an auto-reply may carry an unsubscribe footer, so bounces come
// first, then spam complaints, then automatic answers, then requests to stop; everything else is a reply.
// Only the sender's own words count for phrases: the quoted thread below (">" lines, "On … wrote:", Outlook's
// "From:/Sent:" block) and the signature are cut off first, so a reply that quotes an out-of-office, or our own
// unsubscribe footer, stays a reply.
import { z } from 'zod';

import { type ChronoLanguage, type WallTime, type Zone, addDays, parseDates, wallTimeAt, zonedTimeToMs } from './zoned-time.ts';
import { timeZoneSchema } from './objects.ts';

export const inboundMessageSchema = z.object({
  /** Header names in any case. */
  headers: z.record(z.string(), z.string()),
  subject: z.string(),
  text: z.string(),
  from: z.string(),
  receivedAtMs: z.number().int(),
  /** The sender's IANA zone if known; otherwise the Date header's offset is used, else UTC. */
  timeZone: timeZoneSchema.nullable(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export const replyKindSchema = z.enum(['reply', 'out_of_office', 'auto_reply', 'bounce', 'unsubscribe_request']);
export type ReplyKind = z.infer<typeof replyKindSchema>;
export const bounceTypeSchema = z.enum(['hard', 'soft']);
export type BounceType = z.infer<typeof bounceTypeSchema>;

export const replyClassificationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reply') }),
  z.object({ kind: z.literal('out_of_office'), returnsAtMs: z.number().int().nullable(), evidence: z.string() }),
  z.object({ kind: z.literal('auto_reply'), evidence: z.string() }),
  z.object({ kind: z.literal('bounce'), bounceType: bounceTypeSchema, evidence: z.string() }),
  z.object({ kind: z.literal('unsubscribe_request'), evidence: z.string() }),
]);
export type ReplyClassification = z.infer<typeof replyClassificationSchema>;

// ---------------------------------------------------------------------------------------------------------
// Phrase tables. Word edges are Unicode-aware (JS's \b is ASCII-only: "désabonner", "Büro").

interface Phrase {
  pattern: RegExp;
  language: ChronoLanguage;
}

function phrases(language: ChronoLanguage, ...alternatives: string[]): Phrase[] {
  // Typographic apostrophes too: "don’t", "I’m", "m’envoyer".
  return alternatives.map((alternative) => ({
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternative.replaceAll("'", "['’]")})(?![\\p{L}\\p{N}])`, 'iu'),
    language,
  }));
}

// Subjects are matched at their start only (after gateway tags like "[EXTERNAL]"), so "RE: Automatic reply: …",
// a person answering an auto-reply, does not count.
function subjectStarts(...alternatives: string[]): RegExp {
  return new RegExp(`^\\s*(?:\\[[^\\]]*\\]\\s*)*(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

const bounceSubject = subjectStarts(
  'undelivered mail returned to sender',
  'undeliver(?:able|ed)',
  'delivery status notification',
  'mail delivery (?:failed|failure|problem)',
  'delivery (?:failure|has failed|failed)',
  'failure notice',
  'returned mail',
  'mail system error',
  'delayed mail',
  '(?:message )?delivery delayed',
  'warning: (?:message|could not send)',
  'unzustellbar',
  'nicht zustellbar',
  'zustellung fehlgeschlagen',
  'non remis',
  'non distribuable',
  'échec de (?:la )?remise',
  'no se puede entregar',
  'no entregado',
  'onbestelbaar',
  'niet afgeleverd',
);

const outOfOfficeSubject = subjectStarts(
  'out of (?:the )?office',
  'out-of-office',
  'ooo',
  'abwesenheitsnotiz',
  'abwesenheit',
  'abwesend',
  'absence du bureau',
  'absent(?:e)?',
  'fuera de (?:la )?oficina',
  'ausente',
  'afwezig',
  'niet aanwezig',
  'on (?:vacation|holiday|leave)',
  'im urlaub',
  'en vacances',
  'de vacaciones',
  'op vakantie',
);

const autoSubject = subjectStarts(
  'automatic reply',
  'auto(?:matic)?[- ]?(?:reply|response|answer)',
  'autoreply',
  'autorespon(?:se|der)',
  'auto:',
  'automatische antwort',
  'automatische rückantwort',
  'réponse automatique',
  'respuesta automática',
  'automatisch antwoord',
  // Read receipts (Outlook "Read:", "Gelesen:", …).
  '(?:not )?read:',
  '(?:un)?gelesen:',
  'lu ?:',
  'leído:',
  'gelezen:',
);

const outOfOfficeText: Phrase[] = [
  ...phrases('en', 'out of (?:the )?office', 'out-of-office', 'ooo', 'on (?:annual |parental |maternity |paternity |sick |medical )?leave', 'on (?:vacation|holiday|holidays|sabbatical)', '(?:currently |presently )?away (?:from (?:the |my )?(?:office|desk)|until|till|through)', "(?:i am|i'm|i will be|i'll be) (?:away|out|travelling|traveling|off)", 'not in the office', 'limited access to (?:my )?e-?mail', 'will be back', 'return(?:ing)? (?:on|to the office)', 'back in the office'),
  ...phrases('de', 'abwesenheit(?:snotiz)?', 'nicht im büro', 'außer haus', 'abwesend', 'im urlaub', 'urlaubsbedingt', 'nicht erreichbar', 'wieder erreichbar', 'wieder im büro', 'elternzeit', 'dienstreise'),
  ...phrases('fr', 'absente?', 'absence', 'en congés?', 'en vacances', 'hors du bureau', 'de retour (?:le|au bureau|à partir)', 'congé maternité', 'congé parental'),
  ...phrases('es', 'fuera de (?:la )?oficina', 'ausente', 'de vacaciones', 'estaré fuera', 'estoy fuera', 'regresaré', 'volveré', 'de permiso', 'estaré de vuelta'),
  ...phrases('nl', 'afwezig', 'niet aanwezig', 'niet op kantoor', '(?:op|met) vakantie', 'met verlof', 'weer aanwezig', 'weer terug'),
];

// Automatic answers that name themselves; people do not write these in a reply.
const autoText: Phrase[] = [
  ...phrases('en', 'this is an? (?:automated|automatic|auto-generated) (?:message|reply|response|e-?mail|notification)', 'this is an auto-?(?:reply|response)', '(?:message|e-?mail) (?:was|is|has been) (?:sent|generated) automatically', 'automatically generated', 'do not reply to this (?:e-?mail|message)', 'this mailbox is (?:not|no longer) monitored', 'your (?:ticket|request|case|support request) (?:number|#|id)', 'ticket (?:#|number|id):? ?\\d+'),
  ...phrases('de', 'dies ist eine automatisch(?:e|generierte) (?:antwort|nachricht|e-?mail)', 'automatisch (?:erstellte|generierte|versendete) (?:antwort|nachricht|e-?mail)', 'automatische antwort'),
  ...phrases('fr', 'ceci est (?:une réponse|un message) automatique', 'message (?:généré )?automatique', 'réponse automatique'),
  ...phrases('es', 'este es un mensaje automático', 'mensaje (?:generado )?automático', 'respuesta automática'),
  ...phrases('nl', 'dit is een automatisch (?:gegenereerd )?(?:antwoord|bericht)', 'automatisch antwoord', 'automatisch gegenereerd'),
];

// People must be able to say stop in their own words, so these count anywhere in the sender's own text, however
// long and friendly the rest. Bare "stop" or "not interested" do not: those are answers, and stop the cadence
// as replies anyway.
const unsubscribeText: Phrase[] = [
  ...phrases('en', 'unsubscribe', 'opt(?: me)? out', 'remove (?:me|my (?:e-?mail|address|name|details))(?: from| off)?', 'take me off', 'stop (?:e-?mailing|emailing|contacting|messaging|writing to|sending|reaching out)', "(?:please |pls )?stop (?:the |these |your )?(?:e-?mails|messages)", "(?:do not|don't) (?:contact|e-?mail|write to|message) me", 'no (?:more|further) (?:e-?mails|messages|contact)', 'not interested[,.;!]? (?:please |so )?stop', 'leave me alone'),
  ...phrases('de', 'abmelden', 'abbestellen', 'austragen', 'keine (?:weiteren )?(?:e-?mails|mails|nachrichten) mehr', 'nicht (?:mehr )?(?:kontaktieren|anschreiben)', 'entfernen sie mich', 'melde[nt]? (?:sie )?mich[^.!?\\n]{0,40} ab', 'tragen sie mich[^.!?\\n]{0,40} aus', 'aus (?:ihrem|dem|ihrer|der) (?:verteiler|liste|mailingliste|e-?mail-liste)'),
  ...phrases('fr', 'désabonner', 'désabonnez', 'désabonnement', 'désinscri(?:re|vez|ption)', 'ne (?:souhaite |veux |désire )?(?:plus|pas) recevoir', 'retirez-moi', 'supprimez-moi', "arrêtez de m'(?:envoyer|écrire|contacter)", 'ne (?:me )?(?:contactez|écrivez) plus'),
  ...phrases('es', 'dar(?:me|se)? de baja', 'denme de baja', 'no quiero recibir', 'no me (?:envíen|envíes|escriban|escribas|contacten|contactes) más', 'dejen de (?:enviarme|escribirme|contactarme)', 'elimínenme', 'bórrenme'),
  ...phrases('nl', 'afmelden', 'uitschrijven', 'geen (?:e-?mails|mails|berichten) meer', 'haal (?:me|mij) (?:van|uit)', 'verwijder (?:me|mij)'),
];

// Bounce kinds. A full mailbox is temporary even when the server says 5.2.2; "user unknown" is permanent.
const mailboxFull = phrases('en', 'mailbox (?:is )?full', 'over (?:the )?quota', 'quota exceeded', 'exceeded (?:the |their |his |her )?(?:storage|quota)', 'insufficient (?:system )?storage', 'postfach (?:ist )?voll', 'speicherplatz', 'boîte (?:aux lettres )?pleine', 'buzón (?:está )?lleno', 'mailbox (?:is )?vol');
const hardBounceText = phrases('en', 'user unknown', 'permanent (?:error|failure)', 'unknown user', 'no such user', 'does not exist', "doesn't exist", 'address not found', 'recipient not found', 'recipient address rejected', 'invalid recipient', 'mailbox unavailable', 'mailbox not found', 'no mailbox', 'account (?:has been )?disabled', 'benutzer unbekannt', 'existiert nicht', 'utilisateur inconnu', "n'existe pas", 'usuario desconocido', 'no existe', 'onbekende gebruiker', 'bestaat niet');
const softBounceText = phrases('en', 'delayed', 'temporar(?:y|ily)', 'will (?:retry|keep trying|try again)', 'try again later', 'still being retried', 'verzögert', 'retardé', 'retrasado', 'vertraagd');

// ---------------------------------------------------------------------------------------------------------
// Text helpers

function firstPhrase(text: string, table: readonly Phrase[]): { match: string; language: ChronoLanguage } | null {
  let best: { match: string; language: ChronoLanguage; index: number } | null = null;
  for (const { pattern, language } of table) {
    const found = pattern.exec(text);
    if (found && (!best || found.index < best.index)) best = { match: found[0], language, index: found.index };
  }
  return best && { match: best.match, language: best.language };
}

function quote(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return `"${flat.length > 80 ? `${flat.slice(0, 77)}...` : flat}"`;
}

const attribution = /^\s*(?:On|Am|Le|El|Op)\s.*(?:wrote|schrieb|a écrit|escribió|schreef)(?:\s.{0,120})?:\s*$/iu;
const originalMessage = /^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d['’]origine|mensaje original|oorspronkelijk bericht|forwarded message|weitergeleitete nachricht)\s*-{2,}/iu;
const fromLine = /^\s*\*?(?:from|von|de|van)\s*:/iu;
const sentLine = /^\s*\*?(?:sent|date|gesendet|datum|envoyé|enviado|fecha|verzonden)\s*:/iu;

/** The sender's own words: everything above the quoted thread and the signature. */
export function ownText(text: string): string {
  const lines = text.replace(/\r\n?/gu, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const joined = `${line} ${lines[i + 1] ?? ''}`;
    const quoted =
      /^\s*>/u.test(line) ||
      /^--\s*$/u.test(line) ||
      /^_{10,}\s*$/u.test(line) ||
      originalMessage.test(line) ||
      attribution.test(line) ||
      (/^\s*(?:On|Am|Le|El|Op)\s/iu.test(line) && attribution.test(joined)) ||
      (fromLine.test(line) && lines.slice(i + 1, i + 5).some((next) => sentLine.test(next)));
    if (quoted) return lines.slice(0, i).join('\n').trim();
  }
  return lines.join('\n').trim();
}

// Reply and forward prefixes in the languages we read: a subject the sender did not write themselves.
const replySubject = /^\s*(?:\[[^\]]*\]\s*)*(?:re|aw|antw|antwort|wg|fw|fwd|tr|rv|r|sv|ref)\s*:/iu;

function normaliseHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) map.set(name.trim().toLowerCase(), value.replace(/\s+/gu, ' ').trim());
  return map;
}

function fromAddress(from: string): string {
  const angle = /<([^>]*)>/u.exec(from);
  return (angle?.[1] ?? from).trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Bounces

function bounceSignal(headers: Map<string, string>, from: string, subject: string): string | null {
  const contentType = headers.get('content-type') ?? '';
  if (/multipart\/report/iu.test(contentType) && /report-type\s*=\s*"?delivery-status/iu.test(contentType)) {
    return 'Content-Type: multipart/report; report-type=delivery-status';
  }
  const failed = headers.get('x-failed-recipients');
  if (failed !== undefined) return `X-Failed-Recipients: ${failed}`;
  const local = fromAddress(from).split('@')[0] ?? '';
  if (local === 'mailer-daemon' || local === 'postmaster' || /mail delivery (?:subsystem|system)/iu.test(from)) return `From: ${from.trim()}`;
  const subjectMatch = bounceSubject.exec(subject);
  if (subjectMatch) return `Subject: ${quote(subjectMatch[0])}`;
  return null;
}

// Enhanced status codes (RFC 3463): a DSN's "Status:" field first, then one next to an SMTP reply code, then
// any. The look-arounds keep IP addresses and version numbers ("10.5.0.1", "Postfix 3.4.13") out.
const dsnStatus = /^\s*Status:\s*([245])\.(\d{1,3})\.(\d{1,3})/imu;
const replyWithStatus = /(?<![\w.])[245]\d\d[ -]#?([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)/u;
const anyStatus = /(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/u;
const bareReply = /(?<![\w.#])([45])[0-5]\d(?=[ -][A-Za-z<])/u;

function bounceKind(subject: string, text: string): { bounceType: BounceType; evidence: string } {
  const full = firstPhrase(text, mailboxFull);
  if (full) return { bounceType: 'soft', evidence: quote(full.match) };
  const status = dsnStatus.exec(text) ?? replyWithStatus.exec(text) ?? anyStatus.exec(text);
  if (status) {
    const code = `${status[1]}.${status[2]}.${status[3]}`;
    // X.2.2 is "mailbox full" whatever the class.
    if (status[2] === '2' && status[3] === '2') return { bounceType: 'soft', evidence: `status ${code} (mailbox full)` };
    return { bounceType: status[1] === '5' ? 'hard' : 'soft', evidence: `status ${code}` };
  }
  const reply = bareReply.exec(text);
  if (reply) return { bounceType: reply[1] === '5' ? 'hard' : 'soft', evidence: `SMTP reply ${reply[0]}` };
  const hard = firstPhrase(text, hardBounceText);
  if (hard) return { bounceType: 'hard', evidence: quote(hard.match) };
  const soft = firstPhrase(`${subject}\n${text}`, softBounceText);
  if (soft) return { bounceType: 'soft', evidence: quote(soft.match) };
  // A hard bounce suppresses the address for good, so it needs a stated permanent cause.
  return { bounceType: 'soft', evidence: 'no permanent cause stated' };
}

// ---------------------------------------------------------------------------------------------------------
// Automatic answers

function autoHeader(headers: Map<string, string>, from: string): string | null {
  const autoSubmitted = headers.get('auto-submitted');
  if (autoSubmitted !== undefined && !/^no\b/iu.test(autoSubmitted)) return `Auto-Submitted: ${autoSubmitted}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-autoreply-from', 'x-mail-autoreply', 'x-autogenerated']) {
    const value = headers.get(name);
    if (value !== undefined && !/^(?:no|false|0)$/iu.test(value)) return `${headerName(name)}: ${value}`;
  }
  const precedence = headers.get('precedence');
  if (precedence !== undefined && /^(?:auto_reply|bulk|junk)$/iu.test(precedence)) return `Precedence: ${precedence}`;
  // X-Auto-Response-Suppress is deliberately not here: Outlook and Exchange put it on people's mail too (it asks
  // *others* not to auto-reply), which is why Discourse, osTicket and sisimai stopped treating it as a signal.
  const local = fromAddress(from).split('@')[0] ?? '';
  if (/^(?:no-?reply|do-?not-?reply|donotreply)$/iu.test(local)) return `From: ${from.trim()}`;
  return null;
}

function headerName(lower: string): string {
  return lower.replace(/(^|-)([a-z])/gu, (_m, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
}

// ---------------------------------------------------------------------------------------------------------
// Return dates

const dateHeaderOffset = /([+-])(\d{2})(\d{2})\s*(?:\([^)]*\))?\s*$/u;

function senderZone(timeZone: string | null, headers: Map<string, string>): Zone {
  if (timeZone) return timeZone;
  const match = dateHeaderOffset.exec(headers.get('date') ?? '');
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

// Words before a date that make it the return day ("until", "back on", "bis zum"), or after it ("ab dem 7.1.
// wieder erreichbar"). "from" is not one: "from 22 December" is when the absence starts.
const returnBefore = /(?:until|till|til|through|thru|back|return|returning|available|reachable|bis|zurück|jusqu|retour|dès|hasta|vuelta|regreso|volveré|regresaré|tot|terug|t\/m)[^\n]{0,25}$/iu;
const returnAfter = /^[^\n]{0,30}(?:wieder|weer|again|de retour|de vuelta|terug)/iu;
// "jusqu'au 7 janvier inclus", "tot en met 6 januari": the last day away, back the day after.
const inclusiveBefore = /(?:through|thru|up to and including|einschließlich|inklusive|tot en met|t\/m)[^\n]{0,12}$/iu;
const inclusiveAfter = /^\W{0,3}(?:inclus(?:ive|ivement)?|included|einschließlich|inklusive|incluido|inclusive)(?![\p{L}])/iu;
const numericDate = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-]\d{2,4})?\.?$/u;
// chrono misses the German/Dutch short forms "5.1." and "05.01.".
const shortDayMonth = /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(?!\d)/gu;

type DateReading = { day: WallTime; anchored: boolean } | { uncertain: true };

function dayNumber(wall: WallTime): number {
  return Math.floor(Date.UTC(wall.year, wall.month - 1, wall.day) / 86_400_000);
}

function isCalendarDay(wall: WallTime): boolean {
  return addDays(wall, 0).day === wall.day;
}

/** The day a date names, at 09:00; 'past' if it lies before the day received; null if it cannot be a day. */
function resolveDay(parts: { year: number | null; month: number; day: number; weekday: number | null }, received: WallTime): WallTime | 'past' | null {
  let wall: WallTime = { year: parts.year ?? received.year, month: parts.month, day: parts.day, hour: 9, minute: 0 };
  if (!isCalendarDay(wall)) return null;
  if (dayNumber(wall) < dayNumber(received)) {
    // A year-less date already gone this year means next year — unless it is only a few weeks back: then it is
    // an auto-reply nobody updated, not a return almost a year away.
    if (parts.year !== null || dayNumber(received) - dayNumber(wall) <= 30) return 'past';
    wall = { ...wall, year: wall.year + 1 };
    if (!isCalendarDay(wall)) return null;
  }
  if (parts.weekday !== null && new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() !== parts.weekday) return null;
  return wall;
}

function readReturnDates(text: string, receivedAtMs: number, zone: Zone, language: ChronoLanguage): DateReading[] {
  const received = wallTimeAt(receivedAtMs, zone);
  const { language: read, results } = parseDates({ text, referenceMs: receivedAtMs, zone, language });
  const readings: DateReading[] = [];
  const push = (day: WallTime | 'past' | null, index: number, length: number, isRangeEnd: boolean): void => {
    const before = text.slice(Math.max(0, index - 40), index);
    const after = text.slice(index + length, index + length + 40);
    const anchored = isRangeEnd || returnBefore.test(before) || returnAfter.test(after);
    // A past date may be when the absence began ("since 20 December"); a past *return* date is unclear.
    if (day === 'past') {
      if (anchored) readings.push({ uncertain: true });
      return;
    }
    if (day === null) {
      readings.push({ uncertain: true });
      return;
    }
    const inclusive = inclusiveBefore.test(before) || inclusiveAfter.test(after);
    readings.push({ day: inclusive ? addDays(day, 1) : day, anchored });
  };

  for (const result of results) {
    const tags = [...result.tags()];
    // The text of an auto-reply was written at some unknown earlier time: "tomorrow", "next week" or a bare
    // "Monday" cannot be placed. Only calendar dates count.
    if (tags.some((tag) => tag.startsWith('casualReference/') || tag.startsWith('result/relative'))) continue;
    const components = result.end ?? result.start;
    if (!components.isCertain('day') || !components.isCertain('month')) continue;
    const numeric = numericDate.exec(result.text);
    if (read === 'en' && numeric && Number(numeric[1]) <= 12 && Number(numeric[2]) <= 12 && numeric[1] !== numeric[2]) {
      // 03/01 is 1 March in the US and 3 January almost everywhere else.
      readings.push({ uncertain: true });
      continue;
    }
    const day = resolveDay(
      {
        year: components.isCertain('year') ? components.get('year') : null,
        month: components.get('month') ?? 1,
        day: components.get('day') ?? 1,
        weekday: components.isCertain('weekday') ? components.get('weekday') : null,
      },
      received,
    );
    push(day, result.index, result.text.length, result.end !== undefined);
  }

  if (readings.length === 0 && read !== 'en') {
    for (const match of text.matchAll(shortDayMonth)) {
      push(resolveDay({ year: null, month: Number(match[2]), day: Number(match[1]), weekday: null }, received), match.index, match[0].length, false);
    }
  }
  return readings;
}

/**
 * 09:00 on the day the sender gives as their return, in their zone; null when none is given or it is unclear.
 * The subject is read only when the text has no date, and only for a return phrase (Lotus Notes: "AUTO: … is out
 * of the office (returning 05.01.2027)"): otherwise it is our own subject, dates and all.
 */
function returnInstant({ own, subject, receivedAtMs, zone, language }: { own: string; subject: string; receivedAtMs: number; zone: Zone; language: ChronoLanguage }): number | null {
  let readings = readReturnDates(own, receivedAtMs, zone, language);
  if (readings.length === 0) readings = readReturnDates(subject, receivedAtMs, zone, language).filter((reading) => !('anchored' in reading) || reading.anchored);
  if (readings.some((reading) => 'uncertain' in reading)) return null;
  const dated = readings.filter((reading): reading is { day: WallTime; anchored: boolean } => 'day' in reading);
  const anchored = dated.filter((reading) => reading.anchored);
  const pool = anchored.length > 0 ? anchored : dated;
  const days = [...new Set(pool.map((reading) => zonedTimeToMs(reading.day, zone)))];
  return days.length === 1 ? (days[0] ?? null) : null;
}

// ---------------------------------------------------------------------------------------------------------

export function classifyReply(message: InboundMessage): ReplyClassification {
  const headers = normaliseHeaders(message.headers);
  const subject = message.subject;
  const own = ownText(message.text);

  const bounce = bounceSignal(headers, message.from, subject);
  if (bounce) {
    // A delivery *success* report (Gmail's "(Success)", a DSN with only "Action: delivered") is no bounce.
    const success = /\((?:success|relay)\)/iu.exec(subject) ?? (/^\s*Action:\s*(?:delivered|relayed|expanded)/imu.test(message.text) && !/^\s*Action:\s*(?:failed|delayed)/imu.test(message.text) ? ['Action: delivered'] : null);
    if (success) return { kind: 'auto_reply', evidence: `${bounce}; delivery report ${quote(success[0])}` };
    const { bounceType, evidence } = bounceKind(subject, message.text);
    return { kind: 'bounce', bounceType, evidence: `${bounce}; ${evidence}` };
  }

  const contentType = headers.get('content-type') ?? '';
  if (/report-type\s*=\s*"?feedback-report/iu.test(contentType)) {
    // A spam complaint relayed by the mailbox provider: the strongest way to say stop.
    return { kind: 'unsubscribe_request', evidence: 'Content-Type: multipart/report; report-type=feedback-report (spam complaint)' };
  }
  if (/report-type\s*=\s*"?disposition-notification/iu.test(contentType)) {
    return { kind: 'auto_reply', evidence: 'Content-Type: multipart/report; report-type=disposition-notification (read receipt)' };
  }

  const oooSubject = outOfOfficeSubject.exec(subject);
  const autoSubjectMatch = autoSubject.exec(subject);
  const autoPhrase = firstPhrase(own, autoText);
  const automatic =
    autoHeader(headers, message.from) ??
    (oooSubject ? `Subject: ${quote(oooSubject[0])}` : null) ??
    (autoSubjectMatch ? `Subject: ${quote(autoSubjectMatch[0])}` : null) ??
    (autoPhrase ? quote(autoPhrase.match) : null);
  if (automatic) {
    // An out-of-office phrase alone, without an automatic marker, is a person writing "I'm out until Monday":
    // that is a reply.
    const ooo = firstPhrase(`${subject}\n${own}`, outOfOfficeText);
    if (oooSubject || ooo) {
      const phrase = ooo ? quote(ooo.match) : null;
      const evidence = phrase && !automatic.includes(phrase) ? `${automatic}; ${phrase}` : automatic;
      const zone = senderZone(message.timeZone, headers);
      const returnsAtMs = returnInstant({ own, subject, receivedAtMs: message.receivedAtMs, zone, language: ooo?.language ?? 'en' });
      return { kind: 'out_of_office', returnsAtMs, evidence };
    }
    return { kind: 'auto_reply', evidence: automatic };
  }

  const stop = firstPhrase(own, unsubscribeText) ?? (replySubject.test(subject) ? null : firstPhrase(subject, unsubscribeText));
  if (stop) return { kind: 'unsubscribe_request', evidence: quote(stop.match) };

  return { kind: 'reply' };
}
