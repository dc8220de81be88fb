/**
 * The Basic Profile, row by row of PS3.15 Table E.1-1: a generated instance carries PHI in every
 * attribute of the table (tests/helpers/phi-laden-dicom.ts), at the top level and two sequence
 * levels down; after de-identification each row's action is checked where it applies — X gone,
 * Z empty, D a dummy, U remapped, C cleaned or shifted under the options — and no PHI is left
 * anywhere. Private attributes, overlays and curves, the File Meta Information and the attributes
 * Annex E adds are checked on the same files, in four transfer syntaxes.
 */
import { createHmac } from 'node:crypto';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import type { AnnexERow } from '@/lib/dicom/deidentify/annex-e-actions';
import type { DcmjsDataset, DcmjsElement } from '@/lib/dicom/deidentify/dcmjs-dataset';
import { deidentifyInstance } from '@/lib/dicom/deidentify/deidentify-instance';
import type { DeidentifyOptions } from '@/lib/dicom/deidentify/schemas';
import { syntheticCtSeries } from '@/lib/dicom/synthetic-ct';
import { DESCRIPTOR_KEEP, PHI, PHI_TOKENS, phiLadenDicom, PRIVATE, tagOf } from '../helpers/phi-laden-dicom';

const KEY = new Uint8Array(32).map((_, i) => i * 7 + 1);
const PSEUDONYM = 'PSEUDO-0042';
const SHIFT = -37;
const UIDS = { studyInstanceUid: '1.2.826.0.1.3680043.10.999.1', seriesInstanceUid: '1.2.826.0.1.3680043.10.999.2', sopInstanceUid: '1.2.826.0.1.3680043.10.999.3', frameOfReferenceUid: '1.2.826.0.1.3680043.10.999.4' };

const DATE_VRS = ['DA', 'DT', 'TM'];

/** The 2.25 UID the profile must give `uid` (computed here, not by the library). */
function expectedUid(uid: string): string {
  return `2.25.${BigInt(`0x${createHmac('sha256', KEY).update(uid).digest('hex').slice(0, 32)}`)}`;
}

function addDays(yyyymmdd: string, days: number): string {
  const d = new Date(Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8)) + days));
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

type Expected = 'X' | 'Z' | 'D' | 'U' | 'K' | 'C' | 'shift' | 'pseudonym';

/**
 * What the test expects of a row, from the table and the rule docs/deidentification.md states for
 * combined actions (written out again here rather than taken from the library).
 */
function expectedAction(row: AnnexERow, o: { clean: boolean; modifiedDates: boolean }): Expected {
  const vr = row.vr!;
  if (row.tag === '(0010,0010)' || row.tag === '(0010,0020)') return 'pseudonym';
  if (o.modifiedDates && row.opt?.rtnLongModifDates === 'C' && DATE_VRS.includes(vr)) return 'shift';
  if (o.clean && row.opt?.cleanDesc === 'C' && vr !== 'OB') return 'C';
  const letters = row.basic.split('/');
  let letter: string;
  if (letters.includes('U*')) letter = 'K';
  else if (letters.length === 1) letter = letters[0]!;
  else if (row.ct?.length) letter = vr === 'SQ' && letters.includes('Z') ? 'Z' : letters.at(-1)!;
  else letter = letters[0]!;
  if (letter === 'D' && vr === 'UI') letter = 'U';
  expect(letters.concat(letters.includes('U*') ? ['K'] : [], letters.includes('D') && vr === 'UI' ? ['U'] : [])).toContain(letter);
  return letter as Expected;
}

const toArrayBuffer = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

function readOutput(bytes: Uint8Array): { meta: DcmjsDataset; dict: DcmjsDataset } {
  return dcmjs.data.DicomMessage.readFile(toArrayBuffer(bytes)) as unknown as { meta: DcmjsDataset; dict: DcmjsDataset };
}

/** String values (PN as its alphabetic form, unknown VRs decoded), padding and empty values dropped. */
function values(el: DcmjsElement | undefined): string[] {
  if (!el) return [];
  return (el.Value ?? [])
    .flatMap((v) => (v instanceof ArrayBuffer ? Buffer.from(v).toString('latin1').split('\\') : [typeof v === 'object' && v !== null ? ((v as { Alphabetic?: string }).Alphabetic ?? '') : String(v)]))
    .map((s) => s.replace(/\0/g, '').trim())
    .filter((s) => s !== '');
}

const items = (el: DcmjsElement | undefined) => (el?.Value ?? []) as DcmjsDataset[];

