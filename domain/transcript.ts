// Call notes arrive as plain notes, "Speaker: text" lines, WebVTT or SRT. All become one plain text — a line per
// speaker turn — which is what the extractor reads and what every quote is checked against. Pure.
import { z } from 'zod';
import { ValidationError } from './errors.ts';

export const transcriptFormatSchema = z.enum(['plain', 'speaker', 'webvtt', 'srt']);
export type TranscriptFormat = z.infer<typeof transcriptFormatSchema>;

export interface Transcript {
  format: TranscriptFormat;
  /** Plain text: the notes as written, or one "Speaker: text" line per turn. */
  text: string;
  /** Speakers in order of first appearance (empty for plain notes). */
  speakers: string[];
}

export const TRANSCRIPT_MAX_CHARS = 200_000;

const timing = /^\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}/;
const speakerLine = /^([\p{Lu}][\p{L}\p{M}.'’ -]{0,60}?)\s*:\s+(\S.*)$/u;
const voiceTag = /^<v(?:\.[^\s>]+)*\s+([^>]+)>([\s\S]*?)(?:<\/v>)?$/;

/** Detects the format when the caller did not say. */
export function detectFormat(raw: string): TranscriptFormat {
  const text = raw.replace(/^\uFEFF/, '');
  if (/^WEBVTT(?:[ \t]|$)/m.test(text.split('\n', 1)[0] ?? '')) return 'webvtt';
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length >= 2 && /^\d+$/.test(lines[0]!) && timing.test(lines[1]!)) return 'srt';
  const speakerLines = lines.filter((line) => speakerLine.test(line)).length;
  return lines.length > 0 && speakerLines / lines.length >= 0.6 ? 'speaker' : 'plain';
}

interface Turn {
  speaker: string | null;
  text: string;
}

function stripTags(text: string): string {
  return text.replace(/<\/?(?:c|i|b|u|lang|ruby|rt)(?:\.[^\s>]*)?(?:\s[^>]*)?>/g, '').replace(/<\d{1,2}:\d{2}[^>]*>/g, '');
}

function cueTurn(lines: string[]): Turn | null {
  const joined = lines.map((line) => line.trim()).filter(Boolean).join(' ');
  if (!joined) return null;
  const voice = voiceTag.exec(joined);
  if (voice) return { speaker: voice[1]!.trim(), text: stripTags(voice[2]!).trim() };
  const plain = stripTags(joined).trim();
  const named = speakerLine.exec(plain);
  return named ? { speaker: named[1]!.trim(), text: named[2]!.trim() } : { speaker: null, text: plain };
}

/** Cues of WebVTT or SRT: the lines after each timing line, up to a blank line. */
function cues(text: string, format: 'webvtt' | 'srt'): Turn[] {
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const turns: Turn[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    const at = lines.findIndex((line) => timing.test(line));
    if (at < 0) continue; // header, NOTE, STYLE, REGION blocks
    if (format === 'webvtt' && lines.slice(0, at).some((line) => /^(NOTE|STYLE|REGION)\b/.test(line))) continue;
    const turn = cueTurn(lines.slice(at + 1));
    if (turn) turns.push(turn);
  }
  return turns;
}

function speakerTurns(text: string): Turn[] {
  const turns: Turn[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const named = speakerLine.exec(line);
    if (named) turns.push({ speaker: named[1]!.trim(), text: named[2]!.trim() });
    else if (turns.length > 0) turns[turns.length - 1]!.text += ` ${line}`; // a wrapped line continues the turn
    else turns.push({ speaker: null, text: line });
  }
  return turns;
}

/** Consecutive cues of one speaker are one turn, so a sentence split over cues can be quoted whole. */
function merge(turns: Turn[]): Turn[] {
  const merged: Turn[] = [];
  for (const turn of turns) {
    const last = merged[merged.length - 1];
    if (last && last.speaker === turn.speaker) last.text = `${last.text} ${turn.text}`;
    else merged.push({ ...turn });
  }
  return merged;
}

export function parseTranscript(raw: string, format: TranscriptFormat | null = null): Transcript {
  if (raw.length > TRANSCRIPT_MAX_CHARS) throw new ValidationError(`The notes are longer than ${TRANSCRIPT_MAX_CHARS} characters`);
  const text = raw.replace(/^\uFEFF/, '');
  const chosen = format ?? detectFormat(text);
  if (chosen === 'plain') {
    const plain = text.replace(/\r\n?/g, '\n').trim();
    if (!plain) throw new ValidationError('The notes are empty');
    return { format: 'plain', text: plain, speakers: [] };
  }
  if (chosen === 'webvtt' && !/^WEBVTT/.test(text)) throw new ValidationError('A WebVTT file starts with "WEBVTT"');
  const turns = merge(chosen === 'speaker' ? speakerTurns(text) : cues(text, chosen));
  if (turns.length === 0) throw new ValidationError(`No ${chosen === 'speaker' ? 'lines' : 'cues'} with text were found in the ${chosen} input`);
  const speakers = [...new Set(turns.flatMap((turn) => (turn.speaker ? [turn.speaker] : [])))];
  return { format: chosen, text: turns.map((turn) => (turn.speaker ? `${turn.speaker}: ${turn.text}` : turn.text)).join('\n'), speakers };
}
