import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { detectFormat, parseTranscript } from './transcript.ts';

const vtt = `WEBVTT

NOTE recorded by the call tool

1
00:00:01.000 --> 00:00:04.000
<v Dana Kim>We looked at the numbers and</v>

2
00:00:04.000 --> 00:00:07.500
<v Dana Kim>we'll need a proposal by Friday.</v>

3
00:00:08.000 --> 00:00:10.000
<v Sam Lee>Great, I'll send it Thursday.</v>
`;

const srt = `1
00:00:01,000 --> 00:00:03,000
Dana Kim: Our CFO Priya signs off

2
00:00:03,500 --> 00:00:05,000
Dana Kim: anything above 40k.

3
00:00:05,500 --> 00:00:07,000
Sam Lee: Understood.
`;

describe('parseTranscript', () => {
  it.each([
    ['plain notes', '- EB is Priya\n- send proposal Fri', 'plain'],
    ['speaker lines', 'Dana: hello there\nSam: hi Dana\nDana: let us start', 'speaker'],
    ['WebVTT', vtt, 'webvtt'],
    ['SRT', srt, 'srt'],
  ])('detects %s', (_name, text, format) => {
    expect(detectFormat(text)).toBe(format);
  });

  it('joins consecutive cues of one speaker so a sentence split over cues is one turn (WebVTT voice tags)', () => {
    const t = parseTranscript(vtt);
    expect(t.format).toBe('webvtt');
    expect(t.text).toBe("Dana Kim: We looked at the numbers and we'll need a proposal by Friday.\nSam Lee: Great, I'll send it Thursday.");
    expect(t.speakers).toEqual(['Dana Kim', 'Sam Lee']);
  });

  it('reads SRT cues with "Name: text" and drops numbers and timings', () => {
    const t = parseTranscript(srt);
    expect(t.text).toBe('Dana Kim: Our CFO Priya signs off anything above 40k.\nSam Lee: Understood.');
  });

  it('keeps a wrapped speaker line with its turn', () => {
    expect(parseTranscript('Dana: we need SSO\nand audit logs\nSam: noted', 'speaker').text).toBe('Dana: we need SSO and audit logs\nSam: noted');
  });

  it('keeps plain notes as written', () => {
    expect(parseTranscript('  Notes:\r\n- pilot in May  ', 'plain')).toEqual({ format: 'plain', text: 'Notes:\n- pilot in May', speakers: [] });
  });

  it.each([
    ['empty notes', '   ', 'plain'],
    ['a WebVTT file without its header', '00:00:01.000 --> 00:00:02.000\nhi', 'webvtt'],
    ['an SRT file without cues', 'just text', 'srt'],
  ] as const)('refuses %s with a ValidationError', (_name, text, format) => {
    expect(() => parseTranscript(text, format)).toThrow(ValidationError);
  });
});
