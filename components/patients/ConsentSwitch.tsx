'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { cx } from '@/components/ui/cx';
import type { ConsentState } from '@/lib/consent/consent-state';
import type { ConsentPurpose } from '@/lib/consent/purposes';

const STATE_TEXT: Record<ConsentState, string> = {
  granted: 'Allowed',
  denied: 'Declined',
  revoked: 'Revoked',
  expired: 'Ended',
  none: 'Not asked yet: not used',
};

/**
 * One use of one study (or, with `studyId` null, of all the patient's studies): whether it is allowed,
 * and a switch to change it. Turning an allowed use off asks first, saying what revocation does.
 */
export function ConsentSwitch({
  studyId,
  purpose,
  label,
  state,
  validUntil,
  policyVersion,
}: {
  studyId: string | null;
  purpose: ConsentPurpose;
  label: string;
  state: ConsentState;
  validUntil: string | null;
  policyVersion: string;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const on = state === 'granted';
  const where = studyId ? 'this study' : 'all your studies';

  async function decide(decision: 'granted' | 'revoked') {
    setBusy(true);
    setError(null);
    const res = await fetch('/api/me/consents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ studyId, purpose, decision }) });
    setBusy(false);
    setConfirming(false);
    if (!res.ok) return setError(((await res.json().catch(() => ({}))) as { message?: string }).message ?? 'Your decision could not be saved. Try again in a minute.');
    router.refresh();
  }

  return (
    <div data-testid="consent" data-purpose={purpose} data-state={state}>
      <div className="flex items-center justify-between gap-3">
        <span className="text-sm">
          <span className="font-medium">{label}</span>{' '}
          <span className="text-slate-500 dark:text-slate-400">
            · {STATE_TEXT[state]}
            {on && validUntil ? ` until ${new Date(validUntil).toLocaleDateString('en-GB')}` : ''}
          </span>
        </span>
        <button
          type="button"
          role="switch"
          aria-checked={on}
          aria-label={`${label} for ${where}`}
          disabled={busy}
          onClick={() => (on ? setConfirming(true) : void decide('granted'))}
          className={cx('relative h-6 w-11 shrink-0 rounded-full transition-colors focus:ring-2 focus:ring-brand-500/50 focus:outline-none disabled:opacity-50', on ? 'bg-brand-600' : 'bg-slate-300 dark:bg-slate-600')}
        >
          <span className={cx('absolute top-0.5 left-0.5 h-5 w-5 rounded-full bg-white shadow transition-transform', on && 'translate-x-5')} aria-hidden />
        </button>
      </div>
      {confirming && (
        <div className="mt-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100" role="alertdialog" aria-label={`Revoke ${label.toLowerCase()} for ${where}?`}>
          <p>
            Revoke {label.toLowerCase()} for {where}? No dataset published from now on will include {studyId ? 'it' : 'them'}. Datasets already published keep their copy, but
            they are flagged, so whoever holds one can see that you withdrew.
          </p>
          <p className="mt-1 text-xs">Consent policy version {policyVersion}.</p>
          <div className="mt-2 flex gap-2">
            <Button onClick={() => void decide('revoked')} disabled={busy}>
              Revoke
            </Button>
            <Button onClick={() => setConfirming(false)} variant="secondary" disabled={busy}>
              Keep it allowed
            </Button>
          </div>
        </div>
      )}
      {error && (
        <p className="mt-1 text-sm text-red-600 dark:text-red-400" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
