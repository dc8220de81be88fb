/**
 * Which series of a project's studies are labeled: a CT study holds a scout, thin and thick
 * reconstructions, an MR study a dozen sequences, and a project labels one of them. The rule is set
 * with the project and applies to every study that joins it: the labeling viewer opens on the
 * matching series and marks them, and pre-annotation runs on them only. Shared by server and browser.
 */
export type SeriesRule = {
  /** Modalities of the series to label; empty: any. */
  modalities: readonly string[];
  /** Text the series description contains, any case; several alternatives separated by "|"; empty: any. */
  seriesDescription: string;
};

/** The rule of a project that names no series: every series of every modality. */
export const EVERY_SERIES: SeriesRule = { modalities: [], seriesDescription: '' };

/** Modalities as a person types them: "CT, MR", "CT MR" or "CT\\MR". */
export function parseModalities(text: string): string[] {
  return text.split(/[\s,\\]+/).filter(Boolean);
}

/** The alternatives of a description rule, lower case, blanks dropped ("Lung | mediastinum" → ["lung", "mediastinum"]). */
export function descriptionAlternatives(seriesDescription: string): string[] {
  return seriesDescription
    .split('|')
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
}

/** Whether the rule narrows anything down (a project that names no modality or description labels every series). */
export function namesSeries(rule: SeriesRule): boolean {
  return rule.modalities.length > 0 || descriptionAlternatives(rule.seriesDescription).length > 0;
}

/** Whether a series is one the project labels. */
export function matchesSeriesRule(rule: SeriesRule, series: { modality: string; description: string }): boolean {
  if (rule.modalities.length && !rule.modalities.includes(series.modality)) return false;
  const alternatives = descriptionAlternatives(rule.seriesDescription);
  if (!alternatives.length) return true;
  const description = series.description.toLowerCase();
  return alternatives.some((a) => description.includes(a));
}

/** The rule in words, for the project page and the viewer: "CT or MR series described “lung” or “chest”". */
export function describeSeriesRule(rule: SeriesRule): string {
  if (!namesSeries(rule)) return 'Every series';
  const alternatives = descriptionAlternatives(rule.seriesDescription);
  const kinds = rule.modalities.length ? `${rule.modalities.join(' or ')} series` : 'Series';
  return alternatives.length ? `${kinds} described ${alternatives.map((a) => `“${a}”`).join(' or ')}` : kinds;
}

/** A project row's rule: modalities are stored backslash-separated, as in Modalities in Study. */
export function storedSeriesRule(project: { modalities: string; seriesDescription: string }): SeriesRule {
  return { modalities: project.modalities ? project.modalities.split('\\') : [], seriesDescription: project.seriesDescription };
}

/**
 * Which series of one study a project labels: its rule, and the series a manager chose by hand over
 * it (series UID → label it or not).
 */
export type SeriesSelection = { rule: SeriesRule; choices: Readonly<Record<string, boolean>> };

/** Whether the project labels a series: a manager's choice for it, else the rule. */
export function selectsSeries(selection: SeriesSelection, series: { seriesInstanceUid: string; modality: string; description: string }): boolean {
  return selection.choices[series.seriesInstanceUid] ?? matchesSeriesRule(selection.rule, series);
}

/** Whether anything narrows the study's series down: the rule, or a choice by hand. */
export function narrowsSeries(selection: SeriesSelection): boolean {
  return namesSeries(selection.rule) || Object.keys(selection.choices).length > 0;
}

/** The selection in words, for the viewer: "CT series described “lung” (1 added, 1 left out)". */
export function describeSeriesSelection(selection: SeriesSelection): string {
  const choices = Object.values(selection.choices);
  const chosen = choices.filter(Boolean).length;
  const byHand = [chosen ? `${chosen} added` : '', choices.length > chosen ? `${choices.length - chosen} left out` : ''].filter(Boolean);
  return byHand.length ? `${describeSeriesRule(selection.rule)} (${byHand.join(', ')})` : describeSeriesRule(selection.rule);
}
