// What each member role may do, as data. The migration seeds the same rows into public.role_permissions, which
// the row-level-security policies consult; a test checks that the two agree. The API enforces it at the edge too.
import { z } from 'zod';

import { memberRoleSchema } from './objects.ts';

export type MemberRole = z.infer<typeof memberRoleSchema>;

export const actionSchema = z.enum(['read', 'create', 'update', 'delete']);
export type Action = z.infer<typeof actionSchema>;

export const resourceSchema = z.enum([
  'organisations',
  'members',
  'api_keys',
  'accounts',
  'contacts',
  'deals',
  'stakeholders',
  'activities',
  'tasks',
  'signals',
  'documents',
  'suppressions',
  'event_log',
  'audit_log',
  'process_runs',
  'webhook_inbox',
  'webhook_secrets',
  'mailbox_connections',
  'import_batches',
  'import_rows',
  'match_reviews',
  'contact_merges',
  'invitations',
  'mailboxes',
  'outbound_messages',
  'approvals',
  'send_ledger',
  'send_slots',
  'outbox',
  'draft_revisions',
  'playbooks',
  'enrolments',
  'call_notes',
  'call_note_proposals',
  'meeting_briefs',
]);
export type Resource = z.infer<typeof resourceSchema>;

type Grants = Partial<Record<Resource, readonly Action[]>>;

const salesObjects = ['accounts', 'contacts', 'deals', 'stakeholders', 'activities', 'tasks', 'signals', 'documents'] as const;

const rep: Grants = {
  organisations: ['read'],
  members: ['read'],
  ...Object.fromEntries(salesObjects.map((r) => [r, ['read', 'create', 'update']])),
  stakeholders: ['read', 'create', 'update', 'delete'],
  suppressions: ['read', 'create'],
  event_log: ['read', 'create'],
  audit_log: ['create'],
  process_runs: ['read'],
  mailboxes: ['read'],
  outbound_messages: ['read'],
  approvals: ['read'],
  send_ledger: ['read'],
  outbox: ['read'],
  draft_revisions: ['read'],
  playbooks: ['read'],
  enrolments: ['read', 'create'],
  mailbox_connections: ['read'],
  import_batches: ['read', 'create'],
  import_rows: ['read'],
  match_reviews: ['read'],
  call_notes: ['read', 'create'],
  call_note_proposals: ['read'],
  meeting_briefs: ['read'],
};

const manager: Grants = {
  ...rep,
  ...Object.fromEntries(salesObjects.map((r) => [r, ['read', 'create', 'update', 'delete']])),
  audit_log: ['read', 'create'],
  send_slots: ['read'],
  playbooks: ['read', 'create'],
  // Reassigning a running cadence to another rep.
  enrolments: ['read', 'create', 'update'],
  // Identity resolution: deciding pairs, merging and un-merging contacts.
  match_reviews: ['read', 'update'],
  contact_merges: ['read', 'create'],
};

const admin: Grants = {
  ...manager,
  organisations: ['read', 'update'],
  members: ['read', 'create', 'update', 'delete'],
  api_keys: ['read', 'create', 'update'],
  invitations: ['read', 'create', 'update'],
  mailboxes: ['read', 'create', 'update'],
  // Lifting a suppression means contacting someone who opted out or bounced: admins only.
  suppressions: ['read', 'create', 'delete'],
  webhook_inbox: ['read', 'update'],
  // Inbound webhook signing secrets: shown once when created, never read back.
  webhook_secrets: ['read', 'create'],
};

export const rolePermissions: Record<MemberRole, Grants> = { rep, manager, admin };

export function can(role: MemberRole, resource: Resource, action: Action): boolean {
  return rolePermissions[role][resource]?.includes(action) ?? false;
}

/** Every (role, resource, action) that is allowed, sorted: the rows of public.role_permissions. */
export function permissionRows(): Array<{ role: MemberRole; resource: Resource; action: Action }> {
  const rows: Array<{ role: MemberRole; resource: Resource; action: Action }> = [];
  for (const role of memberRoleSchema.options) {
    for (const [resource, actions] of Object.entries(rolePermissions[role]) as Array<[Resource, readonly Action[]]>) {
      for (const action of actions) rows.push({ role, resource, action });
    }
  }
  return rows.sort((a, b) => `${a.role}/${a.resource}/${a.action}`.localeCompare(`${b.role}/${b.resource}/${b.action}`));
}