/** Every text a data set holds, at every level (binary values decoded), pixel data excepted. */
function allText(ds: DcmjsDataset): string[] {
  return Object.entries(ds).flatMap(([tag, el]) => (tag === '7FE00010' ? [] : el.vr === 'SQ' ? items(el).flatMap(allText) : values(el)));
}

const DUMMY: Record<string, string> = { DA: '19000101', DT: '19000101000000', TM: '000000', AS: '000D', UR: 'urn:oid:2.25.0', DS: '0', IS: '0', US: '0' };

/** Checks every row (sequences only at the top level) of one data set level. */
function checkRows(ds: DcmjsDataset, rows: AnnexERow[], uids: Map<string, string>, o: { clean: boolean; modifiedDates: boolean }, where: string, date = PHI.date) {
  for (const row of rows) {
    const tag = tagOf(row);
    if (row.vr === 'SQ' && where !== 'top level') continue;
    const out = ds[tag];
    const expected = expectedAction(row, o);
    const label = `${where}: ${row.keyword} ${row.tag} ${row.basic} → ${expected}`;
    switch (expected) {
      case 'X':
        expect(out, label).toBeUndefined();
        break;
      case 'Z':
        expect(out, label).toBeDefined();
        expect(row.vr === 'SQ' ? items(out) : values(out), label).toEqual([]);
        break;
      case 'pseudonym':
        expect(values(out), label).toEqual([PSEUDONYM]);
        break;
      case 'U':
        expect(values(out), label).toEqual([expectedUid(uids.get(tag)!)]);
        break;
      case 'shift': {
        const original = row.keyword.includes('Birth') ? PHI.birthDate : date;
        const want = row.vr === 'DA' ? addDays(original, SHIFT) : row.vr === 'DT' ? `${addDays(original, SHIFT)}${PHI.time}` : PHI.time;
        expect(values(out), label).toEqual([want]);
        break;
      }
      case 'D':
        if (row.vr === 'SQ') {
          // A dummied sequence keeps its items; inside, listed attributes follow the table and unlisted text is dummied.
          const [item] = items(out);
          expect(item, label).toBeDefined();
          expect(values(item!['0040A123']), label).toEqual(['ANONYMOUS']);
          expect(values(item!['00080104']), label).toEqual(['ANONYMOUS']);
          expect(values(item!['00081155']), label).toEqual([expectedUid(uids.get('00081155')!)]);
          expect(values(item!['00081150']), label).toEqual(['1.2.840.10008.5.1.4.1.1.2']);
        } else if (row.vr === 'OB' || row.vr === 'UN') {
          const raw = new Uint8Array(out!.Value[0] as ArrayBuffer);
          expect(raw.length, label).toBeGreaterThan(0);
          expect(raw.every((b) => b === 0), label).toBe(true);
        } else {
          expect(values(out), label).toEqual([DUMMY[row.vr!] ?? 'ANONYMOUS']);
        }
        break;
      case 'K': {
        // X/Z/U*: the reference stays, pointing at the remapped instance.
        const [item] = items(out);
        expect(item, label).toBeDefined();
        expect(values(item!['00081155']), label).toEqual([expectedUid(uids.get('00081155')!)]);
        expect(values(item!['00081150']), label).toEqual(['1.2.840.10008.5.1.4.1.1.2']);
        expect(values(item!['00080104']), label).toEqual(['Neutral meaning']);
        expect(values(item!['0040A123']), label).toEqual(['ANONYMOUS']);
        break;
      }
      case 'C':
        if (row.vr === 'SQ') {
          const [item] = items(out);
          expect(values(item!['00080104']), label).toEqual(['Neutral meaning']);
          expect(values(item!['0040A123']), label).toEqual(['ANONYMOUS']);
        } else if (row.vr === 'LO') {
          expect(values(out), label).toEqual([DESCRIPTOR_KEEP.LO]);
        } else if (row.vr === 'SH') {
          expect(values(out), label).toEqual([DESCRIPTOR_KEEP.SH]);
        } else if (row.vr === 'CS') {
          expect(values(out), label).toEqual([]); // 'DOE JANE': nothing left
        } else {
          expect(values(out)[0], label).toMatch(new RegExp(`^${DESCRIPTOR_KEEP.long}`));
        }
        break;
    }
  }
}

const SYNTAXES = [
  { name: 'explicit VR little endian', transferSyntaxUid: '1.2.840.10008.1.2.1' },
  { name: 'implicit VR little endian', transferSyntaxUid: '1.2.840.10008.1.2' },
  { name: 'explicit VR big endian', transferSyntaxUid: '1.2.840.10008.1.2.2' },
  { name: 'encapsulated pixel data', encapsulated: true },
];

