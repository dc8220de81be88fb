import type { QidoResult } from '@/lib/dicomweb/qido-rs';
import type { AccessActor } from './access-event';
import { recordAccess } from './record-access';

const STUDY_INSTANCE_UID = '0020000D';

/** A QIDO-RS study search shows each matching study's metadata (names, dates): one `dicomweb` read per study answered. */
export function recordSearchResults(result: QidoResult, { by, address }: { by: AccessActor; address: string }): void {
  for (const match of result.matches) {
    const uid = match[STUDY_INSTANCE_UID]?.Value?.[0];
    if (typeof uid === 'string') recordAccess({ study: { studyInstanceUid: uid }, by, how: 'dicomweb', address });
  }
}
