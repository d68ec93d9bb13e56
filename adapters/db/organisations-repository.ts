import type { Tx } from './client.ts';

export interface NewOrganisation {
  name: string;
  timeZone?: string;
  postalAddress?: string | null;
}

export interface NewMember {
  userId: string;
  displayName: string;
  email: string;
  role: 'rep' | 'manager' | 'admin';
  timeZone?: string;
  fromName?: string | null;
  fromAddress?: string | null;
  replyTo?: string | null;
}

/** Organisations and their members. Creating either is a worker / admin-tool action (service role). */
export const organisationsRepository = {
  async create(tx: Tx, input: NewOrganisation): Promise<{ id: string }> {
    const [row] = await tx<{ id: string }[]>`
      insert into public.organisations ${tx({ name: input.name, timeZone: input.timeZone ?? 'UTC', postalAddress: input.postalAddress ?? null })}
      returning id`;
    return row!;
  },

  async addMember(tx: Tx, orgId: string, input: NewMember): Promise<{ id: string }> {
    const [row] = await tx<{ id: string }[]>`
      insert into public.members ${tx({
        orgId,
        userId: input.userId,
        displayName: input.displayName,
        email: input.email.toLowerCase(),
        role: input.role,
        timeZone: input.timeZone ?? 'UTC',
        fromName: input.fromName ?? null,
        fromAddress: input.fromAddress ?? null,
        replyTo: input.replyTo ?? null,
      })}
      returning id`;
    return row!;
  },
};