const OPTION_SETS: { name: string; o: { clean: boolean; modifiedDates: boolean }; options: Omit<DeidentifyOptions, 'uidKey' | 'patientPseudonym'> }[] = [
  { name: 'Basic Profile', o: { clean: false, modifiedDates: false }, options: {} },
  {
    name: 'Basic Profile + Clean Descriptors + Modified Dates',
    o: { clean: true, modifiedDates: true },
    options: { cleanDescriptors: true, retainLongitudinalTemporalInformation: 'modified-dates', dateShiftDays: SHIFT },
  },
];

describe.each(SYNTAXES)('Table E.1-1 on a PHI-laden instance ($name)', (syntax) => {
  describe.each(OPTION_SETS)('$name', ({ o, options }) => {
    const generated = phiLadenDicom({ ...UIDS, transferSyntaxUid: syntax.transferSyntaxUid, encapsulated: syntax.encapsulated });
    const result = deidentifyInstance(generated.bytes, { uidKey: KEY, patientPseudonym: PSEUDONYM, ...options });
    const { meta, dict } = readOutput(result.bytes);
    const level1 = items(dict['00081115'])[0]!;
    const level2 = items(level1['0008114A'])[0]!;

    it('applies every row of the table at the top level', () => {
      expect(generated.rows.length).toBeGreaterThan(600);
      checkRows(dict, generated.rows, generated.uids, o, 'top level');
    });

    it('applies every row inside a sequence item, and inside an item of that item', () => {
      checkRows(level1, generated.rows, generated.uids, o, 'item');
      checkRows(level2, generated.rows, generated.uids, o, 'nested item');
    });

    it('leaves no PHI and no original UID anywhere, File Meta Information included', () => {
      const text = [...allText(dict), ...allText(meta)].join('\n').toUpperCase();
      for (const token of PHI_TOKENS) expect(text, token).not.toContain(token.toUpperCase());
      for (const uid of generated.uids.values()) expect(text).not.toContain(uid);
    });

    it('keeps what the table does not list, and the transfer syntax', () => {
      expect(values(dict['00080016'])).toEqual(['1.2.840.10008.5.1.4.1.1.2']);
      expect(values(dict['00080060'])).toEqual(['CT']);
      expect(values(dict['00080008'])).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
      expect(values(dict['00280010'])).toEqual(['16']);
      expect(values(meta['00020010'])).toEqual(values(readOutput(generated.bytes).meta['00020010']));
    });

    it('names the new SOP Instance UID in the File Meta Information and reports the new UIDs', () => {
      expect(values(meta['00020003'])).toEqual([expectedUid(UIDS.sopInstanceUid)]);
      expect(meta['00020016']).toBeUndefined(); // Source Application Entity Title of the original sender
      expect(result.report).toMatchObject({
        studyInstanceUid: expectedUid(UIDS.studyInstanceUid),
        seriesInstanceUid: expectedUid(UIDS.seriesInstanceUid),
        sopInstanceUid: expectedUid(UIDS.sopInstanceUid),
        frameOfReferenceUid: expectedUid(UIDS.frameOfReferenceUid),
        patientPseudonym: PSEUDONYM,
        dateShiftDays: o.modifiedDates ? SHIFT : null,
        flags: { datesShifted: o.modifiedDates, descriptorsCleaned: o.clean, overlaysRemoved: true, burnedInAnnotation: { flagged: false } },
      });
    });

    it('adds what Annex E requires of a de-identified instance', () => {
      expect(values(dict['00120062'])).toEqual(['YES']);
      expect(values(dict['00120063'])[0]).toMatch(/Basic Profile/);
      const codes = items(dict['00120064']).map((item) => [values(item['00080102'])[0], values(item['00080100'])[0]]);
      expect(codes).toEqual([['DCM', '113100'], ...(o.clean ? [['DCM', '113105']] : []), ...(o.modifiedDates ? [['DCM', '113107']] : [])]);
      expect(values(dict['00280303'])).toEqual([o.modifiedDates ? 'MODIFIED' : 'REMOVED']);
    });

    it('removes private attributes, overlay planes and curves', () => {
      const odd = (ds: DcmjsDataset) => Object.keys(ds).filter((t) => parseInt(t[3]!, 16) & 1);
      expect([...odd(dict), ...odd(level1), ...odd(level2)]).toEqual([]);
      expect(Object.keys(dict).filter((t) => /^(50|60)[01]/.test(t))).toEqual([]);
      expect(result.report.removedPrivateTags).toBe(3 * 7 + 1 + 3);
    });

    it('copies the pixel data element byte for byte', () => {
      const pixels = (bytes: Uint8Array) => {
        const ds = dicomParser.parseDicom(bytes);
        const el = ds.elements.x7fe00010!;
        return { bytes: Buffer.from(ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)), fragments: el.fragments?.length ?? 0 };
      };
      const before = pixels(generated.bytes);
      const after = pixels(result.bytes);
      expect(after.fragments).toBe(before.fragments);
      expect(after.bytes.equals(before.bytes)).toBe(true);
      if (syntax.encapsulated) expect(after.fragments).toBeGreaterThan(0);
    });
  });
});

