// The search attributes every Closeloop process sets, so ops can filter in the Temporal Web UI and with
// `temporal workflow list --query "OrgId = '…' AND ProcessStatus = '…'"`. Workflow-safe: no Node imports.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OrgId = defineSearchAttributeKey('OrgId', SearchAttributeType.KEYWORD);
export const AccountId = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);
export const ContactId = defineSearchAttributeKey('ContactId', SearchAttributeType.KEYWORD);
export const DealId = defineSearchAttributeKey('DealId', SearchAttributeType.KEYWORD);
export const Playbook = defineSearchAttributeKey('Playbook', SearchAttributeType.KEYWORD);
// Not "Status": Temporal's list-query parser takes `Status` for the legacy alias of ExecutionStatus and rejects
// it ("invalid search attribute: status"), and the Web UI shows ExecutionStatus as "Status". See ADR-0005.
export const ProcessStatus = defineSearchAttributeKey('ProcessStatus', SearchAttributeType.KEYWORD);
export const Owner = defineSearchAttributeKey('Owner', SearchAttributeType.KEYWORD);

export const closeloopSearchAttributes = [OrgId, AccountId, ContactId, DealId, Playbook, ProcessStatus, Owner] as const;
