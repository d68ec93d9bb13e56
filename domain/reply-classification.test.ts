import { describe, expect, it } from 'vitest';
import { type InboundMessage, classifyReply, ownText, replyClassificationSchema } from './reply-classification.ts';

const base: InboundMessage = {
  headers: {},
  subject: 'Re: Quick question about your Q1 pipeline',
  text: '',
  from: 'Anna Schmidt <anna.schmidt@northwind.de>',
  receivedAtMs: Date.parse('2026-12-22T10:00:00Z'),
  timeZone: 'Europe/Berlin',
};
const msg = (overrides: Partial<InboundMessage>): InboundMessage => ({ ...base, ...overrides });
const at = (iso: string): number => Date.parse(iso);
const dsn = { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="B1"' };

// Expected: the kind, the fields that must match exactly, and a piece the evidence must contain.
type Expected =
  | { kind: 'reply' }
  | { kind: 'out_of_office'; returnsAtMs: number | null; evidence: string }
  | { kind: 'auto_reply'; evidence: string }
  | { kind: 'bounce'; bounceType: 'hard' | 'soft'; evidence: string }
  | { kind: 'unsubscribe_request'; evidence: string };

const cases: [string, InboundMessage, Expected][] = [
  // --- Bounces -------------------------------------------------------------------------------------------
  [
    'Postfix: user unknown, 5.1.1 next to an IP address',
    msg({
      headers: dsn,
      from: 'MAILER-DAEMON@mail.northwind.de (Mail Delivery System)',
      subject: 'Undelivered Mail Returned to Sender',
      text: [
        'This is the mail system at host mail.northwind.de.',
        "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
        '<jan@northwind.de>: host mx.northwind.de[10.5.0.1] said: 550 5.1.1 <jan@northwind.de>: Recipient address',
        '    rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)',
      ].join('\n'),
    }),
    { kind: 'bounce', bounceType: 'hard', evidence: 'status 5.1.1' },
  ],
  [
    'Gmail: address not found',
    msg({
      headers: { 'X-Failed-Recipients': 'jan@oldcorp.example', 'Auto-Submitted': 'auto-replied' },
      from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      subject: 'Delivery Status Notification (Failure)',
      text: "Address not found\n\nYour message wasn't delivered to jan@oldcorp.example because the address couldn't be found, or is unable to receive mail.\n\nThe response from the remote server was:\n550 5.1.1 The email account that you tried to reach does not exist.",
    }),
    { kind: 'bounce', bounceType: 'hard', evidence: 'X-Failed-Recipients' },
  ],
  [
    'Gmail: delayed, 4.x.x',
    msg({
      from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      subject: 'Delivery Status Notification (Delay)',
      text: 'Message not delivered\n\nThere was a temporary problem delivering your message to jan@northwind.de. Gmail will retry for 47 more hours.\n\nThe response was:\n451 4.3.0 Mail server temporarily rejected message.',
    }),
    { kind: 'bounce', bounceType: 'soft', evidence: 'status 4.3.0' },
  ],
  [
    'Microsoft 365: mailbox full is soft despite 5.2.2',
    msg({
      headers: { ...dsn, 'Auto-Submitted': 'auto-replied' },
      from: 'Microsoft Outlook <postmaster@outlook.com>',
      subject: 'Undeliverable: Quick question about your Q1 pipeline',
      text: "Your message to jan@northwind.de couldn't be delivered.\nThe recipient's mailbox is full and can't accept messages now.\nRemote Server returned '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException'",
    }),
    { kind: 'bounce', bounceType: 'soft', evidence: 'mailbox is full' },
  ],
  [
    'Exim: permanent error without a status code',
    msg({
      from: 'Mail Delivery System <Mailer-Daemon@mx1.oldcorp.example>',
      subject: 'Mail delivery failed: returning message to sender',
      text: 'This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its recipients. This is a permanent error. The following address(es) failed:\n\n  jan@oldcorp.example\n    Unrouteable address',
    }),
    { kind: 'bounce', bounceType: 'hard', evidence: 'permanent error' },
  ],
  [
    'Exchange, German: Unzustellbar, 5.1.10',
    msg({
      from: 'postmaster@firma.de',
      subject: 'Unzustellbar: Angebot für Q1',
      text: "Ihre Nachricht konnte nicht an jan@firma.de übermittelt werden. Die E-Mail-Adresse existiert nicht.\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
    }),
    { kind: 'bounce', bounceType: 'hard', evidence: 'status 5.1.10' },
  ],
  [
    'over quota with a 4.2.2 code',
    msg({
      headers: dsn,
      from: 'MAILER-DAEMON@mx.example.net',
      subject: 'Mail delivery failed',
      text: 'Reporting-MTA: dns; mx.example.net\nFinal-Recipient: rfc822; jan@example.net\nAction: delayed\nStatus: 4.2.2\nDiagnostic-Code: smtp; 452 4.2.2 The email account that you tried to reach is over quota.',
    }),
    { kind: 'bounce', bounceType: 'soft', evidence: 'over quota' },
  ],
  [
    'Postfix delay warning: no code, "delayed" in the subject',
    msg({
      from: 'MAILER-DAEMON@mail.example.com',
      subject: 'Delayed Mail (still being retried)',
      text: 'This is the mail system at host mail.example.com.\n\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n\nYour message could not be delivered for 4.0 hours.\nIt will be retried until it is 5.0 days old.',
    }),
    { kind: 'bounce', bounceType: 'soft', evidence: 'Delayed' },
  ],
  [
    'a delivery success report is not a bounce',
    msg({
      headers: dsn,
      from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      subject: 'Delivery Status Notification (Success)',
      text: 'Your message has been delivered to the following recipients:\njan@northwind.de\n\nAction: delivered\nStatus: 2.0.0',
    }),
    { kind: 'auto_reply', evidence: '(Success)' },
  ],

  // --- Out of office -------------------------------------------------------------------------------------
  [
    'Exchange, English: back on Monday 12 January, across the year end',
    msg({
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      subject: 'Automatic reply: Quick question about your Q1 pipeline',
      receivedAtMs: at('2025-12-22T10:00:00Z'),
      text: 'Thank you for your email. I am out of the office and will be back on Monday 12 January.\nFor urgent matters please contact sales@northwind.de.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2026-01-12T08:00:00Z'), evidence: 'Auto-Submitted: auto-generated' },
  ],
  [
    'Gmail vacation responder without a date',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Out of office',
      text: "Hi, I'm travelling with limited access to email and will reply as soon as I can.",
    }),
    { kind: 'out_of_office', returnsAtMs: null, evidence: 'Out of office' },
  ],
  [
    'ISO date, Los Angeles',
    msg({
      headers: { 'X-Autoreply': 'yes' },
      subject: 'Re: Quick question about your Q1 pipeline',
      receivedAtMs: at('2026-11-26T18:00:00Z'),
      timeZone: 'America/Los_Angeles',
      text: "I'm on parental leave, returning 2026-12-03. Please reach out to my colleague Sam in the meantime.",
    }),
    { kind: 'out_of_office', returnsAtMs: at('2026-12-03T17:00:00Z'), evidence: 'X-Autoreply: yes' },
  ],
  [
    'German Abwesenheitsnotiz: bis zum 5. Januar, across the year end',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Abwesenheitsnotiz: Angebot für Q1',
      text: 'Vielen Dank für Ihre Nachricht. Ich bin bis zum 5. Januar nicht im Büro und habe keinen Zugriff auf meine E-Mails.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-05T08:00:00Z'), evidence: 'Abwesenheitsnotiz' },
  ],
  [
    'German, subject only: ab dem 07.01.2027 wieder erreichbar (day first)',
    msg({
      subject: 'Automatische Antwort: Angebot für Q1',
      text: 'Guten Tag, ich bin im Urlaub und ab dem 07.01.2027 wieder erreichbar.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-07T08:00:00Z'), evidence: 'im Urlaub' },
  ],
  [
    'German short date chrono misses: bis einschließlich 5.1. (back the day after)',
    msg({
      headers: { 'Precedence': 'auto_reply' },
      subject: 'Abwesend',
      text: 'Ich bin bis einschließlich 5.1. abwesend.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-06T08:00:00Z'), evidence: 'Precedence: auto_reply' },
  ],
  [
    "French: jusqu'au 7 janvier inclus",
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Réponse automatique : Proposition',
      timeZone: 'Europe/Paris',
      text: "Bonjour, je suis absente jusqu'au 7 janvier inclus. En cas d'urgence, contactez Marc.",
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-08T08:00:00Z'), evidence: 'absente' },
  ],
  [
    'French: Absence du bureau, de retour le lundi 11 janvier',
    msg({
      subject: 'Absence du bureau : Proposition',
      timeZone: 'Europe/Paris',
      text: 'Je suis en congés. Je serai de retour le lundi 11 janvier.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-11T08:00:00Z'), evidence: 'Absence du bureau' },
  ],
  [
    'Spanish: Fuera de la oficina, hasta el 9 de enero',
    msg({
      headers: { 'X-Autoreply': 'yes' },
      subject: 'Fuera de la oficina: Propuesta',
      timeZone: 'Europe/Madrid',
      text: 'Estaré fuera hasta el 9 de enero. Para asuntos urgentes, escriba a ventas@empresa.es.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-09T08:00:00Z'), evidence: 'X-Autoreply: yes; "Fuera de la oficina"' },
  ],
  [
    'Spanish: on holiday, no date',
    msg({
      subject: 'Respuesta automática: Propuesta',
      timeZone: 'Europe/Madrid',
      text: 'Gracias por su mensaje. Estoy de vacaciones y responderé a mi regreso.',
    }),
    { kind: 'out_of_office', returnsAtMs: null, evidence: 'de vacaciones' },
  ],
  [
    'Dutch: Afwezig, tot 6 januari',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Afwezig: Offerte',
      timeZone: 'Europe/Amsterdam',
      text: 'Ik ben tot 6 januari afwezig.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-06T08:00:00Z'), evidence: 'Afwezig' },
  ],
  [
    'Dutch: tot en met maandag 11 januari, weer bereikbaar 12 januari (both agree)',
    msg({
      subject: 'Automatisch antwoord: Offerte',
      timeZone: 'Europe/Amsterdam',
      text: 'Ik ben tot en met maandag 11 januari afwezig en vanaf dinsdag 12 januari weer bereikbaar.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-12T08:00:00Z'), evidence: 'Automatisch antwoord' },
  ],
  [
    'return date across a DST change (Berlin, CET → CEST)',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Out of Office: Quick question',
      receivedAtMs: at('2026-03-20T09:00:00Z'),
      text: "I'm on annual leave and back on 2 April.",
    }),
    { kind: 'out_of_office', returnsAtMs: at('2026-04-02T07:00:00Z'), evidence: 'Out of Office' },
  ],
  [
    'return date across a DST change (Los Angeles, PST → PDT)',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Out of Office',
      receivedAtMs: at('2026-03-02T18:00:00Z'),
      timeZone: 'America/Los_Angeles',
      text: 'I am out of the office until March 10.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2026-03-10T16:00:00Z'), evidence: 'Out of Office' },
  ],
  [
    'range: from 22 December (already past) until 5 January',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Out of Office',
      receivedAtMs: at('2026-12-23T10:00:00Z'),
      text: 'I am out of the office from 22 December until 5 January.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-05T08:00:00Z'), evidence: 'Out of Office' },
  ],
  [
    'stale auto-reply: a return day three days ago is no date',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Out of Office',
      receivedAtMs: at('2026-01-08T10:00:00Z'),
      text: 'I am out of the office until 5 January.',
    }),
    { kind: 'out_of_office', returnsAtMs: null, evidence: 'Out of Office' },
  ],
  [
    'English 03/01/2027 is March or January: no date',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Out of Office',
      text: 'I am on leave and will return on 03/01/2027.',
    }),
    { kind: 'out_of_office', returnsAtMs: null, evidence: 'Out of Office' },
  ],
  [
    'weekday and date disagree (12 January 2027 is a Tuesday): no date',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Out of Office',
      text: 'I am out of the office and will be back on Monday 12 January.',
    }),
    { kind: 'out_of_office', returnsAtMs: null, evidence: 'Out of Office' },
  ],
  [
    'a relative day ("back tomorrow") cannot be placed: no date',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied' },
      subject: 'Out of Office',
      text: "I'm out of the office today, back tomorrow.",
    }),
    { kind: 'out_of_office', returnsAtMs: null, evidence: 'Out of Office' },
  ],
  [
    'no zone known: the Date header offset is used (-0500)',
    msg({
      headers: { 'Auto-Submitted': 'auto-replied', 'Date': 'Tue, 22 Dec 2026 05:00:00 -0500' },
      subject: 'Out of Office',
      timeZone: null,
      text: 'I am out of the office until January 12.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-12T14:00:00Z'), evidence: 'Auto-Submitted' },
  ],
  [
    'no headers, but the text says it is automatic',
    msg({
      text: 'This is an automatic reply. I am out of the office until 8 January 2027 with no access to email.',
    }),
    { kind: 'out_of_office', returnsAtMs: at('2027-01-08T08:00:00Z'), evidence: 'This is an automatic reply' },
  ],

  // --- Other automatic answers ---------------------------------------------------------------------------
  [
    'help desk: request received',
    msg({
      headers: { 'Auto-Submitted': 'auto-generated' },
      from: 'Vendor Support <support@vendor.example>',
      subject: '[Request received] Quick question about your Q1 pipeline',
      text: 'Your request (4711) has been received and is being reviewed by our support staff.',
    }),
    { kind: 'auto_reply', evidence: 'Auto-Submitted: auto-generated' },
  ],
  [
    'Precedence: bulk "thanks for your message"',
    msg({
      headers: { 'Precedence': 'bulk' },
      from: 'info@northwind.de',
      text: 'Thanks for your message! We will get back to you within two business days.',
    }),
    { kind: 'auto_reply', evidence: 'Precedence: bulk' },
  ],
  [
    'no headers: ticket number in an automated message',
    msg({
      from: 'help@vendor.example',
      subject: 'Your ticket has been created',
      text: 'This is an automated message. Your ticket #48213 has been created.',
    }),
    { kind: 'auto_reply', evidence: 'This is an automated message' },
  ],
  [
    'noreply sender',
    msg({ from: 'Northwind <no-reply@northwind.de>', subject: 'We got your note', text: 'Thanks for reaching out to Northwind.' }),
    { kind: 'auto_reply', evidence: 'no-reply@northwind.de' },
  ],
  [
    'German Automatische Antwort without an absence',
    msg({
      subject: 'Automatische Antwort: Angebot für Q1',
      text: 'Vielen Dank für Ihre Nachricht. Wir melden uns schnellstmöglich bei Ihnen.',
    }),
    { kind: 'auto_reply', evidence: 'Automatische Antwort' },
  ],
  [
    'read receipt',
    msg({
      headers: { 'Content-Type': 'multipart/report; report-type=disposition-notification; boundary="R"' },
      subject: 'Read: Quick question about your Q1 pipeline',
      text: 'Your message was read on Tuesday, December 22, 2026 11:02:13 AM (UTC+01:00).',
    }),
    { kind: 'auto_reply', evidence: 'read receipt' },
  ],

  // --- Requests to stop ----------------------------------------------------------------------------------
  ['short: please unsubscribe me', msg({ text: 'Please unsubscribe me.' }), { kind: 'unsubscribe_request', evidence: 'unsubscribe' }],
  [
    'inside a long, friendly reply',
    msg({
      text: "Hi Tom,\n\nThanks so much for the detailed write-up, and congrats on the launch — the demo video was great. We just signed a three-year deal with another vendor though, so the timing is not right for us. Could you take me off your list for now? If anything changes I'll reach out myself.\n\nBest,\nAnna",
    }),
    { kind: 'unsubscribe_request', evidence: 'take me off' },
  ],
  ['not interested, please stop', msg({ text: 'Not interested, please stop.' }), { kind: 'unsubscribe_request', evidence: 'Not interested, please stop' }],
  ['German: bitte keine E-Mails mehr', msg({ text: 'Bitte keine E-Mails mehr an diese Adresse.' }), { kind: 'unsubscribe_request', evidence: 'keine E-Mails mehr' }],
  ['German: melden Sie mich ab', msg({ text: 'Bitte melden Sie mich von Ihrem Verteiler ab. Danke.' }), { kind: 'unsubscribe_request', evidence: 'melden Sie mich von Ihrem Verteiler ab' }],
  ['French: ne souhaite plus recevoir', msg({ text: 'Bonjour, je ne souhaite plus recevoir vos e-mails. Merci de me désabonner.' }), { kind: 'unsubscribe_request', evidence: 'ne souhaite plus recevoir' }],
  ['Spanish: darme de baja', msg({ text: 'Por favor, darme de baja de su lista.' }), { kind: 'unsubscribe_request', evidence: 'darme de baja' }],
  ['Dutch: afmelden', msg({ text: 'Graag afmelden voor deze mails, bedankt.' }), { kind: 'unsubscribe_request', evidence: 'afmelden' }],
  ['subject only (a List-Unsubscribe mailto)', msg({ subject: 'unsubscribe', text: '' }), { kind: 'unsubscribe_request', evidence: 'unsubscribe' }],
  [
    'spam complaint (ARF feedback report)',
    msg({
      headers: { 'Content-Type': 'multipart/report; report-type=feedback-report; boundary="F"' },
      from: 'staff@hotmail.com',
      subject: 'complaint about message from 192.0.2.1',
      text: 'This is an email abuse report for an email message received from IP 192.0.2.1.',
    }),
    { kind: 'unsubscribe_request', evidence: 'spam complaint' },
  ],

  // --- Real replies --------------------------------------------------------------------------------------
  ['a plain answer', msg({ text: 'Sounds good — can you send me the pricing for 50 seats?' }), { kind: 'reply' }],
  [
    'a person answering an auto-reply quotes it (Gmail)',
    msg({
      subject: 'Re: Automatic reply: Quick question about your Q1 pipeline',
      text: "I'm back now — yes, let's talk on Thursday.\n\nOn Mon, 22 Dec 2026 at 10:12, Anna Schmidt <anna.schmidt@northwind.de>\nwrote:\n> This is an automatic reply. I am out of the office until 5 January.\n> For urgent matters please contact sales@northwind.de.",
    }),
    { kind: 'reply' },
  ],
  [
    'Outlook human reply: X-Auto-Response-Suppress and "out of office" in their own words',
    msg({
      headers: { 'X-Auto-Response-Suppress': 'All', 'X-MS-Has-Attach': '' },
      subject: 'RE: Quick question about your Q1 pipeline',
      text: "I'm out of office until Monday, will review the proposal after that.\n\nFrom: Tom Seller <tom@closeloop.example>\nSent: Monday, December 21, 2026 4:03 PM\nTo: Anna Schmidt <anna.schmidt@northwind.de>\nSubject: Quick question about your Q1 pipeline\n\nHi Anna, ... To unsubscribe, reply STOP.",
    }),
    { kind: 'reply' },
  ],
  [
    'German reply; our footer "Abmelden" is only in the quoted part',
    msg({
      subject: 'AW: Angebot für Q1',
      text: 'Danke, passt. Bitte schicken Sie den Vertrag.\n\nAm 21.12.2026 um 16:03 schrieb Tom Seller <tom@closeloop.example>:\n> Hallo Anna, anbei das Angebot.\n> Abmelden: https://closeloop.example/u/abc',
    }),
    { kind: 'reply' },
  ],
  [
    'French reply; "désabonner" only below "Le … a écrit"',
    msg({
      subject: 'RE: Proposition',
      text: "Merci, je regarde cela demain.\n\nLe lun. 21 déc. 2026 à 16:03, Tom Seller <tom@closeloop.example> a écrit :\n> Pour vous désabonner, cliquez ici.",
    }),
    { kind: 'reply' },
  ],
  [
    'our subject mentions unsubscribes; their text does not ask to stop',
    msg({ subject: 'Re: Cutting unsubscribe rates in half', text: 'Interesting — send me the deck.\n\n-----Original Message-----\nFrom: Tom\nunsubscribe here' }),
    { kind: 'reply' },
  ],
];

