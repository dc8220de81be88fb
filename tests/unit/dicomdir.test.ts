/**
 * buildDicomdir against independent readers: dicom3tools' dciodvfy (Basic Directory IOD: no errors)
 * and dcdirdmp (walks the records by their offsets, listing each referenced file), dcmtk's dcmdump,
 * and dicom-parser, with which every offset is followed to an item of the expected record type. Then
 * a real file set: the shared samples laid out with mediaFileId beside their DICOMDIR.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dicomParser, { type DataSet } from 'dicom-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferSource } from '@/lib/dicom/byte-source';
import { buildDicomdir, mediaFileId, type DicomdirInput } from '@/lib/dicom/dicomdir';
import { readDicomHeader } from '@/lib/dicom/read-header';
import { samplesUnder } from '../helpers/dicom-samples';

const has = (tool: string, ...args: string[]) => !spawnSync(tool, args).error;
const hasDciodvfy = has('dciodvfy');
const hasDcdirdmp = has('dcdirdmp');
const hasDcmdump = has('dcmdump', '--version');
const skipped = (tool: string, present: boolean, pkg: string) => (present ? '' : ` (skipped: ${tool} is not installed; apt-get install ${pkg})`);
const dir = mkdtempSync(path.join(os.tmpdir(), 'cohort-dicomdir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CT = '1.2.840.10008.5.1.4.1.1.2';
const MR = '1.2.840.10008.5.1.4.1.1.4';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const J2K_LOSSLESS = '1.2.840.10008.1.2.4.90';
const uid = (n: number) => `2.25.${1_000_000 + n}`;

type Instance = DicomdirInput['patients'][number]['studies'][number]['series'][number]['instances'][number];
const instances = (p: number, st: number, se: number, count: number, sopClassUid: string, transferSyntaxUid: string, numbered = true): Instance[] =>
  Array.from({ length: count }, (_, im) => ({
    sopClassUid,
    sopInstanceUid: uid(p * 1000 + st * 100 + se * 10 + im),
    transferSyntaxUid,
    ...(numbered ? { instanceNumber: im + 1 } : {}),
    fileId: mediaFileId(p, st, se, im),
  }));

/** Two patients: the first with a non-ASCII name and two studies (the second lacking every optional value), the second plain ASCII. */
const TREE: DicomdirInput = {
  fileSetId: 'COHORT_STUDY',
  patients: [
    {
      name: 'Müller^Jürgen=ミュラー^ユルゲン',
      id: 'PID-001',
      birthDate: '19700102',
      sex: 'M',
      studies: [
        {
          studyInstanceUid: uid(1),
          studyDate: '20240131',
          studyTime: '101500.25',
          studyDescription: 'CT Thorax',
          studyId: 'S1',
          accessionNumber: 'ACC0001',
          series: [
            { seriesInstanceUid: uid(2), modality: 'CT', seriesNumber: 2, instances: instances(0, 0, 0, 3, CT, EXPLICIT_LE) },
            { seriesInstanceUid: uid(3), modality: 'CT', seriesNumber: 1, instances: instances(0, 0, 1, 1, CT, J2K_LOSSLESS) },
          ],
        },
        {
          studyInstanceUid: uid(4),
          studyDescription: 'IRM cérébrale',
          series: [
            { seriesInstanceUid: uid(5), modality: 'MR', instances: instances(0, 1, 0, 2, MR, J2K_LOSSLESS, false) },
            { seriesInstanceUid: uid(6), modality: 'mr', seriesNumber: 7, instances: instances(0, 1, 1, 1, MR, EXPLICIT_LE) },
          ],
        },
      ],
    },
    {
      name: 'Doe^Jane',
      id: 'PID-002',
      studies: [
        {
          studyInstanceUid: uid(7),
          studyDate: '20230615',
          studyTime: '0930',
          studyId: '42',
          series: [{ seriesInstanceUid: uid(8), modality: 'CR', seriesNumber: 1, instances: instances(1, 0, 0, 1, '1.2.840.10008.5.1.4.1.1.1', EXPLICIT_LE) }],
        },
      ],
    },
  ],
};

const allFileIds = (input: DicomdirInput) =>
  input.patients.flatMap((p) => p.studies.flatMap((st) => st.series.flatMap((se) => se.instances.map((i) => i.fileId.join('\\')))));

