// Reads everything a workflow left in Temporal — history events with their payloads decoded, search
// attributes, memo — as one string, so a test can check that no personal data is in it.
import type { Client } from '@temporalio/client';

function decodePayloads(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  if (value instanceof Uint8Array) {
    out.push(Buffer.from(value).toString('utf8'));
    return;
  }
  for (const v of Object.values(value as Record<string, unknown>)) decodePayloads(v, out);
}

export async function everythingTemporalHolds(client: Client, workflowId: string): Promise<string> {
  const handle = client.workflow.getHandle(workflowId);
  const parts: string[] = [];
  const history = await handle.fetchHistory();
  decodePayloads(history, parts);
  const description = await handle.describe();
  parts.push(JSON.stringify(description.searchAttributes), JSON.stringify(description.typedSearchAttributes), JSON.stringify(await description.memo ?? {}));
  decodePayloads(description.raw, parts);
  return parts.join('\n');
}
