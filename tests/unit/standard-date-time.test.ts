import { describe, expect, it } from 'vitest';
import { standardDate, standardTime } from '@/lib/dicom/standard-date-time';

describe('DA and TM in their DICOM 3 form', () => {
  it('drops the dots of an ACR-NEMA date and the colons of its time', () => {
    expect(standardDate('1999.05.24')).toBe('19990524');
    expect(standardTime('11:42:21')).toBe('114221');
    expect(standardTime('11:42:43.309512')).toBe('114243.309512');
    expect(standardTime('11:42')).toBe('1142');
  });

  it('leaves every other value as it is', () => {
    for (const da of ['19990524', '', '1999.5.24', '1999-05-24', '19990524-19990601']) expect(standardDate(da)).toBe(da);
    for (const tm of ['114221', '114221.5', '', '11:42:21:00', '1:42']) expect(standardTime(tm)).toBe(tm);
  });
});
