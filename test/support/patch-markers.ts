import type { History } from '@temporalio/common/lib/proto-utils';

/**
 * The patch ids a history's `patched()` calls recorded (its `core_patch` markers), in order.
 * A history carries a patch only if its run reached the code behind it, so a recording that
 * is meant to keep a patch's path replayable can check it really does.
 */
export function patchIdsOf(history: History): string[] {
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    if (!data) return [];
    const { id } = JSON.parse(Buffer.from(data).toString('utf8')) as { id: string };
    return [id];
  });
}
