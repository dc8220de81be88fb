'use client';

import { useEffect, useState } from 'react';
import { THEME_STORAGE_KEY, THEMES, type Theme } from './theme-script';

const LABELS: Record<Theme, string> = { light: 'Light', dark: 'Dark', system: 'System' };

function apply(theme: Theme) {
  const dark = theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>('system');

  useEffect(() => {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    // Reading localStorage is only possible after mount; the inline script already applied it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (stored === 'light' || stored === 'dark') setTheme(stored);
  }, []);

  useEffect(() => {
    if (theme !== 'system') return;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => apply('system');
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [theme]);

  function choose(next: Theme) {
    setTheme(next);
    if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, next);
    apply(next);
  }

  return (
    <div role="radiogroup" aria-label="Color theme" className="flex rounded-md bg-slate-100 p-0.5 text-xs dark:bg-slate-800">
      {THEMES.map((t) => (
        <button
          key={t}
          type="button"
          role="radio"
          aria-checked={theme === t}
          onClick={() => choose(t)}
          className={`flex-1 rounded px-2 py-1 ${
            theme === t
              ? 'bg-white font-medium text-slate-900 shadow-sm dark:bg-slate-600 dark:text-white'
              : 'text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
          }`}
        >
          {LABELS[t]}
        </button>
      ))}
    </div>
  );
}
