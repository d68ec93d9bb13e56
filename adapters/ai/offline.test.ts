import { describe, expect, it } from 'vitest';
import { thrown } from '../../infra/testing/errors.ts';
import { createOfflineDrafter } from './offline.ts';
import type { DraftContext, PersonaliseRequest } from './port.ts';

const context: DraftContext = {
  recipient: { firstName: 'Priya', lastName: 'Shah', title: 'COO', accountName: 'Customer Ltd', timeZone: 'Europe/London' },
  sender: { name: 'Ada Lovelace' },
  earlierActivities: [{ at: '2025-03-01T10:00:00Z', summary: 'email sent: Intro' }],
};

const request = (template: { subject: string; body: string }): PersonaliseRequest => ({
  orgId: '7c0b5a0e-4f5e-4a43-9d41-5b7a4f1d2c11',
  idempotencyKey: 'follow-up/step-2/contact-1',
  template,
  context,
});

describe('offline template drafter', () => {
  const drafter = createOfflineDrafter();

  it('returns the template exactly as written, labelled as no AI', async () => {
    const template = { subject: '  Pilot next steps', body: 'Hi Priya,\n\nShall we book the kickoff? https://closeloop.example/book\n\nAda\n' };
    const drafted = await drafter.personalise(request(template));

    expect(drafter.kind).toBe('offline');
    expect(drafted).toEqual({
      subject: template.subject,
      body: template.body,
      origin: 'template',
      model: null,
      label: 'offline template drafter: no AI, the template as written',
    });
  });

  it('cannot rewrite: regenerate answers null', async () => {
    await expect(
      drafter.regenerate({ orgId: 'org', idempotencyKey: 'k', current: { subject: 'S', body: 'B' }, instructions: 'shorter', context }),
    ).resolves.toBeNull();
  });

  it.each([
    [{ subject: '', body: 'Body' }, /subject/],
    [{ subject: '   ', body: 'Body' }, /subject/],
    [{ subject: 'Subject', body: '' }, /body/],
    [{ subject: 'Subject', body: '\n\t ' }, /body/],
  ])('refuses %j with a ValidationError', async (template, message) => {
    const error = await thrown(drafter.personalise(request(template)));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toMatch(message);
  });
});