describe('private tag whitelist', () => {
  const generated = phiLadenDicom(UIDS);
  const group = PRIVATE.group.toString(16).padStart(4, '0');
  const privateTags = (ds: DcmjsDataset) => Object.keys(ds).filter((t) => parseInt(t[3]!, 16) & 1).sort();

  it('keeps exactly the whitelisted element and its creator, at every level', () => {
    const result = deidentifyInstance(generated.bytes, { uidKey: KEY, patientPseudonym: PSEUDONYM, privateTagWhitelist: [{ creator: PRIVATE.creator, group: PRIVATE.group, element: 0x02 }] });
    const { dict } = readOutput(result.bytes);
    const level1 = items(dict['00081115'])[0]!;
    for (const ds of [dict, level1, items(level1['0008114A'])[0]!]) {
      expect(privateTags(ds)).toEqual([`${group}0010`, `${group}1002`]);
      expect(values(ds[`${group}0010`])).toEqual([PRIVATE.creator]);
      expect(values(ds[`${group}1002`])).toEqual(['KEEP ME']);
    }
    // Offset 02 of the other vendor's block, the trailing block and the orphan element all went.
    expect(result.report).toMatchObject({ keptPrivateTags: 3, removedPrivateTags: 3 * 5 + 1 + 3 });
  });

  it('keeps a whitelisted element after the pixel data, and nothing else of its block', () => {
    const group7 = PRIVATE.trailingGroup.toString(16).toUpperCase();
    const result = deidentifyInstance(generated.bytes, {
      uidKey: KEY,
      patientPseudonym: PSEUDONYM,
      privateTagWhitelist: [{ creator: PRIVATE.trailingCreator, group: PRIVATE.trailingGroup, element: 0x02 }],
    });
    const { dict } = readOutput(result.bytes);
    expect(privateTags(dict)).toEqual([`${group7}0010`, `${group7}1002`]);
    expect(values(dict[`${group7}1002`])).toEqual(['TRAILING KEEP']);
  });

  it('does not keep an element whitelisted for another creator or group', () => {
    const result = deidentifyInstance(generated.bytes, {
      uidKey: KEY,
      patientPseudonym: PSEUDONYM,
      privateTagWhitelist: [
        { creator: 'SOMEONE ELSE', group: PRIVATE.group, element: 0x02 },
        { creator: PRIVATE.creator, group: 0x0011, element: 0x02 },
      ],
    });
    expect(privateTags(readOutput(result.bytes).dict)).toEqual([]);
  });
});

describe('attributes the table does not list', () => {
  it('keeps an unknown attribute, but removes an unknown sequence nobody could look into', () => {
    const [slice] = syntheticCtSeries({ slices: 1 });
    const file = readOutput(slice!);
    // An implicit-VR item holding Person Name (0040,A123) = DOE^JANE, stored as UN under a tag no dictionary knows.
    const item = Buffer.concat([Buffer.from([0x40, 0x00, 0x23, 0xa1, 8, 0, 0, 0]), Buffer.from('DOE^JANE')]);
    const sequence = Buffer.concat([Buffer.from([0xfe, 0xff, 0x00, 0xe0, item.length, 0, 0, 0]), item]);
    file.dict['00089998'] = { vr: 'UN', Value: [toArrayBuffer(sequence)] };
    file.dict['00089999'] = { vr: 'UN', Value: [toArrayBuffer(Buffer.from('UNKNOWN1'))] };
    const dict = new dcmjs.data.DicomDict(file.meta);
    dict.dict = file.dict;
    const out = readOutput(deidentifyInstance(new Uint8Array(dict.write()), { uidKey: KEY, patientPseudonym: PSEUDONYM }).bytes).dict;
    expect(out['00089998']).toBeUndefined();
    expect(values(out['00089999'])).toEqual(['UNKNOWN1']);
  });
});
