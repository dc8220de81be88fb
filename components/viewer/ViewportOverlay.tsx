export type OverlayText = {
  patient: string;
  patientId: string;
  study: string;
  studyDate: string;
  series: string;
  image: string;
  location: string;
  window: string;
  zoom: string;
};

/** The four corners a radiologist reads without thinking: who, what, where in the stack, how it is windowed. */
export function ViewportOverlay({ text }: { text: OverlayText }) {
  const corner = 'pointer-events-none absolute max-w-[48%] space-y-0.5 p-2 font-mono text-[11px] leading-tight text-slate-100 [text-shadow:0_0_3px_black]';
  return (
    <>
      <div className={`${corner} top-0 left-0`} data-testid="overlay-patient">
        <p className="truncate font-semibold">{text.patient}</p>
        <p className="truncate">{text.patientId}</p>
      </div>
      <div className={`${corner} top-0 right-0 text-right`} data-testid="overlay-study">
        <p className="truncate">{text.study}</p>
        <p className="truncate">{text.studyDate}</p>
        <p className="truncate">{text.series}</p>
      </div>
      <div className={`${corner} bottom-0 left-0`} data-testid="overlay-position">
        <p data-testid="overlay-image">{text.image}</p>
        {text.location && <p>{text.location}</p>}
      </div>
      <div className={`${corner} right-0 bottom-0 text-right`} data-testid="overlay-window">
        <p data-testid="overlay-wl">{text.window}</p>
        <p>{text.zoom}</p>
      </div>
    </>
  );
}
