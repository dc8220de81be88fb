/**
 * The parts of de-identification one at a time: how Table E.1-1's combined actions are resolved,
 * keyed UID remapping, whole-day date shifting, descriptor cleaning, and which instances are flagged
 * for burned-in text.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ANNEX_E_ROWS, annexEActions, basicAction } from '@/lib/dicom/deidentify/annex-e-actions';
import { burnedInAnnotationRisk } from '@/lib/dicom/deidentify/burned-in-risk';
import { cleanDescriptor } from '@/lib/dicom/deidentify/clean-descriptor';
import { remapUid } from '@/lib/dicom/deidentify/remap-uid';
import { shiftDate } from '@/lib/dicom/deidentify/shift-date';

const row = (keyword: string) => ANNEX_E_ROWS.find((r) => r.keyword === keyword)!;

describe('Table E.1-1 as rules', () => {
  it('holds the 647 rows of DICOM 2025b, each with a Basic Profile action', () => {
    expect(ANNEX_E_ROWS).toHaveLength(647);
    for (const r of ANNEX_E_ROWS) expect(r.basic, r.keyword).toMatch(/^(D|Z|X|K|C|U|U\*)(\/(D|Z|X|K|C|U|U\*))*$/);
  });

  it('resolves combined actions by the documented rule: CT IOD modules take the least destructive, others the first', () => {
    expect(basicAction(row('AcquisitionDateTime'))).toBe('D'); // X/Z/D, in general-acquisition
    expect(basicAction(row('PatientSexNeutered'))).toBe('Z'); // X/Z, in patient-study
    expect(basicAction(row('SeriesDate'))).toBe('D'); // X/D, in general-series
    expect(basicAction(row('DeviceSerialNumber'))).toBe('D'); // X/Z/D: Type 1 in Enhanced General Equipment (SEG)
    expect(basicAction(row('DetectorID'))).toBe('X'); // X/D, no CT module
    expect(basicAction(row('ContentCreatorName'))).toBe('Z'); // Z/D, no CT module
    expect(basicAction(row('ContentDate'))).toBe('D'); // Z/D, in general-image
    expect(basicAction(row('InstitutionCodeSequence'))).toBe('Z'); // X/Z/D sequence: empty, not a dummy item
    expect(basicAction(row('ReferencedStudySequence'))).toBe('Z');
    expect(basicAction(row('OperatorIdentificationSequence'))).toBe('D'); // X/D sequence in a CT module
    expect(basicAction(row('SourceImageSequence'))).toBe('K'); // X/Z/U*: kept, its UIDs remapped
    expect(basicAction(row('AnnotationGroupUID'))).toBe('U'); // D of a UID: a remapped UID
  });

  it('applies options only where the table has them', () => {
    const basic = annexEActions({ cleanDescriptors: false, modifiedDates: false });
    const both = annexEActions({ cleanDescriptors: true, modifiedDates: true });
    expect(basic.ruleFor('00081030')?.action).toBe('remove'); // Study Description X
    expect(both.ruleFor('00081030')?.action).toBe('clean');
    expect(basic.ruleFor('00080020')?.action).toBe('empty'); // Study Date Z
    expect(both.ruleFor('00080020')?.action).toBe('shift');
    expect(both.ruleFor('00100030')?.action).toBe('empty'); // Patient's Birth Date: no dates option
    expect(both.ruleFor('00080201')?.action).toBe('remove'); // Timezone Offset (SH): C of dates, not a date VR
    expect(both.ruleFor('00189065')).toBeUndefined(); // not in the table: kept
    expect(basic.ruleFor('00100010')?.action).toBe('pseudonym');
    expect(basic.ruleFor('00100020')?.action).toBe('pseudonym');
  });

  it('matches the repeating-group rows: curves and overlays go whole', () => {
    const rules = annexEActions({ cleanDescriptors: false, modifiedDates: false });
    expect(rules.ruleFor('50003000')?.action).toBe('remove');
    expect(rules.ruleFor('501E0005')?.action).toBe('remove');
    expect(rules.ruleFor('60023000')?.action).toBe('remove');
    expect(rules.ruleFor('60004000')?.action).toBe('remove');
    expect(rules.ruleFor('60000010')?.action).toBe('remove'); // rest of the overlay group
    expect(rules.ruleFor('60010010')).toBeUndefined(); // odd: private, not an overlay
    expect(rules.ruleFor('50200010')).toBeUndefined(); // past the repeating range
  });
});

describe('remapUid', () => {
  const key = new Uint8Array(32).fill(3);

  it('is 2.25 and the first 128 bits of HMAC-SHA256(key, uid), same for the same key', () => {
    const uid = '1.2.826.0.1.3680043.8.498.1';
    const digest = createHmac('sha256', key).update(uid).digest('hex').slice(0, 32);
    expect(remapUid(uid, key)).toBe(`2.25.${BigInt(`0x${digest}`)}`);
    expect(remapUid(uid, key)).toBe(remapUid(`${uid}\0`, key)); // padding is not part of a UID
    expect(remapUid(uid, key).length).toBeLessThanOrEqual(64);
    expect(remapUid(uid, new Uint8Array(32).fill(4))).not.toBe(remapUid(uid, key));
  });

  it("never remaps the standard's own UIDs (SOP classes, transfer syntaxes, UTC synchronization)", () => {
    for (const uid of ['1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.15.1.1']) expect(remapUid(uid, key)).toBe(uid);
  });
});

describe('shiftDate', () => {
  it('moves dates by whole days across months, years and leap days', () => {
    expect(shiftDate('20240131', 'DA', 30)).toBe('20240301');
    expect(shiftDate('20240301', 'DA', -1)).toBe('20240229');
    expect(shiftDate('20231231', 'DA', 1)).toBe('20240101');
    expect(shiftDate('2024.01.31', 'DA', 1)).toBe('20240201');
    expect(shiftDate('20240101-20240131', 'DA', -1)).toBe('20231231-20240130');
  });

  it("keeps a DT's time, fraction, offset and precision; leaves times of day alone", () => {
    expect(shiftDate('20240131235959.123456+0100', 'DT', 1)).toBe('20240201235959.123456+0100');
    expect(shiftDate('202401', 'DT', 40)).toBe('202402');
    expect(shiftDate('101500.5', 'TM', 12)).toBe('101500.5');
  });

  it('refuses what is not a date of its VR', () => {
    expect(shiftDate('20240230', 'DA', 1)).toBeNull();
    expect(shiftDate('31/01/2024', 'DA', 1)).toBeNull();
    expect(shiftDate('yesterday', 'TM', 1)).toBeNull();
  });
});

describe('cleanDescriptor', () => {
  const ids = ['DOE^JANE', 'DOE', 'JANE', 'MRN-4711', 'ACC-0815'];

  it('removes names, IDs and dates, keeps the rest', () => {
    expect(cleanDescriptor('CT CHEST DOE JANE MRN-4711 ACC-0815 31.01.2024', ids)).toBe('CT CHEST');
    expect(cleanDescriptor('Follow-up of Jane Doe (2024-01-31), see 20240131 and Jan 31, 2024', ids)).toBe('Follow-up of, see and');
    expect(cleanDescriptor('CT 12 Mar 2023 DOE', ids)).toBe('CT');
  });

  it('matches whole words only, so a short name does not eat other words', () => {
    expect(cleanDescriptor('Liver and lungs', ['LI'])).toBe('Liver and lungs');
    expect(cleanDescriptor('512x512 1.25 mm', ids)).toBe('512x512 1.25 mm');
  });
});

describe('burnedInAnnotationRisk', () => {
  it('does not flag a CT that says nothing is burned in', () => {
    expect(burnedInAnnotationRisk({ modality: 'CT', burnedInAnnotation: 'NO' })).toEqual({ flagged: false });
    expect(burnedInAnnotationRisk({})).toEqual({ flagged: false });
  });

  it('flags Burned In Annotation YES, whatever the modality', () => {
    expect(burnedInAnnotationRisk({ modality: 'CT', burnedInAnnotation: 'YES' })).toMatchObject({ flagged: true, reason: expect.stringContaining('YES') });
  });

  it('flags modalities known for burned-in text, even when the header says NO', () => {
    for (const modality of ['US', 'SC', 'XA', 'RF', 'ES', 'OT', 'xc']) {
      expect(burnedInAnnotationRisk({ modality, burnedInAnnotation: 'NO' }), modality).toMatchObject({ flagged: true });
    }
  });

  it('flags secondary captures, screenshots and slide labels', () => {
    expect(burnedInAnnotationRisk({ modality: 'CT', sopClassUid: '1.2.840.10008.5.1.4.1.1.7.4' }).flagged).toBe(true);
    expect(burnedInAnnotationRisk({ modality: 'CT', imageType: 'DERIVED\\SECONDARY\\SCREEN SHOT' }).flagged).toBe(true);
    expect(burnedInAnnotationRisk({ modality: 'SM', imageType: ['ORIGINAL', 'PRIMARY', 'LABEL'] }).flagged).toBe(true);
    expect(burnedInAnnotationRisk({ modality: 'SM', imageType: ['ORIGINAL', 'PRIMARY', 'VOLUME'] }).flagged).toBe(false);
  });
});
