import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { type DomainEvent, domainEventSchema, eventKinds, examples, parseDomainEvent } from './events.ts';

const exampleList: DomainEvent[] = Object.values(examples);

// A deep copy to break, so the shared examples stay valid for every case.
const breakExample = (kind: keyof typeof examples, change: (event: Record<string, unknown> & { data: Record<string, unknown> }) => void): unknown => {
  const copy = structuredClone(examples[kind]) as unknown as Record<string, unknown> & { data: Record<string, unknown> };
  change(copy);
  return copy;
};

describe('event examples', () => {
  it('cover every kind exactly once', () => {
    expect(Object.keys(examples).sort()).toEqual([...eventKinds].sort());
    for (const [kind, event] of Object.entries(examples)) expect(event.kind).toBe(kind);
  });

  it.each(exampleList.map((event) => [event.kind, event] as const))('%s round-trips through parse', (_kind, event) => {
    expect(parseDomainEvent(event)).toEqual(event);
  });

  it.each(exampleList.map((event) => [event.kind, event] as const))('%s round-trips through JSON', (_kind, event) => {
    const fromJson: unknown = JSON.parse(JSON.stringify(event));
    const parsed = parseDomainEvent(fromJson);
    expect(parsed).toEqual(event);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(fromJson);
  });

  it('the exported union agrees with parseDomainEvent', () => {
    for (const event of exampleList) expect(domainEventSchema.parse(event)).toEqual(event);
  });
});

describe('parseDomainEvent refuses', () => {
  const email = 'ann.lee@northwind.com';
  const cases: Array<{ name: string; input: unknown; message: RegExp[] }> = [
    { name: 'an unknown kind', input: breakExample('contact.created', (e) => { e.kind = 'contact.merged'; }), message: [/Unknown event kind \("contact\.merged"\)/, /at kind/] },
    { name: 'a missing kind', input: breakExample('contact.created', (e) => { delete e.kind; }), message: [/Unknown event kind \(missing\)/] },
    { name: 'a non-object', input: 'contact.created', message: [/Unknown event kind/] },
    { name: 'null', input: null, message: [/Unknown event kind/] },
    { name: 'a wrong version', input: breakExample('deal.created', (e) => { e.version = 2; }), message: [/'deal\.created'/, /expected 1/, /at version/] },
    { name: 'a missing envelope field', input: breakExample('deal.created', (e) => { delete e.occurredAt; }), message: [/at occurredAt/] },
    { name: 'a missing data field', input: breakExample('deal.created', (e) => { delete e.data.stage; }), message: [/at data\.stage/] },
    { name: 'a missing data object', input: breakExample('task.completed', (e) => { Reflect.deleteProperty(e, 'data'); }), message: [/at data/] },
    { name: 'an extra field in data', input: breakExample('account.created', (e) => { e.data.name = 'Northwind'; }), message: [/Unrecognized key: "name"/, /at data/] },
    { name: 'an extra envelope field', input: breakExample('account.created', (e) => { e.payload = {}; }), message: [/Unrecognized key: "payload"/] },
    { name: "a person's email as an extra data field", input: breakExample('contact.created', (e) => { e.data.email = email; }), message: [/Unrecognized key: "email"/, /at data/] },
    { name: "a person's email in a token field", input: breakExample('process.ended', (e) => { e.data.outcome = email; }), message: [/email address/, /at data\.outcome/] },
    { name: "a person's email as the workflow id", input: breakExample('process.started', (e) => { e.data.workflowId = `follow-up:${email}`; }), message: [/email address/, /at data\.workflowId/] },
    { name: "a person's email as correlation id", input: breakExample('task.completed', (e) => { e.correlationId = email; }), message: [/email address/, /at correlationId/] },
    { name: "a person's email as the actor id", input: breakExample('task.completed', (e) => { e.actor = { type: 'api_key', id: email }; }), message: [/email address/, /at actor\.id/] },
    { name: 'free text about a person in a step name', input: breakExample('process.step_changed', (e) => { e.data.step = 'called Ann about pricing'; }), message: [/not free text/, /at data\.step/] },
    { name: "a person's email as the contact id", input: breakExample('contact.created', (e) => { e.subject = { type: 'contact', id: email }; }), message: [/at subject\.id/] },
    { name: 'a subject of the wrong type', input: breakExample('contact.created', (e) => { e.subject = { type: 'deal', id: examples['deal.created'].subject.id }; }), message: [/at subject\.type/] },
    { name: 'a non-uuid id for a non-process subject of a process event', input: breakExample('process.step_changed', (e) => { e.subject = { type: 'contact', id: 'ann' }; }), message: [/at subject\.id/] },
    { name: 'a member actor without a member id', input: breakExample('task.completed', (e) => { e.actor = { type: 'member', id: null }; }), message: [/at actor\.id/] },
    { name: 'an unknown source', input: breakExample('task.completed', (e) => { e.source = 'cron'; }), message: [/at source/] },
    { name: 'a time without offset', input: breakExample('task.completed', (e) => { e.occurredAt = '2025-03-06T08:45:00'; }), message: [/at occurredAt/] },
    { name: 'a stage change to the same stage', input: breakExample('deal.stage_changed', (e) => { e.data.to = e.data.from; }), message: [/to must differ from from/, /at data\.to/] },
    { name: 'an unknown stage', input: breakExample('deal.stage_changed', (e) => { e.data.to = 'won'; }), message: [/at data\.to/] },
    { name: 'an empty field list', input: breakExample('contact.updated', (e) => { e.data.fields = []; }), message: [/at data\.fields/] },
    { name: 'a field that is not a Contact field', input: breakExample('contact.updated', (e) => { e.data.fields = ['nickname']; }), message: [/at data\.fields\[0\]/] },
    { name: 'an immutable Contact field', input: breakExample('contact.updated', (e) => { e.data.fields = ['id']; }), message: [/at data\.fields\[0\]/] },
    { name: 'a repeated field', input: breakExample('contact.updated', (e) => { e.data.fields = ['title', 'title']; }), message: [/fields must not repeat/] },
    { name: 'runSeq 0', input: breakExample('process.step_changed', (e) => { e.data.runSeq = 0; }), message: [/at data\.runSeq/] },
    { name: 'a fractional stepSeq', input: breakExample('process.step_changed', (e) => { e.data.stepSeq = 1.5; }), message: [/at data\.stepSeq/] },
    { name: 'a non-uuid causationId', input: breakExample('task.created', (e) => { e.causationId = 'abc'; }), message: [/at causationId/] },
  ];

  it.each(cases)('$name', ({ input, message }) => {
    let caught: unknown;
    try {
      parseDomainEvent(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const { name, message: text } = caught as ValidationError;
    expect(name).toBe('ValidationError');
    for (const pattern of message) expect(text).toMatch(pattern);
  });
});
