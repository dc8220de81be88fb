import type { MyStudyAccess } from '@/lib/access-log/find-my-study-accesses';
import { ACCESS_HOW_TEXT } from '@/lib/access-log/access-how-text.client';

/** "Who looked at my images": one plain sentence per study, reader, way and day, newest first. */
export function StudyAccessList({ accesses, studyName }: { accesses: MyStudyAccess[]; studyName: ReadonlyMap<string, string> }) {
  if (accesses.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">Nobody has opened your images yet. When a doctor, a program or an AI model does, it is listed here.</p>;
  }
  return (
    <ol className="space-y-1 text-sm" data-testid="study-accesses">
      {accesses.map((a) => (
        <li key={`${a.studyId}:${a.day}:${a.who}:${a.how}`}>
          <span className="text-slate-500">{new Date(`${a.day}T00:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' })}</span> ·{' '}
          <span className="font-medium">{a.who}</span> {ACCESS_HOW_TEXT[a.how]} your {studyName.get(a.studyId) ?? 'study'}
          {a.requests > 1 ? <span className="text-slate-500"> ({a.requests} requests)</span> : null}
        </li>
      ))}
    </ol>
  );
}
