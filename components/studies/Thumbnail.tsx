'use client';

import { useState } from 'react';

/**
 * A series thumbnail from Cohort's DICOMweb (/thumbnail), or, when the server cannot render it
 * (a segmentation, float pixels, a corrupt codestream) or the user may not see images
 * (`src` null), a tile naming the modality.
 */
export function Thumbnail({ src, label, size = 64 }: { src: string | null; label: string; size?: number }) {
  const [failed, setFailed] = useState(false);
  const box = { width: size, height: size };
  if (failed || src === null) {
    return (
      <span style={box} className="inline-flex items-center justify-center rounded bg-slate-800 text-xs font-semibold text-slate-300" aria-label={`${label} (no preview)`}>
        {label}
      </span>
    );
  }
  // eslint-disable-next-line @next/next/no-img-element -- a same-origin, session-authenticated image Next cannot optimise
  return <img src={src} alt={`${label} preview`} style={box} className="rounded bg-black object-contain" loading="lazy" onError={() => setFailed(true)} />;
}
