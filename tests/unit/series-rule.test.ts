/** A project's series rule, and managers' choices over it: which series of its studies readers label and the model pre-annotates. */
import { describe, expect, it } from 'vitest';
import { initialSeries, seriesToLabel, type ViewerStudy } from '@/components/viewer/viewer-study';
import {
  describeSeriesRule,
  describeSeriesSelection,
  descriptionAlternatives,
  EVERY_SERIES,
  matchesSeriesRule,
  namesSeries,
  narrowsSeries,
  parseModalities,
  selectsSeries,
  storedSeriesRule,
} from '@/lib/projects/series-rule.client';

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

describe('choices by hand', () => {
  const rule = { modalities: ['CT'], seriesDescription: 'lung' };

  it('win over the rule, both ways, and leave the other series to it', () => {
    const selection = { rule, choices: { '4': false, '2': true } };
    expect(STUDY.series.filter((s) => selectsSeries(selection, s)).map((s) => s.seriesInstanceUid)).toEqual(['2']);
    expect(STUDY.series.filter((s) => selectsSeries({ rule, choices: {} }, s)).map((s) => s.seriesInstanceUid)).toEqual(['4']);
  });

  it('are said with the rule', () => {
    expect(describeSeriesSelection({ rule, choices: {} })).toBe('CT series described “lung”');
    expect(describeSeriesSelection({ rule, choices: { '4': false, '2': true, '1': true } })).toBe('CT series described “lung” (2 added, 1 left out)');
    expect(describeSeriesSelection({ rule: EVERY_SERIES, choices: { '1': false } })).toBe('Every series (1 left out)');
    expect(narrowsSeries({ rule: EVERY_SERIES, choices: {} })).toBe(false);
    expect(narrowsSeries({ rule: EVERY_SERIES, choices: { '1': false } })).toBe(true);
  });
});

describe('the labeling viewer', () => {
  const selection = (modalities: string[], seriesDescription: string, choices: Record<string, boolean> = {}) => ({ rule: { modalities, seriesDescription }, choices });

  it('opens on the series the project labels, then the other image series in study order', () => {
    expect(initialSeries(STUDY, selection(['CT'], 'lung'))).toEqual(['4', '1', '2', '5']);
    expect([...seriesToLabel(STUDY, selection(['CT'], 'lung'))]).toEqual(['4']);
  });

  it('follows the choices made by hand, and never offers a series without images', () => {
    const chosen = selection(['CT'], 'lung', { '4': false, '5': true, '3': true });
    expect(initialSeries(STUDY, chosen)).toEqual(['5', '1', '2', '4']);
    expect([...seriesToLabel(STUDY, chosen)]).toEqual(['5']);
  });

  it('keeps study order (image series only) when viewing, or when the rule matches nothing', () => {
    expect(initialSeries(STUDY)).toEqual(['1', '2', '4', '5']);
    expect(initialSeries(STUDY, selection(['US'], ''))).toEqual(['1', '2', '4', '5']);
    expect(seriesToLabel(STUDY, null).size).toBe(0);
  });
});
