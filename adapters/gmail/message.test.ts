import type { gmail_v1 } from '@googleapis/gmail';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { classifyReply } from '../../domain/reply-classification.ts';
import { composeDraft } from './compose.ts';
import { gmailMessageFromRaw } from './fake-gmail-mime.ts';
import { gmailFixtures } from './fixtures/index.ts';
import { decodeEncodedWords, htmlToText, parseGmailMessage } from './message.ts';

const b64 = (text: string, encoding: BufferEncoding = 'utf8') => Buffer.from(text, encoding).toString('base64url');
const meta = { id: '18d9aaaa00000001', threadId: '18d9aaaa00000001', labelIds: ['INBOX'], internalDate: Date.parse('2026-12-22T10:00:00Z'), historyId: '100' };

describe('parseGmailMessage on the fixtures', () => {
  it('covers every kind the classifier knows but unsubscribe requests, and four languages of out-of-office', () => {
    expect(new Set(gmailFixtures.map((f) => f.expected.kind))).toEqual(new Set(['out_of_office', 'bounce', 'reply']));
    expect(gmailFixtures.filter((f) => f.expected.kind === 'out_of_office')).toHaveLength(4);
  });

  it.each(gmailFixtures.map((f) => [f.name, f] as const))('%s: ids, headers, text and failed recipients', (_name, fixture) => {
    const parsed = parseGmailMessage(fixture.message);
    const { expected } = fixture;
    expect(parsed.id).toBe(fixture.message.id);
    expect(parsed.threadId).toBe(fixture.message.threadId);
    expect(parsed.labelIds).toEqual(fixture.message.labelIds);
    expect(parsed.rfcMessageId).toBe(expected.rfcMessageId);
    expect(parsed.inReplyTo).toBe(expected.inReplyTo);
    expect(parsed.references).toEqual(expected.references);
    expect(parsed.references).toContain(fixture.repliesTo);
    expect(parsed.inbound.from).toBe(expected.from);
    expect(parsed.inbound.subject).toBe(expected.subject);
    expect(parsed.inbound.receivedAtMs).toBe(Number(fixture.message.internalDate));
    expect(parsed.inbound.timeZone).toBeNull();
    expect(parsed.inbound.headers).toMatchObject(expected.headers);
    for (const piece of expected.textIncludes) expect(parsed.inbound.text).toContain(piece);
    for (const piece of expected.textExcludes) expect(parsed.inbound.text).not.toContain(piece);
    expect(parsed.failedRecipients).toEqual(expected.failedRecipients);
  });

  it.each(gmailFixtures.map((f) => [f.name, f] as const))('%s: classified as expected', (_name, fixture) => {
    const result = classifyReply(parseGmailMessage(fixture.message).inbound);
    expect(result.kind).toBe(fixture.expected.kind);
    if (result.kind === 'out_of_office') expect(result.returnsAtMs).toBe(fixture.expected.returnsAtMs);
    if (result.kind === 'bounce') expect(result.bounceType).toBe(fixture.expected.bounceType);
  });

  it('fixtures carry base64url bodies as Gmail does, and attachments as attachment ids', () => {
    const bounce = gmailFixtures.find((f) => f.expected.kind === 'bounce')!.message;
    const report = bounce.payload!;
    expect(report.mimeType).toBe('multipart/report');
    expect(report.parts!.map((p) => [p.partId, p.mimeType])).toEqual([
      ['0', 'multipart/related'],
      ['1', 'message/delivery-status'],
      ['2', 'message/rfc822'],
    ]);
    const icon = report.parts![0]!.parts![1]!;
    expect(icon).toMatchObject({ partId: '0.1', filename: 'icon.png', mimeType: 'image/png' });
    expect(icon.body?.attachmentId).toMatch(/^ANGjdJ/);
    expect(icon.body?.data).toBeUndefined();
    const plain = report.parts![0]!.parts![0]!.parts![0]!;
    expect(plain).toMatchObject({ partId: '0.0.0', mimeType: 'text/plain' });
    expect(plain.body!.data).toMatch(/^[A-Za-z0-9_=-]+$/);
  });
});

