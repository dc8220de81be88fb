'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { icons } from '@/components/ui/icons';
import { forgetAllUnsavedLabels } from '@/components/viewer/labeling/unsaved-labels.client';
import { authClient } from './auth-client';

export function SignOutButton({ className }: { className?: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      className={className}
      onClick={async () => {
        setBusy(true);
        await authClient.signOut();
        forgetAllUnsavedLabels();
        router.replace('/sign-in');
        router.refresh();
      }}
    >
      {icons.signOut(18)}
      <span>{busy ? 'Signing out…' : 'Sign out'}</span>
    </button>
  );
}
