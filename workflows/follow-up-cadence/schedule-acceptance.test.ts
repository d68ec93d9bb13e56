// A 5-step cadence over three weeks for contacts in three zones: every send instant asserted. The clock is moved
// (time-skipping) to the week before the next US DST change, derived from the server's current time, and one
// contact is in a country with a public holiday inside those weeks: the holiday is skipped. Expected instants are
// computed here with plain calendar stepping, not with the schedule function under test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { cadenceRepository } from '../../adapters/db/cadence-repository.ts';
import type { Database } from '../../adapters/db/session.ts';
import type { PlaybookDefinition } from '../../domain/playbooks.ts';
import { publicHolidayLookup, upcomingDstChange } from '../../domain/schedule.ts';
import { addDays, wallTimeAt, zonedTimeToMs, type WallTime } from '../../domain/zoned-time.ts';
import { testActivities } from '../../infra/testing/activities.ts';
import { appDatabase } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, testResources, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { outboundFixture } from '../../infra/testing/outbound.ts';
import { followUpWorkflowId } from './messages.ts';
import { followUpCadenceWorkflow } from './workflow.ts';

const DAY = 86_400_000;
const weekdays = { start: '09:00', end: '17:00' };
const businessDays = [0, 2, 3, 4, 5];
const playbook: PlaybookDefinition = {
  name: 'Five touches',
  steps: businessDays.map((amount, i) => ({
    key: `step-${i + 1}`, kind: 'auto_email' as const, delay: i === 0 ? { amount: 0, unit: 'minutes' as const } : { amount, unit: 'business_days' as const },
    subject: `Touch ${i + 1}`, body: `Hello {{contact.firstName}} (${i + 1})`, aiPersonalise: false, taskExpiresAfterHours: null,
  })),
  sendWindow: { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] },
  allowConcurrentEnrolments: false,
  reenrolCooldownDays: 30,
  stopColleaguesOnReply: false,
  sendAssist: false,
};

// Countries to look in for a public holiday on a weekday in the cadence's weeks, with a zone of theirs.
const holidayCandidates: Array<[string, string]> = [
  ['DE', 'Europe/Berlin'], ['GB', 'Europe/London'], ['FR', 'Europe/Paris'], ['IN', 'Asia/Kolkata'], ['JP', 'Asia/Tokyo'],
  ['BR', 'America/Sao_Paulo'], ['AU', 'Australia/Sydney'], ['MX', 'America/Mexico_City'], ['ES', 'Europe/Madrid'], ['IT', 'Europe/Rome'],
  ['CA', 'America/Toronto'], ['CN', 'Asia/Shanghai'], ['KR', 'Asia/Seoul'], ['NL', 'Europe/Amsterdam'], ['SE', 'Europe/Stockholm'],
];

