import { describe, expect, it } from 'vitest';
import { playbookDefinitionSchema, renderTemplate } from './playbooks.ts';

const step = (over: Record<string, unknown> = {}) => ({ key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hi {{contact.firstName}}', body: 'Hello {{contact.firstName}}, {{sender.name}} here.', ...over });

describe('playbook definitions', () => {
  it('accept a valid playbook and fill defaults', () => {
    const parsed = playbookDefinitionSchema.parse({ name: 'Intro', steps: [step(), step({ key: 'call', kind: 'call_task', subject: null, body: 'Call {{contact.firstName}}', delay: { amount: 2, unit: 'business_days' } })] });
    expect(parsed).toMatchObject({ allowConcurrentEnrolments: false, reenrolCooldownDays: 30, stopColleaguesOnReply: false });
    expect(parsed.sendWindow.mon).toBeDefined();
  });

  it.each([
    ['an unknown variable', { steps: [step({ body: 'Hi {{contact.nickname}}' })] }, 'unknown variable'],
    ['an email step without subject', { steps: [step({ subject: null })] }, 'subject'],
    ['a repeated step key', { steps: [step(), step()] }, 'repeats'],
    ['AI on a call task', { steps: [step({ kind: 'call_task', subject: null, aiPersonalise: true })] }, 'personalised'],
    ['no steps', { steps: [] }, 'steps'],
  ])('refuse %s', (_name, input, message) => {
    const result = playbookDefinitionSchema.safeParse({ name: 'X', ...input });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});

describe('renderTemplate', () => {
  it('fills variables', () => {
    expect(renderTemplate('Hi {{ contact.firstName }}, {{sender.name}}', { 'contact.firstName': 'Priya', 'sender.name': 'Riya' })).toEqual({ ok: true, text: 'Hi Priya, Riya' });
  });
  it('never returns a raw placeholder: missing values are named', () => {
    expect(renderTemplate('Hi {{contact.firstName}} at {{account.name}}', { 'contact.firstName': ' ', 'account.name': null })).toEqual({ ok: false, missing: ['contact.firstName', 'account.name'] });
  });
});
