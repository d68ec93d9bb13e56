import { parseDomainEvent, type DomainEvent } from '../../domain/events.ts';
import type { Tx } from './client.ts';

/** The event log: typed events only (refused with a ValidationError otherwise), appended, never changed. */
export const eventLogRepository = {
  async append(tx: Tx, input: DomainEvent): Promise<void> {
    const event = parseDomainEvent(input);
    await tx`insert into public.event_log ${tx({
      id: event.id,
      orgId: event.orgId,
      kind: event.kind,
      version: event.version,
      occurredAt: event.occurredAt,
      source: event.source,
      actorType: event.actor.type,
      actorId: event.actor.id,
      subjectType: event.subject.type,
      subjectId: event.subject.id,
      correlationId: event.correlationId,
      causationId: event.causationId,
      data: tx.json(event.data as never),
    })}`;
  },

  async forSubject(tx: Tx, orgId: string, subjectType: string, subjectId: string): Promise<DomainEvent[]> {
    const rows = await tx<Array<Record<string, unknown>>>`
      select id, org_id, kind, version, occurred_at, source, actor_type, actor_id, subject_type, subject_id,
             correlation_id, causation_id, data
      from public.event_log
      where org_id = ${orgId} and subject_type = ${subjectType} and subject_id = ${subjectId}
      order by occurred_at, recorded_at`;
    return rows.map((r) =>
      parseDomainEvent({
        id: r.id,
        orgId: r.orgId,
        kind: r.kind,
        version: r.version,
        occurredAt: r.occurredAt,
        source: r.source,
        actor: { type: r.actorType, id: r.actorId },
        subject: { type: r.subjectType, id: r.subjectId },
        correlationId: r.correlationId,
        causationId: r.causationId,
        data: r.data,
      }),
    );
  },
};
