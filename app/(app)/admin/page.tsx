import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/app/_lib/page-guard';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { Card } from '@/components/ui/Card';
import { PageHeader } from '@/components/ui/PageHeader';
import { ROLE_LABELS, ROLES } from '@/lib/auth/roles';
import { formatBytes } from '@/lib/format/format-bytes.client';
import { checkHealth } from '@/lib/health/check-health';
import { countUsers } from '@/lib/users/count-users';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage() {
  await requirePageUser({ area: 'admin' });
  const [counts, health] = await Promise.all([countUsers(), checkHealth()]);
  const links = [
    { href: '/admin/users', title: 'Users and roles', text: 'Create accounts, set roles, deactivate, reset passwords.' },
    { href: '/admin/patients', title: 'Patients and claim codes', text: 'Issue, re-issue or revoke the codes patients open their accounts with.' },
    { href: '/admin/settings', title: 'Settings', text: 'Installation name and the support contact shown at sign-in.' },
    { href: '/admin/announcements', title: 'Announcements', text: 'Send a message to every user, or to some roles.' },
    { href: '/studies/upload', title: 'Upload DICOM', text: 'Files, folders or zip archives from this computer.' },
    { href: '/admin/pacs', title: 'PACS import', text: 'Search the hospital PACS over DICOMweb and import studies.' },
    { href: '/admin/access-log', title: 'Access log', text: 'Who read which study, how and when; refusals too. Export as CSV.' },
  ];
  return (
    <>
      <PageHeader title="Admin" description="Run this Cohort installation." />
      {counts.activeDemo > 0 && (
        <div className="mb-6" data-testid="demo-warning">
          <Alert tone="warning" title={`${counts.activeDemo} demo account${counts.activeDemo === 1 ? ' is' : 's are'} active`}>
            Their passwords are published in the README. Deactivate them in{' '}
            <Link href="/admin/users?q=demo.cohort.local" className="font-medium underline">
              Users
            </Link>{' '}
            before this installation holds real data.
          </Alert>
        </div>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        {links.map((l) => (
          <Link key={l.href} href={l.href} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-500 dark:border-slate-800 dark:bg-slate-900">
            <h2 className="font-semibold">{l.title}</h2>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{l.text}</p>
          </Link>
        ))}
      </div>
      <div className="mt-6 grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="font-semibold">People</h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {counts.active} active, {counts.deactivated} deactivated
          </p>
          <ul className="mt-3 space-y-1 text-sm" data-testid="role-counts">
            {ROLES.map((r) => (
              <li key={r} className="flex justify-between">
                <span>{ROLE_LABELS[r]}</span>
                <span className="font-mono">{counts.byRole[r]}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card>
          <h2 className="font-semibold">System</h2>
          <ul className="mt-3 space-y-2 text-sm" data-testid="system-health">
            <li className="flex items-center justify-between">
              <span>Database ({String(health.db.provider ?? 'unknown')})</span>
              {health.db.ok ? <Badge tone="success">{health.db.latencyMs} ms</Badge> : <Badge tone="danger">{health.db.error}</Badge>}
            </li>
            <li className="flex items-center justify-between">
              <span>Blob storage</span>
              {health.storage.ok ? (
                <Badge tone="success">{formatBytes(Number(health.storage.freeBytes))} free</Badge>
              ) : (
                <Badge tone="danger">{health.storage.error}</Badge>
              )}
            </li>
            <li className="flex items-center justify-between">
              <span>Video decoding</span>
              {health.video.ok ? <Badge tone="success">ffmpeg</Badge> : <Badge tone="warning">{health.video.error}</Badge>}
            </li>
            <li className="flex items-center justify-between">
              <span>Version</span>
              <span className="font-mono">{health.version}</span>
            </li>
          </ul>
        </Card>
      </div>
    </>
  );
}
