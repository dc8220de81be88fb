import type { ReactNode } from 'react';

/** The viewer takes the whole window, dark, as on a reading workstation; no app navigation around it. */
export default function ViewerLayout({ children }: { children: ReactNode }) {
  return <div className="dark h-dvh overflow-hidden bg-slate-950">{children}</div>;
}
