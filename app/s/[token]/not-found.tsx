import { INVALID_SHARE_LINK } from '@/lib/share-links/invalid-share-link.client';

/** Forged, expired and withdrawn links alike: one page that says nothing about any study. */
export default function ShareLinkNotFound() {
  return (
    <main className="mx-auto flex h-full max-w-md flex-col justify-center gap-3 p-6" data-testid="share-link-invalid">
      <h1 className="text-lg font-semibold">This link does not work</h1>
      <p className="text-sm text-slate-300">{INVALID_SHARE_LINK}</p>
      <p className="text-sm text-slate-400">If you still need the images, ask the person who sent you the link for a new one.</p>
    </main>
  );
}
