'use client';

/** Last resort when even the root layout fails: plain HTML, no app styles guaranteed. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', padding: '4rem 1rem', textAlign: 'center' }}>
        <h1>Cohort is having trouble</h1>
        <p>The error has been logged{error.digest ? ` (reference ${error.digest})` : ''}. Reload the page in a minute.</p>
      </body>
    </html>
  );
}
