/**
 * The Basic Profile's D: "a non-zero length value that may be a dummy value and consistent with the
 * VR". One fixed, obviously fake value per VR, in dcmjs's form (its `Value` array). UIDs are not
 * dummied here (they are remapped: remap-uid.ts); sequences keep their items with dummies inside.
 */
export function dummyValue(vr: string): unknown[] {
  switch (vr) {
    case 'PN':
      return [{ Alphabetic: 'ANONYMOUS' }];
    case 'AE':
    case 'CS':
    case 'LO':
    case 'LT':
    case 'SH':
    case 'ST':
    case 'UC':
    case 'UT':
      return ['ANONYMOUS'];
    case 'UR':
      return ['urn:oid:2.25.0'];
    case 'AS':
      return ['000D'];
    case 'DA':
      return ['19000101'];
    case 'DT':
      return ['19000101000000'];
    case 'TM':
      return ['000000'];
    case 'DS':
    case 'IS':
    case 'FL':
    case 'FD':
    case 'SL':
    case 'SS':
    case 'UL':
    case 'US':
    case 'SV':
    case 'UV':
      return [0];
    case 'AT':
      return [0];
    default:
      // OB, OW, OF, OD, OL, OV, UN: two zero bytes (even length, non-zero).
      return [new ArrayBuffer(vr === 'OD' || vr === 'OV' ? 8 : vr === 'OF' || vr === 'OL' ? 4 : 2)];
  }
}
