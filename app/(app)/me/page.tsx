import type { Metadata } from 'next';
import { requirePageUser } from '@/app/_lib/page-guard';
import { AddClaimCodeForm } from '@/components/patients/AddClaimCodeForm';
import { DownloadStudyButton } from '@/components/patients/DownloadStudyButton';
import { ShareStudyPanel } from '@/components/patients/ShareStudyPanel';
import { findMyShareLinks } from '@/lib/share-links/find-my-share-links';
import { ButtonLink } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { EmptyState } from '@/components/ui/EmptyState';
import { icons } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/PageHeader';
import { ConsentRequestCard } from '@/components/patients/ConsentRequestCard';
import { ConsentSwitch } from '@/components/patients/ConsentSwitch';
import type { ConsentState } from '@/lib/consent/consent-state';
import { findMyConsents, type MyConsents } from '@/lib/consent/find-my-consents';
import { findMyRequests } from '@/lib/consent/find-my-requests';
import { CONSENT_POLICY, CONSENT_PURPOSES, PURPOSE_TEXT, type ConsentPurpose } from '@/lib/consent/purposes';
import { formatDicomDate } from '@/lib/dicom/display.client';
import { findMyStudies } from '@/lib/patients/find-my-studies';
import { findMyStudyAccesses } from '@/lib/access-log/find-my-study-accesses';
import { StudyAccessList } from '@/components/access-log/StudyAccessList';

export const metadata: Metadata = { title: 'My studies' };

