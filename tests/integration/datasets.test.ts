/**
 * Dataset definitions and their preview: which studies of the projects a dataset would hold, why
 * the others would not (label, filters, each consent state), a patient-level split that is
 * reproducible, class balance; and every bad input refused with nothing written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as datasetsRoute from '@/app/api/datasets/route';
import * as datasetRoute from '@/app/api/datasets/[datasetId]/route';
import * as previewRoute from '@/app/api/datasets/[datasetId]/preview/route';
import * as adHocPreviewRoute from '@/app/api/datasets/preview/route';
import * as clearanceRoute from '@/app/api/admin/studies/[studyId]/burned-in-clearance/route';
import type { DatasetPreview } from '@/lib/datasets/preview-dataset';
import { getDb } from '@/lib/db/client';
import { createProject } from '@/lib/projects/create-project';
import { addProjectStudies } from '@/lib/projects/add-project-studies';
import { ZCreateProjectInput } from '@/lib/projects/schemas';
import { callRoute, type Session } from '../helpers/api';
import { ctStudyOf, decideFor, labelStudy } from '../helpers/datasets';
import { signedInUser } from '../helpers/users';

const SCHEMA = {
  segments: [
    { value: 1, name: 'Lung', color: '#00ff00' },
    { value: 2, name: 'Bone', color: '#ffffff' },
  ],
  questions: [{ id: 'finding', question: 'Finding', level: 'study', choices: [{ id: 'normal', label: 'Normal' }, { id: 'abnormal', label: 'Abnormal' }] }],
};

let engineer: { id: string; session: Session };
let projectId: string;
/** Study ids by name. */
const s: Record<string, string> = {};

beforeAll(async () => {
  const admin = await signedInUser(['admin']);
  engineer = await signedInUser(['ml_engineer']);
  const reader = await signedInUser(['radiologist']);
  const reviewer = await signedInUser(['radiologist']);
  ({ id: projectId } = await createProject({
    input: ZCreateProjectInput.parse({ name: 'Lungs', schema: SCHEMA, readers: [reader.id], reviewers: [reviewer.id] }),
    actorId: engineer.id,
  }));
  const study = async (name: string, patient: string, date: string, label: 'accepted' | 'saved' | 'none', segmentValue = 1, answer = 'normal') => {
    const st = await ctStudyOf(patient, admin, { studyDate: date });
    await addProjectStudies({ projectId, input: { studyIds: [st.studyId] } });
    if (label !== 'none') {
      await labelStudy({ projectId, studyId: st.studyId, seriesInstanceUid: st.seriesInstanceUid, reader, segmentValue, answers: [{ questionId: 'finding', choiceIds: [answer] }], acceptedBy: label === 'accepted' ? reviewer : undefined });
    }
    s[name] = st.studyId;
    return st;
  };
  const ana1 = await study('ana1', 'DS-ANA', '20250101', 'accepted');
  await study('ana2', 'DS-ANA', '20250601', 'accepted', 2, 'abnormal');
  const ben = await study('ben', 'DS-BEN', '20250201', 'accepted', 2, 'abnormal');
  await study('cara', 'DS-CARA', '20250301', 'accepted'); // never asked
  const dan = await study('dan', 'DS-DAN', '20250401', 'saved'); // label not accepted
  const eve = await study('eve', 'DS-EVE', '20250501', 'none'); // not labeled
  const fay = await study('fay', 'DS-FAY', '20250701', 'accepted'); // revoked
  const gus = await study('gus', 'DS-GUS', '20250801', 'accepted'); // expired
  const hal = await study('hal', 'DS-HAL', '20250901', 'accepted'); // declined
  for (const p of [ana1, ben, dan, eve]) await decideFor(p.patientId, admin, 'ai_training', 'granted');
  await decideFor(fay.patientId, admin, 'ai_training', 'granted');
  await decideFor(fay.patientId, admin, 'ai_training', 'revoked');
  await decideFor(gus.patientId, admin, 'ai_training', 'granted', new Date(Date.now() + 1500));
  await decideFor(hal.patientId, admin, 'ai_training', 'denied');
  await new Promise((r) => setTimeout(r, 1600)); // Gus's grant runs out
});

