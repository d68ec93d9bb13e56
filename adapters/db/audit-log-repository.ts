import type { Tx } from './client.ts';

export interface AuditEntry {
  orgId: string;
  actorType: 'member' | 'api_key' | 'system' | 'ai';
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export const auditLogRepository = {
  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx`insert into public.audit_log ${tx({
      ...entry,
      before: entry.before === null || entry.before === undefined ? null : tx.json(entry.before as never),
      after: entry.after === null || entry.after === undefined ? null : tx.json(entry.after as never),
    })}`;
  },
};