export default async function MePage() {
  const user = await requirePageUser({ area: 'me' });
  const [studies, consents, requests, accesses, shareLinks] = await Promise.all([
    findMyStudies(user.id),
    findMyConsents(user.id),
    findMyRequests(user.id),
    findMyStudyAccesses(user.id),
    findMyShareLinks(user.id),
  ]);
  const studyName = new Map(studies.map((s) => [s.id, `${s.description || 'Imaging study'}, ${formatDicomDate(s.studyDate) || 'undated'}`]));
  return (
    <>
      <PageHeader title="My studies" description="Your imaging studies and how you allow them to be used." />
      {studies.length === 0 ? (
        <EmptyState icon={icons.me(40)} title="No studies linked to your account yet" action={<AddClaimCodeForm />}>
          <p>When your hospital gives you a letter with a claim code, type it below: your imaging studies then appear here.</p>
          <p>For each one you will decide whether it may be used for research, AI training, teaching or an open dataset, and you can change your mind at any time.</p>
        </EmptyState>
      ) : (
        <>
          {requests.length > 0 && (
            <section className="mb-8" aria-labelledby="requests">
              <h2 id="requests" className="mb-2 font-semibold">
                Requests waiting for your answer
              </h2>
              <ul className="space-y-3">
                {requests.map((r) => (
                  <ConsentRequestCard
                    key={r.id}
                    id={r.id}
                    headline={`“${r.project.name}” asks to use your ${r.study.modalities.join('/') || 'imaging'} of ${formatDicomDate(r.study.date) || 'an unknown date'} (${r.study.description || 'study'}) for ${PURPOSE_TEXT[r.purpose].label.toLowerCase()}.`}
                    projectPurpose={r.project.purpose}
                    requestedBy={r.project.requestedBy}
                    where={r.purpose === 'public_release' ? 'Published on IPFS for anyone to download.' : 'On IPFS, encrypted: only the research group can open it.'}
                  />
                ))}
              </ul>
            </section>
          )}
          <section className="mb-8" aria-labelledby="all-studies">
            <Card>
              <h2 id="all-studies" className="font-semibold">
                All my studies
              </h2>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{CONSENT_POLICY.summary}</p>
              <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">A choice here applies to every study of yours, now and later; below, you can make an exception for a single study.</p>
              <ul className="mt-4 space-y-3">
                {CONSENT_PURPOSES.map((p) => {
                  const all = consents.all[p];
                  return (
                    <li key={p}>
                      <ConsentSwitch studyId={null} purpose={p} label={PURPOSE_TEXT[p].label} state={allState(all)} validUntil={all?.validUntil ?? null} policyVersion={CONSENT_POLICY.version} />
                      <p className="text-xs text-slate-500 dark:text-slate-400">{PURPOSE_TEXT[p].explained}</p>
                    </li>
                  );
                })}
              </ul>
            </Card>
          </section>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Your studies">
            {studies.map((s) => (
              <li key={s.id} data-testid="my-study" data-study-id={s.id}>
                <Card>
                  <div className="flex gap-4">
                    {/* eslint-disable-next-line @next/next/no-img-element -- a server-rendered PNG of the patient's own study */}
                    <img src={`/api/me/studies/${s.id}/thumbnail`} alt="" width={72} height={72} className="h-18 w-18 shrink-0 rounded bg-black object-contain" loading="lazy" />
                    <div>
                      <p className="text-sm text-slate-500 dark:text-slate-400">{formatDicomDate(s.studyDate) || 'Date not recorded'}</p>
                      <h2 className="mt-1 font-semibold">{s.description || 'Imaging study'}</h2>
                      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                        {s.modalities.join(', ') || 'Imaging'} · {s.series} series, {s.images} {s.images === 1 ? 'image' : 'images'}
                      </p>
                    </div>
                  </div>
                  <div className="mt-3 flex flex-wrap items-center gap-2">
                    <ButtonLink href={`/me/studies/${s.id}/viewer`}>Open</ButtonLink>
                    <DownloadStudyButton href={`/api/me/studies/${s.id}/download`} label="Download (DICOM)" />
                    <DownloadStudyButton href={`/api/me/studies/${s.id}/pictures`} label="Pictures (PNG)" />
                  </div>
                  <ShareStudyPanel studyId={s.id} links={shareLinks.filter((l) => l.studyId === s.id)} />
                  <p className="mt-3 text-xs text-slate-500 dark:text-slate-400" data-testid="used-in">
                    {s.usedIn.length ? `Used in: ${s.usedIn.join(', ')}` : 'Not used in any project yet.'}
                  </p>
                  {s.datasets.length > 0 && (
                    <ul className="mt-2 space-y-1 text-xs text-slate-600 dark:text-slate-400" aria-label="Published in" data-testid="published-in">
                      {s.datasets.map((d) => (
                        <li key={d.rootCid}>
                          In dataset <span className="font-medium">{d.name}</span> v{d.version} ({PURPOSE_TEXT[d.purpose as ConsentPurpose]?.label ?? d.purpose}), published {d.publishedAt.slice(0, 10)},
                          de-identified, at <span className="font-mono break-all">{d.rootCid}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                  <div className="mt-4 space-y-2">
                    {CONSENT_PURPOSES.map((p) => {
                      const status = consents.studies[s.id]?.[p];
                      return <ConsentSwitch key={p} studyId={s.id} purpose={p} label={PURPOSE_TEXT[p].label} state={status?.state ?? 'none'} validUntil={status?.validUntil ?? null} policyVersion={CONSENT_POLICY.version} />;
                    })}
                  </div>
                </Card>
              </li>
            ))}
          </ul>
          {consents.history.length > 0 && (
            <section className="mt-8" aria-labelledby="history">
              <h2 id="history" className="mb-2 font-semibold">
                Every decision
              </h2>
              <p className="mb-2 text-xs text-slate-500 dark:text-slate-400">
                Each receipt is the decision&apos;s entry in Cohort&apos;s tamper-evident ledger with its proof.{' '}
                <a href="/api/me/consents/fhir" download className="text-brand-700 underline dark:text-brand-500">
                  All your decisions as FHIR
                </a>{' '}
                (for other health systems).
              </p>
              <ol className="space-y-1 text-sm" data-testid="consent-history">
                {consents.history.map((d) => (
                  <li key={d.id}>
                    <span className="text-slate-500">{new Date(d.createdAt).toLocaleString('en-GB')}</span> · {PURPOSE_TEXT[d.purpose].label} {d.decision} for{' '}
                    {d.studyId ? (studyName.get(d.studyId) ?? 'a study') : 'all your studies'}
                    {d.validUntil ? ` until ${new Date(d.validUntil).toLocaleDateString('en-GB')}` : ''} ·{' '}
                    <a href={`/api/me/consents/${d.id}/receipt`} download className="text-brand-700 underline dark:text-brand-500" title={`Ledger entry ${d.ledgerSeq} with its proof: check it with cohort ledger verify --bundle`}>
                      receipt
                    </a>
                  </li>
                ))}
              </ol>
            </section>
          )}
          <section className="mt-8" aria-labelledby="accesses">
            <h2 id="accesses" className="mb-2 font-semibold">
              Who looked at my images
            </h2>
            <p className="mb-2 text-xs text-slate-500 dark:text-slate-400">Every time someone at the hospital, a program or an AI model reads your images, Cohort notes who, how and when.</p>
            <StudyAccessList accesses={accesses} studyName={studyName} />
          </section>
          <section className="mt-8" aria-labelledby="more-codes">
            <h2 id="more-codes" className="mb-2 font-semibold">
              Another letter?
            </h2>
            <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">Studies from another hospital, or filed under another patient number, join your account with their own code.</p>
            <AddClaimCodeForm />
          </section>
        </>
      )}
    </>
  );
}

/** What the newest "all my studies" decision of a purpose amounts to now. */
function allState(all: MyConsents['all'][keyof MyConsents['all']]): ConsentState {
  if (!all) return 'none';
  if (all.decision === 'granted' && all.validUntil && new Date(all.validUntil) <= new Date()) return 'expired';
  return all.decision as ConsentState;
}