const create = (body: unknown, session = engineer.session) => callRoute(datasetsRoute, 'POST', '/api/datasets', { session, body });
const preview = async (datasetId: string) => (await callRoute(previewRoute, 'GET', `/api/datasets/${datasetId}/preview`, { session: engineer.session, params: { datasetId } })).json as unknown as DatasetPreview;
const base = () => ({ projectIds: [projectId], purpose: 'ai_training', license: 'CC-BY-NC-4.0' });
let unique = 0;
const named = (extra: Record<string, unknown> = {}) => ({ name: `Lungs v${++unique}`, ...base(), ...extra });
const ids = (rows: { studyId: string }[]) => rows.map((r) => Object.entries(s).find(([, id]) => id === r.studyId)![0]).sort();

describe('a dataset preview', () => {
  it('includes accepted labels of consenting patients and says why every other study is left out', async () => {
    const res = await create(named());
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const p = await preview(res.json.id as string);
    expect(ids(p.included)).toEqual(['ana1', 'ana2', 'ben']);
    const reasons = Object.fromEntries(p.excluded.map((e) => [ids([e])[0], e.reasons]));
    expect(reasons).toEqual({
      cara: ['consent_none'],
      dan: ['label_not_accepted'],
      eve: ['no_label'],
      fay: ['consent_revoked'],
      gus: ['consent_expired'],
      hal: ['consent_denied'],
    });
    expect(p.summary).toMatchObject({ candidates: 9, included: 3, excluded: 6, patients: 2, byReason: { consent_none: 1, label_not_accepted: 1, no_label: 1, consent_revoked: 1, consent_expired: 1, consent_denied: 1 } });
    expect(p.included.find((i) => i.studyId === s.ben)!.classes).toEqual(['Bone', 'Finding: Abnormal']);
    expect(p.included.every((i) => i.consent.usable && i.consent.state === 'granted' && i.consent.ledgerSeq !== null)).toBe(true);
    const balance = Object.fromEntries(p.summary.classBalance.map((c) => [c.name, c.total]));
    expect(balance).toEqual({ Bone: 2, 'Finding: Abnormal': 2, Lung: 1, 'Finding: Normal': 1 });
  });

  it('keeps each patient in one split, the same split for the same seed', async () => {
    const split = { train: 50, val: 0, test: 50, seed: 'alpha', stratify: false };
    const { json } = await create(named({ split }));
    const p = await preview(json.id as string);
    const anaSplits = new Set(p.included.filter((i) => i.studyId === s.ana1 || i.studyId === s.ana2).map((i) => i.split));
    expect(anaSplits.size).toBe(1);
    expect(p.summary.bySplit.val).toEqual({ studies: 0, patients: 0 });
    expect(p.summary.bySplit.train.patients + p.summary.bySplit.test.patients).toBe(2);
    const again = await preview(json.id as string);
    expect(again.included.map((i) => [i.studyId, i.split])).toEqual(p.included.map((i) => [i.studyId, i.split]));
  });

  it('takes any label when asked, and filters by class, modality and date', async () => {
    const any = await preview((await create(named({ labelStatus: 'any' }))).json.id as string);
    expect(ids(any.included)).toEqual(['ana1', 'ana2', 'ben', 'dan']);
    expect(any.included.find((i) => i.studyId === s.dan)!.labelStatus).toBe('in_progress');

    const bone = await preview((await create(named({ filters: { classes: ['Bone'] } }))).json.id as string);
    expect(ids(bone.included)).toEqual(['ana2', 'ben']);
    expect(bone.excluded.find((e) => e.studyId === s.ana1)!.reasons).toEqual(['class']);

    const mr = await preview((await create(named({ filters: { modalities: ['mr'] } }))).json.id as string);
    expect(mr.included).toEqual([]);
    expect(mr.excluded.find((e) => e.studyId === s.ana1)!.reasons).toEqual(['modality']);

    const spring = await preview((await create(named({ filters: { from: '2025-01-15', to: '2025-06-30' } }))).json.id as string);
    expect(ids(spring.included)).toEqual(['ana2', 'ben']);
    expect(spring.excluded.find((e) => e.studyId === s.hal)!.reasons).toEqual(['date', 'consent_denied']);
  });

  it('previews a definition before it is saved', async () => {
    const res = await callRoute(adHocPreviewRoute, 'POST', '/api/datasets/preview', { session: engineer.session, body: { projectIds: [projectId], purpose: 'research' } });
    expect(res.status).toBe(200);
    expect((res.json as unknown as DatasetPreview).included).toEqual([]); // nobody consented to research
  });

  it('changes its definition, and the preview follows', async () => {
    const { json } = await create(named());
    const res = await callRoute(datasetRoute, 'PATCH', '/x', { session: engineer.session, params: { datasetId: json.id as string }, body: { labelStatus: 'any', license: 'CC0-1.0' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ labelStatus: 'any', license: 'CC0-1.0', projects: [{ id: projectId, name: 'Lungs' }] });
    expect(ids((await preview(json.id as string)).included)).toContain('dan');
  });
});

describe('burned-in text', () => {
  it('keeps a study of a risky modality out until an admin clears it, and out again when the clearance is withdrawn', async () => {
    const admin = await signedInUser(['admin']);
    const reader = await signedInUser(['radiologist']);
    const reviewer = await signedInUser(['radiologist']);
    const { id: usProject } = await createProject({ input: ZCreateProjectInput.parse({ name: 'Ultrasound', schema: SCHEMA, readers: [reader.id], reviewers: [reviewer.id] }), actorId: engineer.id });
    const st = await ctStudyOf('DS-IVY', admin);
    // Stored as ultrasound: a modality whose images often carry the patient's name in the pixels.
    await getDb().series.updateMany({ where: { studyId: st.studyId }, data: { modality: 'US' } });
    await getDb().study.update({ where: { id: st.studyId }, data: { modalities: 'US' } });
    await addProjectStudies({ projectId: usProject, input: { studyIds: [st.studyId] } });
    await labelStudy({ projectId: usProject, studyId: st.studyId, seriesInstanceUid: st.seriesInstanceUid, reader, segmentValue: 1, answers: [{ questionId: 'finding', choiceIds: ['normal'] }], acceptedBy: reviewer });
    await decideFor(st.patientId, admin, 'ai_training', 'granted');
    const { json } = await create({ ...named(), projectIds: [usProject] });
    expect((await preview(json.id as string)).excluded.map((e) => e.reasons)).toEqual([['burned_in']]);

    const clear = (session: Session, body: unknown) => callRoute(clearanceRoute, 'PUT', '/x', { session, params: { studyId: st.studyId }, body });
    expect((await clear(engineer.session, { cleared: true })).status).toBe(403);
    expect((await clear(admin.session, { cleared: 'yes' })).status).toBe(400);
    expect((await callRoute(clearanceRoute, 'PUT', '/x', { session: admin.session, params: { studyId: 'nope' }, body: { cleared: true } })).status).toBe(404);
    expect((await clear(admin.session, { cleared: true, note: 'checked all frames' })).json).toEqual({ cleared: true });
    expect((await preview(json.id as string)).included.map((i) => i.studyId)).toEqual([st.studyId]);
    await clear(admin.session, { cleared: false });
    expect((await preview(json.id as string)).excluded.map((e) => e.reasons)).toEqual([['burned_in']]);
  });
});

describe('bad input', () => {
  it('is refused with a clear message and nothing written', async () => {
    const before = await getDb().dataset.count();
    const cases: [unknown, number, RegExp][] = [
      [{ ...named(), split: { train: 80, val: 10, test: 5 } }, 400, /add up to 100/],
      [{ ...named(), purpose: 'marketing' }, 400, /purpose/],
      [{ ...named(), projectIds: ['no-such-project'] }, 400, /No such project/],
      [{ ...named(), projectIds: [] }, 400, /at least one project/],
      [{ ...named(), filters: { from: '2025-05-01', to: '2025-01-01' } }, 400, /ends before it starts/],
      [{ ...named(), license: '' }, 400, /licence/],
    ];
    for (const [body, status, message] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(res.json)).toMatch(message);
    }
    const bad = await callRoute(datasetsRoute, 'POST', '/api/datasets', { session: engineer.session, rawBody: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(await getDb().dataset.count()).toBe(before);
  });

  it('refuses a second dataset of the same name, and answers 404 for one that does not exist', async () => {
    const body = named();
    expect((await create(body)).status).toBe(201);
    expect((await create(body)).status).toBe(409);
    const missing = await callRoute(previewRoute, 'GET', '/x', { session: engineer.session, params: { datasetId: 'nope' } });
    expect(missing.status).toBe(404);
  });

  it('is not for radiologists or patients', async () => {
    for (const role of ['radiologist', 'patient'] as const) {
      const { session } = await signedInUser([role]);
      expect((await create(named(), session)).status).toBe(403);
    }
  });
});
