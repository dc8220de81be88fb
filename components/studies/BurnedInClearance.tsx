'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { inputClass } from '@/components/ui/TextField';
import { callApi, useApiCall } from '@/components/ui/use-api-call';
import type { BurnedInClearanceView } from '@/lib/studies/get-burned-in-clearance';

/**
 * For admins, on a study whose images may carry burned-in text (its modality says so): datasets leave
 * it out until someone has looked at every image and cleared it here.
 */
export function BurnedInClearance({ studyId, risky, clearance }: { studyId: string; risky: string[]; clearance: BurnedInClearanceView | null }) {
  const router = useRouter();
  const [note, setNote] = useState('');
  const { busy, error, act } = useApiCall();
  const set = (cleared: boolean) =>
    act(async () => {
      await callApi(`/api/admin/studies/${studyId}/burned-in-clearance`, { method: 'PUT', json: { cleared, note } });
      router.refresh();
    });
  return (
    <Card className="mb-6">
      <h2 className="text-base font-semibold">Burned-in text</h2>
      {error && <Alert tone="error">{error}</Alert>}
      {clearance ? (
        <div className="mt-2 space-y-3 text-sm" data-testid="burned-in-cleared">
          <p>
            Cleared by {clearance.clearedBy} on {clearance.clearedAt.slice(0, 10)}: no identifying text in the pixels, so datasets may include it.
            {clearance.note && ` “${clearance.note}”`}
          </p>
          <Button variant="secondary" onClick={() => set(false)} disabled={busy}>
            Withdraw the clearance
          </Button>
        </div>
      ) : (
        <div className="mt-2 space-y-3 text-sm">
          <p>
            {risky.length ? `Its ${risky.join(', ')} images` : 'Its images'} often show the patient&apos;s name or ID in the pixels, which de-identification
            does not remove, so datasets leave this study out. Look at every image first; clear it only if none shows identifying text.
          </p>
          <label className="block">
            <span className="mb-1 block text-xs text-slate-500">Note (optional)</span>
            <input className={inputClass} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder="e.g. checked all 42 frames" />
          </label>
          <Button onClick={() => set(true)} disabled={busy}>
            I checked every image: no burned-in text
          </Button>
        </div>
      )}
    </Card>
  );
}
