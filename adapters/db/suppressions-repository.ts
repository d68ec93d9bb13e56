import type { Tx } from './client.ts';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained' | 'erased' | 'manual';

/** The suppression list stores keyed hashes of addresses (app.address_hash), never the addresses. */
export const suppressionsRepository = {
  async suppress(tx: Tx, orgId: string, address: string, reason: SuppressionReason, source: string | null): Promise<string> {
    const [row] = await tx<{ id: string }[]>`select app.suppress(${orgId}, ${address}, ${reason}, ${source}) as id`;
    return row!.id;
  },

  async isSuppressed(tx: Tx, orgId: string, address: string): Promise<boolean> {
    const [row] = await tx<{ suppressed: boolean }[]>`select app.is_suppressed(${orgId}, ${address}) as suppressed`;
    return row!.suppressed;
  },
};