const dateKey = (w: WallTime) => `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
const weekdayOf = (w: WallTime) => new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay(); // 0 = Sunday

/** Independent expectation: first touch at the start if inside the window, else the next opening; then N business days later, same local time. */
function expectedSends(startMs: number, zone: string, country: string): number[] {
  const holiday = publicHolidayLookup(country);
  const isBusinessDay = (w: WallTime) => weekdayOf(w) >= 1 && weekdayOf(w) <= 5 && holiday(dateKey(w)) === null;
  let wall = wallTimeAt(startMs, zone);
  if (!(isBusinessDay(wall) && wall.hour >= 9 && wall.hour < 17)) {
    if (!(isBusinessDay(wall) && wall.hour < 9)) {
      do wall = addDays(wall, 1);
      while (!isBusinessDay(wall));
    }
    wall = { ...wall, hour: 9, minute: 0 };
  }
  const sends = [wall.hour === wallTimeAt(startMs, zone).hour && dateKey(wall) === dateKey(wallTimeAt(startMs, zone)) ? startMs : zonedTimeToMs(wall, zone)];
  for (const n of businessDays.slice(1)) {
    let counted = 0;
    while (counted < n) {
      wall = addDays(wall, 1);
      if (isBusinessDay(wall)) counted++;
    }
    const previous = wallTimeAt(sends.at(-1)!, zone);
    sends.push(zonedTimeToMs({ ...wall, hour: previous.hour, minute: previous.minute }, zone));
  }
  return sends;
}

let env: TestWorkflowEnvironment;
let db: Database;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('schedule-acceptance');
});
afterAll(async () => {
  await db?.end();
  await env?.teardown();
});

describe('cadence schedule (acceptance)', () => {
  it('5 steps over 3 weeks in three zones, across a DST change, skipping a listed holiday', { timeout: 240_000 }, async () => {
    const now = await env.currentTimeMs();
    let dst = upcomingDstChange('America/New_York', now + DAY)!;
    if (dst - 8 * DAY < now + 3600_000) dst = upcomingDstChange('America/New_York', dst + DAY)!;
    // Monday 10:30 New York time, in the week before the change.
    let wall = wallTimeAt(dst - 8 * DAY, 'America/New_York');
    while (weekdayOf(wall) !== 1) wall = addDays(wall, 1);
    const startMs = zonedTimeToMs({ ...wall, hour: 10, minute: 30 }, 'America/New_York');
    expect(startMs).toBeLessThan(dst);

    const inWeeks = (country: string) => {
      const holiday = publicHolidayLookup(country);
      for (let d = 1; d < 21; d++) {
        const w = addDays(wallTimeAt(startMs, 'UTC'), d);
        if (weekdayOf(w) >= 1 && weekdayOf(w) <= 5 && holiday(dateKey(w))) return dateKey(w);
      }
      return null;
    };
    const holidayPick = holidayCandidates.find(([country]) => inWeeks(country) !== null);
    expect(holidayPick, 'no candidate country has a weekday public holiday in these three weeks').toBeDefined();
    const contacts: Array<{ zone: string; country: string }> = [
      { zone: 'America/New_York', country: 'US' },
      { zone: 'Asia/Kolkata', country: 'IN' },
      { zone: holidayPick![1], country: holidayPick![0] },
    ];

    await env.sleep(startMs - now);
    const fixture = await outboundFixture(db, { policy: 'auto_send_templates' });
    const orgId = fixture.org.orgId;
    await db.asService((tx) => cadenceRepository.createPlaybook(tx, { orgId, key: 'five', name: playbook.name, definition: playbook, createdByMemberId: fixture.org.members.manager }));
    const taskQueue = uniqueTaskQueue('schedule-acceptance');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: testResources().workflowBundle, activities: testActivities(db) });
    const enrolled: Array<{ zone: string; country: string; contactId: string; handle: Awaited<ReturnType<typeof env.client.workflow.start<typeof followUpCadenceWorkflow>>> }> = [];
    await worker.runUntil(async () => {
      for (const c of contacts) {
        const contact = await fixture.contact();
        await db.asService((tx) => tx`update public.contacts set first_name = 'Kim', time_zone = ${c.zone}, country = ${c.country} where id = ${contact.id}`);
        const version = await db.asService((tx) => cadenceRepository.latestVersion(tx, orgId, 'five'));
        const workflowId = followUpWorkflowId(orgId, contact.id, 'five');
        const enrolmentId = await db.asService((tx) => cadenceRepository.createEnrolment(tx, { orgId, contactId: contact.id, playbookVersionId: version!.versionId, ownerMemberId: fixture.org.members.rep, mailboxId: fixture.mailboxId, workflowId }));
        enrolled.push({ ...c, contactId: contact.id, handle: await env.client.workflow.start(followUpCadenceWorkflow, { taskQueue, workflowId, args: [{ orgId, enrolmentId }] }) });
      }
      for (const e of enrolled) expect((await e.handle.result()).outcome).toBe('completed');
    });

    for (const e of enrolled) {
      const sent = await db.asService((tx) => tx<{ acceptedAt: string }[]>`
        select l.accepted_at from public.send_ledger l join public.outbound_messages m on m.business_key = l.business_key
        where m.org_id = ${orgId} and m.contact_id = ${e.contactId} order by l.accepted_at`);
      const expected = expectedSends(startMs, e.zone, e.country);
      expect(sent).toHaveLength(5);
      sent.forEach((s, i) => {
        const drift = Date.parse(s.acceptedAt) - expected[i]!;
        expect([e.zone, i + 1, drift >= 0 && drift < 60_000]).toEqual([e.zone, i + 1, true]);
      });
    }
    // The New York contact's sends straddle the DST change at the same local time: 23 h less one hour apart in UTC terms.
    const ny = expectedSends(startMs, 'America/New_York', 'US');
    expect(ny.some((t) => t < dst) && ny.some((t) => t > dst)).toBe(true);
    expect(new Set(ny.map((t) => wallTimeAt(t, 'America/New_York').hour))).toEqual(new Set([10]));
    expect(new Set(ny.map((t) => new Date(t).getUTCHours())).size).toBe(2);
    // And the holiday country's contact skipped its holiday.
    const holidayDate = inWeeks(contacts[2]!.country)!;
    expect(expectedSends(startMs, contacts[2]!.zone, contacts[2]!.country).map((t) => dateKey(wallTimeAt(t, contacts[2]!.zone)))).not.toContain(holidayDate);
  });
});
