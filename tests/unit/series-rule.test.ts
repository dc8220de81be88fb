/** A project's series rule: which series of its studies readers label and the model pre-annotates. */
import { describe, expect, it } from 'vitest';
import { initialSeries, seriesToLabel, type ViewerStudy } from '@/components/viewer/viewer-study';
import { describeSeriesRule, descriptionAlternatives, EVERY_SERIES, matchesSeriesRule, namesSeries, parseModalities, storedSeriesRule } from '@/lib/projects/series-rule.client';

const series = (seriesInstanceUid: string, modality: string, description: string) => ({ seriesInstanceUid, number: null, modality, description, instanceCount: 1 });
const STUDY: ViewerStudy = {
  id: 's',
  studyInstanceUid: '1.2',
  description: '',
  date: '',
  patient: '',
  patientId: '',
  series: [series('1', 'CT', 'Scout'), series('2', 'CT', 'Axial 5 mm soft tissue'), series('3', 'SR', 'Dose report lung'), series('4', 'CT', 'Axial 1.25 mm LUNG'), series('5', 'MR', 'T2 lung')],
};

describe('matchesSeriesRule', () => {
  it('takes every series when the rule names nothing', () => {
    expect(STUDY.series.every((s) => matchesSeriesRule(EVERY_SERIES, s))).toBe(true);
  });

  it('matches the modality and any alternative of the description, in any case, on the same series', () => {
    const rule = { modalities: ['CT'], seriesDescription: ' Lung | mediastinum ' };
    expect(STUDY.series.filter((s) => matchesSeriesRule(rule, s)).map((s) => s.seriesInstanceUid)).toEqual(['4']);
    expect(STUDY.series.filter((s) => matchesSeriesRule({ modalities: [], seriesDescription: 'lung' }, s)).map((s) => s.seriesInstanceUid)).toEqual(['3', '4', '5']);
    expect(STUDY.series.filter((s) => matchesSeriesRule({ modalities: ['MR', 'CT'], seriesDescription: '' }, s)).map((s) => s.seriesInstanceUid)).toEqual(['1', '2', '4', '5']);
  });

  it('drops blank alternatives', () => {
    expect(descriptionAlternatives('|  | Lung|')).toEqual(['lung']);
    expect(namesSeries({ modalities: [], seriesDescription: ' | ' })).toBe(false);
    expect(namesSeries({ modalities: ['CT'], seriesDescription: '' })).toBe(true);
    expect(matchesSeriesRule({ modalities: [], seriesDescription: ' | ' }, series('9', 'CT', 'anything'))).toBe(true);
  });
});

describe('describeSeriesRule', () => {
  it('says the rule in words', () => {
    expect(describeSeriesRule(EVERY_SERIES)).toBe('Every series');
    expect(describeSeriesRule({ modalities: ['CT'], seriesDescription: '' })).toBe('CT series');
    expect(describeSeriesRule({ modalities: ['CT', 'MR'], seriesDescription: 'Lung|chest' })).toBe('CT or MR series described “lung” or “chest”');
    expect(describeSeriesRule({ modalities: [], seriesDescription: 'lung' })).toBe('Series described “lung”');
  });

  it('reads modalities as typed', () => {
    expect(parseModalities(' CT, MR\\US  PT ')).toEqual(['CT', 'MR', 'US', 'PT']);
    expect(parseModalities('  ')).toEqual([]);
  });

  it('reads a project row', () => {
    expect(storedSeriesRule({ modalities: 'CT\\MR', seriesDescription: 'lung' })).toEqual({ modalities: ['CT', 'MR'], seriesDescription: 'lung' });
    expect(storedSeriesRule({ modalities: '', seriesDescription: '' })).toEqual(EVERY_SERIES);
  });
});

describe('the labeling viewer', () => {
  it('opens on the series the project labels, then the other image series in study order', () => {
    const rule = { modalities: ['CT'], seriesDescription: 'lung' };
    expect(initialSeries(STUDY, rule)).toEqual(['4', '1', '2', '5']);
    expect([...seriesToLabel(STUDY, rule)]).toEqual(['4']);
  });

  it('keeps study order (image series only) when viewing, or when the rule matches nothing', () => {
    expect(initialSeries(STUDY)).toEqual(['1', '2', '4', '5']);
    expect(initialSeries(STUDY, { modalities: ['US'], seriesDescription: '' })).toEqual(['1', '2', '4', '5']);
    expect(seriesToLabel(STUDY, null).size).toBe(0);
  });
});
