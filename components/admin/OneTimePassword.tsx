'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';

/** A password shown exactly once, with a copy button: Cohort stores only its hash. */
export function OneTimePassword({ email, password }: { email: string; password: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert tone="success" title="Give these sign-in details to the user now">
      <p>This password is shown only once. The user must choose their own when they first sign in.</p>
      <dl className="mt-3 grid grid-cols-[6rem_1fr] gap-1 font-mono text-sm" data-testid="one-time-password">
        <dt className="font-sans">Email</dt>
        <dd>{email}</dd>
        <dt className="font-sans">Password</dt>
        <dd data-testid="temporary-password">{password}</dd>
      </dl>
      <Button
        variant="secondary"
        className="mt-3"
        onClick={async () => {
          await navigator.clipboard.writeText(password);
          setCopied(true);
        }}
      >
        {copied ? 'Copied' : 'Copy password'}
      </Button>
    </Alert>
  );
}
