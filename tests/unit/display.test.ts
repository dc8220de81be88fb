import { describe, expect, it } from 'vitest';
import { formatDicomDate } from '@/lib/dicom/display.client';

describe('formatDicomDate', () => {
  it('reads DA and the retired ACR-NEMA dotted form, and leaves anything else as it is', () => {
    expect(formatDicomDate('20041118')).toBe('2004-11-18');
    expect(formatDicomDate('1999.05.24')).toBe('1999-05-24');
    expect(formatDicomDate('2004111')).toBe('2004111');
    expect(formatDicomDate('')).toBe('');
  });
});
