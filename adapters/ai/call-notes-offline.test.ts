import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../bench/call-notes/dataset.ts';
import { checkEvidence } from '../../domain/call-notes.ts';
import { parseTranscript } from '../../domain/transcript.ts';
import { createOfflineCallNotesExtractor, extractOffline, OFFLINE_EXTRACTOR_LABEL } from './call-notes-offline.ts';
import type { ExtractRequest } from './call-notes-port.ts';

const request = (transcript: string, over: Partial<ExtractRequest['context']> = {}): ExtractRequest => ({
  orgId: 'org',
  idempotencyKey: 'k',
  transcript,
  occurredAt: '2026-03-10T15:00:00Z',
  timeZone: 'America/New_York',
  context: { repName: 'Sam Lee', accountName: null, stage: 'discovery', currency: 'USD', knownPeople: [], ...over },
});

describe('the offline call-notes extractor', () => {
  it('never invents: on every labelled call, each item quotes the notes and backs its value (the evidence rule drops nothing)', () => {
    for (const call of loadDataset()) {
      const transcript = parseTranscript(call.text, call.format).text;
      const { dropped } = checkEvidence(extractOffline(request(transcript, { repName: call.context.repName, stage: call.context.stage })), transcript);
      expect(dropped, call.id).toEqual([]);
    }
  });

  it('hedged talk proposes no CRM change', () => {
    const out = extractOffline(request('Dana: Maybe we could send the proposal and sign by the end of June, not sure if budget is there.\nDana: We might go with Gong, possibly.'));
    expect(out.stageChange).toBeNull();
    expect(out.closeDateChange).toBeNull();
    expect(out.nextSteps).toEqual([]);
  });

  it('reads a transcript: the buyer as a person with the part they state, the rep\'s next step with its day, a callback, the stage the proposal moves to', () => {
    const out = extractOffline(request([
      'Sam Lee: Thanks for the time, Dana.',
      'Dana Kim: I sign off on anything in this budget, and we want a formal proposal.',
      'Sam Lee: I will send the proposal by Friday.',
      'Dana Kim: Call me back Thursday at 3pm to walk through it.',
    ].join('\n')));
    expect(out.people).toEqual([expect.objectContaining({ name: 'Dana Kim', role: 'approver' })]);
    expect(out.nextSteps).toEqual([expect.objectContaining({ owner: 'rep', due: 'Friday', quote: 'I will send the proposal by Friday.' })]);
    expect(out.callbacks).toEqual([expect.objectContaining({ when: 'Call me back Thursday at 3pm to walk through it' })]);
    expect(out.stageChange).toEqual(expect.objectContaining({ stage: 'proposal', quote: 'I will send the proposal by Friday.' }));
  });

  it('says it is the offline one, with its rule-set version', async () => {
    const result = await createOfflineCallNotesExtractor().extract(request('Sam: I will send the deck tomorrow.'));
    expect(result).toMatchObject({ extractor: 'offline', model: null, promptVersion: 'offline-rules.v2', label: OFFLINE_EXTRACTOR_LABEL });
    expect(result.label).toContain('no AI');
  });
});
