import type { Metadata } from 'next';
import type { ReactNode } from 'react';

// A share link's URL is its key: keep it out of search engines and out of Referer headers.
export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: 'no-referrer' };

/** Pages behind a patient's share link: the viewer's full dark window, no app navigation, no session. */
export default function SharedLayout({ children }: { children: ReactNode }) {
  return <div className="dark h-dvh overflow-hidden bg-slate-950 text-slate-100">{children}</div>;
}
