import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Registered on the server by scripts/lib/services.mjs and docker-compose.yml, so the
 * Temporal UI and CLI can filter cases. Codes and stages only: never personal data.
 */
export const CaseStage = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const Village = defineSearchAttributeKey('Village', SearchAttributeType.KEYWORD);
export const Town = defineSearchAttributeKey('Town', SearchAttributeType.KEYWORD);
export const County = defineSearchAttributeKey('County', SearchAttributeType.KEYWORD);