describe('classifyReply', () => {
  it(`has at least 30 cases`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s', (_name, message, expected) => {
    const result = classifyReply(message);
    expect(replyClassificationSchema.parse(result)).toEqual(result);
    if (expected.kind === 'reply') {
      expect(result).toEqual({ kind: 'reply' });
      return;
    }
    const { evidence, ...fields } = expected;
    expect(result).toMatchObject(fields);
    expect(result.kind === 'reply' ? '' : result.evidence.toLowerCase()).toContain(evidence.toLowerCase());
  });
});

describe('ownText', () => {
  it.each([
    ['> lines', 'Yes.\n> older', 'Yes.'],
    ['Gmail attribution wrapped over two lines', 'Yes.\nOn Mon, 22 Dec 2026 at 10:12, Anna <anna@x.de>\nwrote:\n> older', 'Yes.'],
    ['German attribution', 'Ja.\nAm 21.12.2026 um 16:03 schrieb Tom <tom@x.de>:\nalt', 'Ja.'],
    ['Spanish attribution', 'Sí.\nEl lun, 21 dic 2026 a las 16:03, Tom (<tom@x.es>) escribió:\nviejo', 'Sí.'],
    ['Dutch attribution', 'Ja.\nOp ma 21 dec. 2026 om 16:03 schreef Tom <tom@x.nl>:\noud', 'Ja.'],
    ['Outlook From/Sent block, German', 'Ja.\n\nVon: Tom <tom@x.de>\nGesendet: Montag, 21. Dezember 2026 16:03\nAn: Anna\nBetreff: Angebot', 'Ja.'],
    ['signature delimiter', 'Yes.\n-- \nAnna Schmidt\nNorthwind', 'Yes.'],
    ['a line starting with "On" that is not an attribution', 'On Monday I can talk.\nThanks', 'On Monday I can talk.\nThanks'],
  ])('%s', (_name, text, expected) => {
    expect(ownText(text)).toBe(expected);
  });
});