describe('parseGmailMessage details', () => {
  const message = (payload: gmail_v1.Schema$MessagePart, extra: Partial<gmail_v1.Schema$Message> = {}): gmail_v1.Schema$Message => ({
    id: 'm1',
    threadId: 't1',
    labelIds: ['INBOX'],
    internalDate: '1798020000000',
    payload,
    ...extra,
  });

  it('keeps every header, the last one winning per name whatever its case', () => {
    const parsed = parseGmailMessage(
      message({
        mimeType: 'text/plain',
        headers: [
          { name: 'Received', value: 'from a' },
          { name: 'Received', value: 'from b' },
          { name: 'Message-Id', value: '<first@x>' },
          { name: 'Message-ID', value: '  <second@x>  ' },
          { name: 'References', value: '<a@x>\r\n <b@x>  <c@x>' },
          { name: 'From', value: '"Weber, Markus" <M.Weber@Example.DE>' },
        ],
        body: { size: 2, data: b64('hi') },
      }),
    );
    expect(parsed.inbound.headers).toEqual({ Received: 'from b', 'Message-ID': '  <second@x>  ', References: '<a@x>\r\n <b@x>  <c@x>', From: '"Weber, Markus" <M.Weber@Example.DE>' });
    expect(parsed.rfcMessageId).toBe('<second@x>');
    expect(parsed.references).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(parsed.inReplyTo).toBeNull();
    expect(parsed.inbound.from).toBe('m.weber@example.de');
    expect(parsed.inbound.subject).toBe('');
  });

  it('decodes RFC 2047 words Gmail left encoded, and leaves decoded text alone', () => {
    expect(decodeEncodedWords('=?UTF-8?B?QWJ3ZXNlbmhlaXRzbm90aXo6?= =?ISO-8859-1?Q?Angebot_f=FCr_Q1?=')).toBe('Abwesenheitsnotiz:Angebot für Q1');
    expect(decodeEncodedWords('Re: =?utf-8?q?R=C3=A9ponse?= ok')).toBe('Re: Réponse ok');
    expect(decodeEncodedWords('Angebot für Q1 = 5?')).toBe('Angebot für Q1 = 5?');
  });

  it('reads ISO-8859-1 and Windows-1252 text in its charset', () => {
    const latin1 = parseGmailMessage(message({ mimeType: 'text/plain', headers: [{ name: 'Content-Type', value: 'text/plain; charset="ISO-8859-1"' }], body: { size: 5, data: b64('Grüße', 'latin1') } }));
    expect(latin1.inbound.text).toBe('Grüße');
    // Latin-1 has no dash or euro sign; bytes 0x96 and 0x80 mean what Windows-1252 says, as in mail programs.
    const windows = Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x96, 0x20, 0x80]).toString('base64url');
    const parsed1252 = parseGmailMessage(message({ mimeType: 'text/plain', headers: [{ name: 'Content-Type', value: 'text/plain; charset=windows-1252' }], body: { size: 9, data: windows } }));
    expect(parsed1252.inbound.text).toBe('Grüße – €');
  });

  it('falls back to UTF-8 for an unknown charset', () => {
    const parsed = parseGmailMessage(message({ mimeType: 'text/plain', headers: [{ name: 'Content-Type', value: 'text/plain; charset=x-made-up' }], body: { size: 6, data: b64('Büro') } }));
    expect(parsed.inbound.text).toBe('Büro');
  });

  it('prefers text/plain, else strips text/html, and never reads an attached or embedded text', () => {
    const html = '<div dir="ltr">Sounds good &amp; thanks!<br><br><div class="gmail_quote">On Mon, 21 Dec 2026 at 15:02, Tom &lt;tom@x.example&gt; wrote:<br><blockquote class="gmail_quote">Hi Leon,<br>please unsubscribe here</blockquote></div></div>';
    const parsed = parseGmailMessage(
      message({
        mimeType: 'multipart/mixed',
        headers: [],
        parts: [
          { partId: '0', mimeType: 'text/plain', filename: 'notes.txt', headers: [{ name: 'Content-Disposition', value: 'attachment; filename="notes.txt"' }], body: { size: 3, attachmentId: 'A1' } },
          { partId: '1', mimeType: 'multipart/alternative', parts: [{ partId: '1.0', mimeType: 'text/html', headers: [{ name: 'Content-Type', value: 'text/html; charset=UTF-8' }], body: { size: html.length, data: b64(html) } }] },
          { partId: '2', mimeType: 'message/rfc822', parts: [{ partId: '2.0', mimeType: 'text/plain', body: { size: 5, data: b64('inner') } }] },
        ],
      }),
    );
    expect(parsed.inbound.text).toBe('Sounds good & thanks!\n\nOn Mon, 21 Dec 2026 at 15:02, Tom <tom@x.example> wrote:\n> Hi Leon,\n> please unsubscribe here');
    expect(classifyReply(parsed.inbound)).toEqual({ kind: 'reply' });
  });

  it('turns HTML into lines: blocks, <br>, blockquotes as "> ", entities, no head or style', () => {
    expect(htmlToText('<html><head><title>x</title><style>p{color:red}</style></head><body><p>One&nbsp;two</p><p>&nbsp;</p><ul><li>a</li><li>b &#8211; &#x263A;</li></ul><blockquote>q1<blockquote>q2</blockquote></blockquote><pre>  keep\n  lines</pre></body></html>')).toBe(
      'One two\n\na\nb – ☺\n> q1\n> > q2\n  keep\n  lines',
    );
  });

  it('joins format=flowed lines (RFC 3676), with delsp and quote depth', () => {
    const text = 'Hello \r\nworld.\r\n> quoted \r\n> line\r\n-- \r\nsig';
    const flowed = parseGmailMessage(message({ mimeType: 'text/plain', headers: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8; format=flowed' }], body: { size: text.length, data: b64(text) } }));
    expect(flowed.inbound.text).toBe('Hello world.\n> quoted line\n-- \nsig');
    const delsp = parseGmailMessage(message({ mimeType: 'text/plain', headers: [{ name: 'Content-Type', value: 'text/plain; format=flowed; delsp=yes' }], body: { size: 9, data: b64('Wort \r\nteil') } }));
    expect(delsp.inbound.text).toBe('Wortteil');
  });

  it('takes failed recipients from X-Failed-Recipients when there is no delivery-status part', () => {
    const parsed = parseGmailMessage(
      message({
        mimeType: 'text/plain',
        headers: [{ name: 'X-Failed-Recipients', value: 'Jan@Oldcorp.example, <anna@oldcorp.example>' }],
        body: { size: 10, data: b64('550 5.1.1 The email account that you tried to reach does not exist.') },
      }),
    );
    expect(parsed.failedRecipients).toEqual([
      { address: 'jan@oldcorp.example', status: '5.1.1' },
      { address: 'anna@oldcorp.example', status: '5.1.1' },
    ]);
  });

  it('reports only failed or delayed recipients of a delivery report, by their original address', () => {
    const report = 'Reporting-MTA: dns; mx.example.net\n\nOriginal-Recipient: rfc822;Sales@Example.net\nFinal-Recipient: rfc822; jan@internal.example.net\nAction: failed\nStatus: 5.2.1 (mailbox disabled)\n\nFinal-Recipient: rfc822; ok@example.net\nAction: delivered\nStatus: 2.0.0\n';
    const parsed = parseGmailMessage(message({ mimeType: 'multipart/report', parts: [{ partId: '0', mimeType: 'text/plain', body: { size: 1, data: b64('x') } }, { partId: '1', mimeType: 'message/delivery-status', body: { size: report.length, data: b64(report) } }] }));
    expect(parsed.failedRecipients).toEqual([{ address: 'sales@example.net', status: '5.2.1' }]);
  });

  it('uses the Date header when there is no internalDate', () => {
    const parsed = parseGmailMessage(message({ mimeType: 'text/plain', headers: [{ name: 'Date', value: 'Tue, 22 Dec 2026 05:20:31 -0800 (PST)' }] }, { internalDate: null }));
    expect(parsed.inbound.receivedAtMs).toBe(Date.parse('2026-12-22T13:20:31Z'));
    expect(parsed.inbound.text).toBe('');
  });

  it('refuses a message without ids', () => {
    expect(() => parseGmailMessage({ payload: {} })).toThrow(ValidationError);
  });
});

describe('composeDraft, read back the way Gmail stores it', () => {
  it('survives the round trip: encoded subject and names, UTF-8 body, threading headers, the key', () => {
    const raw = composeDraft(
      {
        threadId: 't1',
        from: 'Tom Becker <tom.becker@acme-sales.example.com>',
        to: 'Jürgen Bergmann <j.bergmann@bergmann-logistik.example.de>',
        subject: 'Re: Angebot für Bergmann Logistik – Rückfragen zu Tourenplanung, Schnittstellen und Preisen für 2027',
        text: 'Hallo Herr Bergmann,\n\nwillkommen zurück! Passt Ihnen Donnerstag um 10 Uhr?\n\nGrüße\nTom',
        headers: { 'In-Reply-To': '<a@x>', References: '<a@x> <b@x>' },
        key: 'draft:org_1:out_42',
      },
      Date.parse('2027-01-12T09:30:00Z'),
    );
    expect(raw).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(raw.split('\r\n\r\n')[0]!.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    const parsed = parseGmailMessage(gmailMessageFromRaw(raw, meta));
    expect(parsed.inbound.subject).toBe('Re: Angebot für Bergmann Logistik – Rückfragen zu Tourenplanung, Schnittstellen und Preisen für 2027');
    expect(parsed.inbound.headers.To).toBe('Jürgen Bergmann <j.bergmann@bergmann-logistik.example.de>');
    expect(parsed.inbound.headers.Date).toBe('Tue, 12 Jan 2027 09:30:00 +0000');
    expect(parsed.inbound.headers['X-Closeloop-Key']).toBe('draft:org_1:out_42');
    expect(parsed.inbound.text).toBe('Hallo Herr Bergmann,\n\nwillkommen zurück! Passt Ihnen Donnerstag um 10 Uhr?\n\nGrüße\nTom');
    expect(parsed.inReplyTo).toBe('<a@x>');
    expect(parsed.references).toEqual(['<a@x>', '<b@x>']);
    expect(parsed.rfcMessageId).toBeNull();
  });

  it('writes ASCII text as 7bit and quotes display names with specials', () => {
    const raw = composeDraft({ threadId: null, from: 'tom@acme.example', to: 'Weber, Markus <m.weber@x.example>, "O\'Neil, Pat" <pat@x.example>', subject: 'Hello', text: 'Plain\nASCII', headers: {}, key: 'k1' }, 0);
    expect(raw).toContain('Content-Transfer-Encoding: 7bit\r\n\r\nPlain\r\nASCII');
    expect(raw).toContain('\r\nTo: "Weber, Markus" <m.weber@x.example>, "O\'Neil, Pat" <pat@x.example>\r\n');
    expect(raw).toContain('\r\nDate: Thu, 1 Jan 1970 00:00:00 +0000\r\n');
  });

  it.each([
    ['a line break in a header (header injection)', { headers: { 'X-Note': 'a\r\nBcc: evil@x.example' } }],
    ['a line break in the subject', { subject: 'Hi\nBcc: evil@x.example' }],
    ['a reserved header', { headers: { 'Content-Type': 'text/html' } }],
    ['a different key in the headers', { headers: { 'x-closeloop-key': 'other' } }],
    ['no recipient address', { to: 'Markus Weber' }],
    ['a key with spaces', { key: 'two words' }],
  ])('refuses %s', (_name, change) => {
    const request = { threadId: null, from: 'tom@acme.example', to: 'm@x.example', subject: 'Hi', text: 'x', headers: {}, key: 'k1', ...change };
    expect(() => composeDraft(request, 0)).toThrow(ValidationError);
  });

  it('accepts the key in the headers when it is the same key', () => {
    expect(composeDraft({ threadId: null, from: 'tom@acme.example', to: 'm@x.example', subject: 'Hi', text: 'x', headers: { 'X-Closeloop-Key': 'k1' }, key: 'k1' }, 0).match(/X-Closeloop-Key/g)).toHaveLength(1);
  });
});
