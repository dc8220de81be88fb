'use client';

import { CTRL_SHORTCUTS, keyLabel, MOUSE_HELP, SHORTCUTS } from './shortcuts';

/** Every keyboard shortcut and mouse binding, from the same table the key handler reads. */
export function ShortcutHelp({ labeling, onClose }: { labeling: boolean; onClose: () => void }) {
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/60 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-help-title"
        className="max-h-full w-full max-w-lg overflow-y-auto rounded-lg bg-slate-900 p-5 text-sm text-slate-100 shadow-xl"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="mb-3 flex items-center justify-between">
          <h2 id="shortcut-help-title" className="text-base font-semibold">
            Keyboard and mouse
          </h2>
          <button type="button" className="rounded px-2 py-1 hover:bg-slate-800" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </div>
        <table className="w-full">
          <tbody>
            {SHORTCUTS.filter((s) => labeling || !s.labeling).map((s) => (
              <tr key={s.label} className="border-t border-slate-800">
                <td className="py-1 pr-4 whitespace-nowrap">
                  {s.keys.map((k) => (
                    <kbd key={k} className="mr-1 rounded border border-slate-600 px-1.5 font-mono text-xs">
                      {keyLabel(k)}
                    </kbd>
                  ))}
                </td>
                <td className="py-1">{s.label}</td>
              </tr>
            ))}
            {[...MOUSE_HELP, ...(labeling ? CTRL_SHORTCUTS : [])].map((m) => (
              <tr key={m.keys} className="border-t border-slate-800">
                <td className="py-1 pr-4 whitespace-nowrap text-slate-300">{m.keys}</td>
                <td className="py-1">{m.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