function run(tool: string, args: string[]) {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** dciodvfy's findings, less the two optional Patient keys Cohort adds on purpose (PS3.3 F.5 allows more keys: "Standard Extended"). */
function dciodvfyFindings(file: string) {
  const { out } = run('dciodvfy', [file]);
  const lines = out.split('\n').filter(Boolean);
  const expected = /Patient's Birth Date|Patient's Sex|Standard Extended SOP Class/;
  return { out, errors: lines.filter((l) => l.startsWith('Error')), otherWarnings: lines.filter((l) => l.startsWith('Warning') && !expected.test(l)) };
}

type DirRecord = { offset: number; type: string; data: DataSet; next: number; lower: number };

/** The records as dicom-parser sees them, by the offset of their item tag. */
function parse(file: Buffer) {
  const bytes = new Uint8Array(file);
  const dataSet = dicomParser.parseDicom(bytes);
  const items = dataSet.elements.x00041220?.items ?? [];
  const records = new Map<number, DirRecord>();
  for (const item of items) {
    const data = item.dataSet!;
    const offset = item.dataOffset - 8;
    records.set(offset, { offset, type: data.string('x00041430') ?? '', data, next: data.uint32('x00041400') ?? -1, lower: data.uint32('x00041420') ?? -1 });
  }
  const utf8 = (data: DataSet, tag: string) => {
    const el = data.elements[tag];
    return el ? Buffer.from(bytes.buffer, el.dataOffset, el.length).toString('utf8').replace(/[ \0]+$/, '') : undefined;
  };
  return { dataSet, items, records, utf8 };
}

/**
 * Every valid shared sample, grouped patient → study → series as a download would (in file order),
 * copied to its mediaFileId beside a DICOMDIR. Built once for the tests that read it.
 */
type Source = { file: string; fileId: string[]; uids: string[] };
let media: Promise<{ media: string; sources: Source[] }> | undefined;
const realMedia = () => (media ??= buildRealMedia());

async function buildRealMedia() {
  type Patient = DicomdirInput['patients'][number];
  const patients = new Map<string, Patient>();
  const studyOf = new Map<string, Patient['studies'][number]>();
  const sources: Source[] = [];
  for (const file of samplesUnder('valid')) {
    const h = await readDicomHeader(bufferSource(readFileSync(file)));
    const key = h.patient.id || h.patient.name;
    let patient = patients.get(key);
    if (!patient) patients.set(key, (patient = { name: h.patient.name, id: h.patient.id, birthDate: h.patient.birthDate, sex: h.patient.sex, studies: [] }));
    // A study stays with the patient it was first seen under.
    let study = studyOf.get(h.studyInstanceUid);
    if (!study) {
      const { date, time, description, id, accessionNumber } = h.study;
      study = { studyInstanceUid: h.studyInstanceUid, studyDate: date, studyTime: time, studyDescription: description, studyId: id, accessionNumber, series: [] };
      studyOf.set(h.studyInstanceUid, study);
      patient.studies.push(study);
    }
    const owner = [...patients.values()].find((p) => p.studies.includes(study))!;
    let series = study.series.find((s) => s.seriesInstanceUid === h.seriesInstanceUid);
    if (!series) study.series.push((series = { seriesInstanceUid: h.seriesInstanceUid, modality: h.series.modality, seriesNumber: h.series.number, instances: [] }));
    const fileId = mediaFileId([...patients.values()].indexOf(owner), owner.studies.indexOf(study), study.series.indexOf(series), series.instances.length);
    series.instances.push({ sopClassUid: h.sopClassUid, sopInstanceUid: h.sopInstanceUid, transferSyntaxUid: h.transferSyntax.uid, instanceNumber: h.instance.number, fileId });
    sources.push({ file, fileId, uids: [h.studyInstanceUid, h.seriesInstanceUid, h.sopInstanceUid] });
  }
  const root = path.join(dir, 'media');
  for (const { file, fileId } of sources) {
    mkdirSync(path.join(root, ...fileId.slice(0, -1)), { recursive: true });
    copyFileSync(file, path.join(root, ...fileId));
  }
  writeFileSync(path.join(root, 'DICOMDIR'), buildDicomdir({ fileSetId: 'COHORT', patients: [...patients.values()] }));
  return { media: root, sources };
}

describe('buildDicomdir', () => {
  it('refuses malformed file IDs and UIDs, and a file referenced twice', () => {
    const withInstance = (change: Partial<Instance>): DicomdirInput => ({
      patients: [{ name: 'A', id: 'A', studies: [{ studyInstanceUid: uid(1), series: [{ seriesInstanceUid: uid(2), modality: 'CT', instances: [{ ...instances(0, 0, 0, 1, CT, EXPLICIT_LE)[0]!, ...change }] }] }] }],
    });
    for (const fileId of [[], ['dicom', 'IM1'], ['DICOM', 'IM0000001'], ['DICOM', 'IM.DCM'], ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'], ['DICOM', '']]) {
      expect(() => buildDicomdir(withInstance({ fileId })), JSON.stringify(fileId)).toThrow(/File ID/);
    }
    expect(() => buildDicomdir(withInstance({ sopInstanceUid: '1.2.abc' }))).toThrow(/SOP Instance UID "1.2.abc" is not a UID/);
    expect(() => buildDicomdir(withInstance({ transferSyntaxUid: '' }))).toThrow(/Transfer Syntax UID is empty/);
    expect(() => buildDicomdir({ ...withInstance({}), fileSetId: 'lower case' })).toThrow(/File-set ID/);
    const twice = withInstance({});
    const series = twice.patients[0]!.studies[0]!.series[0]!;
    series.instances.push({ ...series.instances[0]!, sopInstanceUid: uid(99) });
    expect(() => buildDicomdir(twice)).toThrow('File DICOM\\P0000001\\ST000001\\SE000001\\IM000001 is referenced twice.');
  });

  it('lays out media file IDs within PS3.12 limits', () => {
    expect(mediaFileId(0, 0, 0, 0)).toEqual(['DICOM', 'P0000001', 'ST000001', 'SE000001', 'IM000001']);
    expect(mediaFileId(12, 3, 41, 9_998)).toEqual(['DICOM', 'P0000013', 'ST000004', 'SE000042', 'IM009999']);
    expect(mediaFileId(0, 0, 0, 999_998).at(-1)).toBe('IM999999');
    for (const c of mediaFileId(9_999_998, 999_998, 999_998, 999_998)) expect(c).toMatch(/^[A-Z0-9_]{1,8}$/);
    expect(() => mediaFileId(0, 0, 0, 999_999)).toThrow(RangeError);
    expect(() => mediaFileId(-1, 0, 0, 0)).toThrow(RangeError);
    expect(() => mediaFileId(0, 0.5, 0, 0)).toThrow(RangeError);
  });

  it('writes a Part-10 file whose every offset dicom-parser follows to a record of the expected type', () => {
    const file = buildDicomdir(TREE);
    expect(file.subarray(0, 128).every((b) => b === 0)).toBe(true);
    expect(file.toString('latin1', 128, 132)).toBe('DICM');
    const { dataSet, items, records, utf8 } = parse(file);
    expect(dataSet.string('x00020002')).toBe('1.2.840.10008.1.3.10');
    expect(dataSet.string('x00020003')).toMatch(/^2\.25\.\d+$/);
    expect(dataSet.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(dataSet.string('x00020012')).toMatch(/^2\.25\.\d+$/);
    expect(dataSet.string('x00041130')).toBe('COHORT_STUDY');
    expect(dataSet.uint16('x00041212')).toBe(0);
    expect(items.length).toBe(records.size);

    // Walk the tree from the root by offsets alone; every record is reached exactly once.
    const LEVELS = ['PATIENT', 'STUDY', 'SERIES', 'IMAGE'];
    const visited = new Set<number>();
    const walk = (offset: number, level: number): DirRecord[] => {
      const siblings: DirRecord[] = [];
      for (let at = offset; at !== 0; ) {
        const record = records.get(at);
        expect(record, `offset ${at} is the item tag of a record`).toBeDefined();
        expect(record!.type).toBe(LEVELS[level]);
        expect(visited.has(at)).toBe(false);
        visited.add(at);
        expect(record!.data.uint16('x00041410')).toBe(0xffff);
        if (level < 3) expect(record!.lower).not.toBe(0);
        else expect(record!.lower).toBe(0);
        siblings.push(record!);
        at = record!.next;
      }
      return siblings;
    };
    const patients = walk(dataSet.uint32('x00041200')!, 0);
    expect(dataSet.uint32('x00041202')).toBe(patients.at(-1)!.offset);
    const images: string[] = [];
    const tree = patients.map((p) => ({
      p,
      studies: walk(p.lower, 1).map((st) => ({
        st,
        series: walk(st.lower, 2).map((se) => ({ se, images: walk(se.lower, 3) })),
      })),
    }));
    for (const { studies } of tree) for (const { series } of studies) for (const s of series) for (const im of s.images) images.push(im.data.string('x00041500')!);
    expect(visited.size).toBe(records.size);
    expect(images).toEqual(allFileIds(TREE));

    // Keys, in the character set each record declares.
    const [müller, doe] = tree;
    expect(müller!.p.data.string('x00080005')).toBe('ISO_IR 192');
    expect(utf8(müller!.p.data, 'x00100010')).toBe('Müller^Jürgen=ミュラー^ユルゲン');
    expect(müller!.p.data.string('x00100020')).toBe('PID-001');
    expect(doe!.p.data.elements.x00080005).toBeUndefined();
    const [ct, irm] = müller!.studies;
    expect(ct!.st.data.elements.x00080005).toBeUndefined();
    expect(ct!.st.data.string('x00080020')).toBe('20240131');
    expect(ct!.st.data.string('x00080030')).toBe('101500.25');
    expect(ct!.st.data.string('x00200010')).toBe('S1');
    expect(ct!.st.data.string('x00080050')).toBe('ACC0001');
    expect(ct!.series.map((s) => s.se.data.string('x00200011'))).toEqual(['2', '1']);
    const image = ct!.series[1]!.images[0]!.data;
    expect(image.string('x00041510')).toBe(CT);
    expect(image.string('x00041511')).toBe(uid(10));
    expect(image.string('x00041512')).toBe(J2K_LOSSLESS);
    expect(image.string('x00200013')).toBe('1');
    // Type 1 keys the data lacks get the documented stand-ins; type 2 ones are present and empty.
    expect(irm!.st.data.string('x00080005')).toBe('ISO_IR 192');
    expect(utf8(irm!.st.data, 'x00081030')).toBe('IRM cérébrale');
    expect([irm!.st.data.string('x00080020'), irm!.st.data.string('x00080030'), irm!.st.data.string('x00200010')]).toEqual(['19000101', '000000', '2']);
    expect(irm!.st.data.elements.x00080050?.length).toBe(0);
    expect(irm!.series.map((s) => [s.se.data.string('x00080060'), s.se.data.string('x00200011')])).toEqual([['MR', '1'], ['MR', '7']]);
    expect(irm!.series[0]!.images.map((im) => im.data.string('x00200013'))).toEqual(['1', '2']);
    expect(doe!.studies[0]!.st.data.elements.x00081030?.length).toBe(0);

    // Every element has an even length (PS3.5 §7.1: UI padded with NUL, other strings with a space).
    for (const record of records.values()) for (const el of Object.values(record.data.elements)) expect(el.length % 2, el.tag).toBe(0);
  });

  it('gives the same bytes for the same content, and another SOP Instance UID for other content', () => {
    const a = buildDicomdir(TREE);
    expect(buildDicomdir(structuredClone(TREE)).equals(a)).toBe(true);
    const other = structuredClone(TREE);
    other.patients[1]!.name = 'Doe^John';
    const uidOf = (file: Buffer) => dicomParser.parseDicom(new Uint8Array(file)).string('x00020003');
    expect(uidOf(buildDicomdir(other))).not.toBe(uidOf(a));
  });

  it.skipIf(!hasDciodvfy)(`passes dciodvfy with no errors${skipped('dciodvfy', hasDciodvfy, 'dicom3tools')}`, () => {
    const file = path.join(dir, 'tree', 'DICOMDIR');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, buildDicomdir(TREE));
    const { out, errors, otherWarnings } = dciodvfyFindings(file);
    expect(out).toContain('BasicDirectory');
    expect(errors).toEqual([]);
    expect(otherWarnings).toEqual([]);
  });

  it.skipIf(!hasDcdirdmp)(`lets dcdirdmp walk every record and list each referenced file${skipped('dcdirdmp', hasDcdirdmp, 'dicom3tools')}`, () => {
    const file = path.join(dir, 'walk', 'DICOMDIR');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, buildDicomdir(TREE));
    const { status, out } = run('dcdirdmp', [file]);
    expect(status).toBe(0);
    const lines = out.split('\n');
    expect(lines.filter((l) => /^\s*(PATIENT|STUDY|SERIES|IMAGE)\b/.test(l)).map((l) => l.trim().split(' ')[0])).toEqual([
      'PATIENT', 'STUDY', 'SERIES', 'IMAGE', 'IMAGE', 'IMAGE', 'SERIES', 'IMAGE', 'STUDY', 'SERIES', 'IMAGE', 'IMAGE', 'SERIES', 'IMAGE',
      'PATIENT', 'STUDY', 'SERIES', 'IMAGE',
    ]);
    expect(lines.filter((l) => l.includes('->')).map((l) => l.split('->')[1]!.trim())).toEqual(allFileIds(TREE));
    expect(out).toContain('Müller^Jürgen=ミュラー^ユルゲン PID-001');
  });

  it.skipIf(!hasDcmdump)(`is read by dcmtk's dcmdump without warnings${skipped('dcmdump', hasDcmdump, 'dcmtk')}`, () => {
    const file = path.join(dir, 'dump', 'DICOMDIR');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, buildDicomdir(TREE));
    const { status, out } = run('dcmdump', [file]);
    expect(status).toBe(0);
    expect(out.split('\n').filter((l) => /^[EWF]: /.test(l))).toEqual([]);
    expect(out.match(/"Directory Record" (PATIENT|STUDY|SERIES|IMAGE)/g)).toHaveLength(18);
    expect(out).toContain('(0002,0002) UI =MediaStorageDirectoryStorage');
  });

  it('lays the real samples out as a file set whose DICOMDIR dicom-parser walks to every file', async () => {
    const { media, sources } = await realMedia();
    const { records } = parse(readFileSync(path.join(media, 'DICOMDIR')));
    const images = [...records.values()].filter((r) => r.type === 'IMAGE').map((r) => r.data.string('x00041500')!);
    expect(images.toSorted()).toEqual(sources.map((s) => s.fileId.join('\\')).toSorted());
    for (const fileId of images) expect(existsSync(path.join(media, ...fileId.split('\\'))), fileId).toBe(true);
  });

  it.skipIf(!hasDciodvfy || !hasDcdirdmp)(
    `makes a valid file set of the real samples, as dciodvfy and dcdirdmp see it${skipped('dciodvfy or dcdirdmp', hasDciodvfy && hasDcdirdmp, 'dicom3tools')}`,
    async () => {
      const { media, sources } = await realMedia();
      const { errors, otherWarnings } = dciodvfyFindings(path.join(media, 'DICOMDIR'));
      // UIDs are copied as the files carry them: an illegal root (color-pl.dcm's 999.999) is passed
      // over only where dciodvfy faults the source file for the same UID.
      const inherited = (line: string) => {
        const uid = /^Error - Illegal root for UID - "([^"]+)"/.exec(line)?.[1];
        const source = uid && sources.find((s) => s.uids.includes(uid));
        return !!source && run('dciodvfy', [source.file]).out.includes(`Illegal root for UID - "${uid}"`);
      };
      expect(errors.filter((line) => !inherited(line))).toEqual([]);
      // Names without a caret ("Anonymized") are kept as the files have them, so the keys match the files.
      expect(otherWarnings.filter((line) => !/Patient's Name .* Retired Person Name form$/.test(line))).toEqual([]);
      const { status, out } = run('dcdirdmp', [path.join(media, 'DICOMDIR')]);
      expect(status).toBe(0);
      const listed = out.split('\n').filter((l) => l.includes('->')).map((l) => l.split('->')[1]!.trim());
      expect(listed.toSorted()).toEqual(sources.map((s) => s.fileId.join('\\')).toSorted());
    },
  );
});
