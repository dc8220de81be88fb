import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/Badge';
import { Card } from '@/components/ui/Card';
import { formatPercent } from '@/lib/format/format-percent.client';
import type { ModelManifest } from '@/lib/inference/manifest';
import type { ModelSpeed } from '@/lib/inference/model-speed';
import type { ClassEditStats } from '@/lib/inference/proposal-edits';
import type { GraphValue, RegisteredModel } from '@/lib/inference/registry';

/** Everything the registry knows about one model: what it is, its graph, its provenance, or why it cannot run. */
export function ModelCard({ model, edits, speed }: { model: Omit<RegisteredModel, 'dir'>; edits: ClassEditStats[]; speed: ModelSpeed | null }) {
  const m = model.manifest;
  return (
    <Card>
      <article aria-label={m?.title ?? model.name} data-testid="model-card" data-status={model.status}>
        <header className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 className="text-base font-semibold">{m?.title ?? model.name}</h2>
            <p className="text-xs text-slate-500">
              <code>{model.name}</code>
              {m && ` · version ${m.version} · ${m.task} · ${m.modalities.join(', ')}${m.bodyParts.length ? ` · ${m.bodyParts.join(', ').toLowerCase()}` : ''}`}
            </p>
          </div>
          <Badge tone={model.status === 'ready' ? 'success' : 'danger'}>{model.status === 'ready' ? 'ready' : 'cannot run'}</Badge>
        </header>
        {model.problems.length > 0 && (
          <ul className="mt-3 list-disc space-y-1 rounded-md border border-red-200 bg-red-50 py-2 pr-3 pl-7 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100" role="alert">
            {model.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {m && <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">{m.description}</p>}
        <div className="mt-4 grid gap-4 text-sm md:grid-cols-2">
          {m && (
            <Section title="Classes">
              <ul className="space-y-0.5">
                {m.output.classes.map((c) => (
                  <li key={c.index}>
                    {c.name} <span className="text-xs text-slate-500">{c.code ? `${c.code.scheme} ${c.code.value}` : ''} · output {c.index}</span>
                  </li>
                ))}
              </ul>
            </Section>
          )}
          {m && <Section title="Processing">{processing(m)}</Section>}
          {model.graph && (
            <Section title="Graph (read from the ONNX file)">
              <GraphValues label="in" values={model.graph.inputs} />
              <GraphValues label="out" values={model.graph.outputs} />
            </Section>
          )}
          <Section title="Provenance">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
              {m && (
                <>
                  <dt className="text-slate-500">License</dt>
                  <dd>{m.license.url ? <a href={m.license.url}>{m.license.spdx}</a> : m.license.spdx}</dd>
                  <dt className="text-slate-500">Citation</dt>
                  <dd>{m.citation}</dd>
                </>
              )}
              {model.sha256 && (
                <>
                  <dt className="text-slate-500">File SHA-256</dt>
                  <dd className="font-mono break-all" data-testid="model-sha256">
                    {model.sha256}
                  </dd>
                </>
              )}
              {model.manifestHash && (
                <>
                  <dt className="text-slate-500">Manifest hash</dt>
                  <dd className="font-mono break-all">{model.manifestHash}</dd>
                </>
              )}
              {model.bytes !== null && (
                <>
                  <dt className="text-slate-500">Size</dt>
                  <dd>{model.bytes.toLocaleString('en')} bytes</dd>
                </>
              )}
            </dl>
          </Section>
        </div>
        {m && (
          <Section title="Measured accuracy and speed" className="mt-4 text-sm">
            {m.accuracy.length === 0 ? (
              <p className="text-xs text-slate-500">None recorded in the manifest.</p>
            ) : (
              <ul className="space-y-0.5">
                {m.accuracy.map((a) => (
                  <li key={`${a.metric}-${a.class ?? ''}-${a.data}`}>
                    {a.metric}
                    {a.class ? ` (${a.class})` : ''}: <strong>{a.value}</strong> <span className="text-xs text-slate-500">on {a.data}</span>
                  </li>
                ))}
              </ul>
            )}
            <p className="mt-1" data-testid="model-speed">
              {speed ? (
                <>
                  Speed on this server: <strong>{speed.slicesPerSecond.toFixed(1)} slices/s</strong>{' '}
                  <span className="text-xs text-slate-500">
                    over {speed.runs} {speed.runs === 1 ? 'run' : 'runs'} ({speed.slices.toLocaleString('en')} slices, decoding and storing included)
                  </span>
                </>
              ) : (
                <span className="text-xs text-slate-500">Speed: measured once it has pre-annotated a series here.</span>
              )}
            </p>
          </Section>
        )}
        <Section title="How much readers changed its proposals" className="mt-4 text-sm">
          <EditStats modelName={model.name} edits={edits} />
        </Section>
      </article>
    </Card>
  );
}

/** What agreement between a proposal and the submitted label is, per what was compared. */
const METRICS: Record<string, { name: string; explained: string }> = {
  voxels: { name: 'Dice', explained: 'Dice of the voxels of each class, proposal vs submitted label.' },
  boxes: { name: 'Box F1', explained: 'F1 of the boxes: proposed and submitted boxes on the same image match at IoU ≥ 0.5 (the CSV has their mean IoU).' },
  answers: { name: 'Agreement', explained: 'Per choice: 100% when the reader kept what the model answered, 0% when they changed it.' },
};

/** Per class: agreement between each proposal and the label its reader submitted, as numbers and charts. */
function EditStats({ modelName, edits }: { modelName: string; edits: ClassEditStats[] }) {
  if (edits.length === 0) return <p className="text-xs text-slate-500">No submitted label has started from this model&apos;s proposals yet.</p>;
  const { name: metric, explained } = METRICS[edits[0]!.unit] ?? METRICS.voxels!;
  return (
    <div>
      <p className="mb-1 text-xs text-slate-500">{explained}</p>
      <table className="w-full text-left text-xs" aria-label="Edits per class">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-2 font-medium">Class</th>
            <th className="py-1 pr-2 font-medium">Labels</th>
            <th className="py-1 pr-2 font-medium">Mean {metric}</th>
            <th className="py-1 pr-2 font-medium">Median</th>
            <th className="py-1 pr-2 font-medium">{metric} distribution (0 → 1)</th>
            <th className="py-1 pr-2 font-medium">{metric} over time</th>
            <th className="py-1 font-medium">Mean time to submit</th>
          </tr>
        </thead>
        <tbody>
          {edits.map((e) => (
            <tr key={e.className} data-testid="edit-stats">
              <td className="py-1 pr-2">{e.className}</td>
              <td className="py-1 pr-2">{e.labels}</td>
              <td className="py-1 pr-2">{e.meanDice === null ? '–' : formatPercent(e.meanDice)}</td>
              <td className="py-1 pr-2">{e.medianDice === null ? '–' : formatPercent(e.medianDice)}</td>
              <td className="py-1 pr-2">
                <Histogram counts={e.histogram} label={`${e.className}: ${metric} of ${e.labels} labels, in tenths`} />
              </td>
              <td className="py-1 pr-2">
                <Trend points={e.trend.map((t) => t.dice)} label={`${e.className}: ${metric} of each label, oldest first`} />
              </td>
              <td className="py-1">{e.meanSecondsSpent === null ? '–' : `${Math.round(e.meanSecondsSpent / 60)} min`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <a href={`/api/models/${modelName}/edits?format=csv`} className="mt-2 inline-block text-xs text-brand-700 hover:underline dark:text-brand-500">
        Download every measurement (CSV)
      </a>
    </div>
  );
}

/** Dice of each label in submission order (0 at the bottom, 1 at the top). */
function Trend({ points, label }: { points: number[]; label: string }) {
  const width = 80;
  const x = (i: number) => (points.length === 1 ? width / 2 : (i * width) / (points.length - 1));
  return (
    <svg role="img" aria-label={`${label}: ${points.map((p) => p.toFixed(2)).join(', ')}`} width={width} height={20} className="text-sky-500">
      <polyline points={points.map((p, i) => `${x(i)},${19 - 18 * p}`).join(' ')} fill="none" stroke="currentColor" strokeWidth={1.5} />
      {points.length === 1 && <circle cx={x(0)} cy={19 - 18 * points[0]!} r={2} fill="currentColor" />}
    </svg>
  );
}

function Histogram({ counts, label }: { counts: number[]; label: string }) {
  const most = Math.max(1, ...counts);
  return (
    <svg role="img" aria-label={`${label}: ${counts.join(', ')}`} width={counts.length * 8} height={20} className="text-emerald-500">
      {counts.map((n, i) => (
        <rect key={i} x={i * 8} y={20 - (18 * n) / most} width={6} height={(18 * n) / most} fill="currentColor" />
      ))}
    </svg>
  );
}

function Section({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <section className={className}>
      <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      {children}
    </section>
  );
}

function GraphValues({ label, values }: { label: string; values: GraphValue[] }) {
  return (
    <ul className="font-mono text-xs">
      {values.map((v) => (
        <li key={v.name}>
          {label} <strong>{v.name}</strong> {v.type} [{v.shape.join(' × ')}]
        </li>
      ))}
    </ul>
  );
}

function processing(m: ModelManifest): ReactNode {
  const p = m.preprocessing;
  const mode = p.mode.kind === 'slice2d' ? `2D slices, ${p.mode.batch} per batch` : `3D patches, ${Math.round(p.mode.overlap * 100)}% overlap`;
  const normalize = p.normalize.kind === 'none' ? 'no normalization' : p.normalize.kind === 'zscore' ? `z-score (${p.normalize.mean} ± ${p.normalize.std})` : 'min–max';
  return (
    <ul className="space-y-0.5 text-xs">
      <li>
        Input {m.input.layout} {m.input.size.join(' × ')}
        {m.input.spacing ? ` at ${m.input.spacing.join(' × ')} mm` : ''}, {m.input.channels} channel{m.input.channels > 1 ? 's' : ''}, {p.resample} resampling
      </li>
      <li>
        {p.values === 'hu' ? 'Hounsfield units' : 'stored values'}
        {p.clip ? ` clipped to [${p.clip[0]}, ${p.clip[1]}]` : ''}, {normalize}
      </li>
      <li>{mode}</li>
      <li>{output(m)}</li>
    </ul>
  );
}

/** How the output is read, in a line. */
function output(m: ModelManifest): string {
  const post = m.postprocessing;
  const { boxes } = m.output;
  if (boxes) {
    const scores = boxes.scores === 'score-class' ? 'score and class' : 'a score per class';
    const nms = post.nms ? `NMS at IoU ${post.nms.iou}, score ≥ ${post.nms.score}` : `score ≥ ${post.threshold}, no NMS`;
    return `Output boxes: ${boxes.format} in ${boxes.coordinates} with ${scores} (${boxes.layout}); ${nms}; at most ${post.maxDetections} per slice`;
  }
  if (m.output.kind === 'class-scores') {
    const activation = post.activation === 'none' ? 'probabilities as given' : post.activation === 'sigmoid' ? `sigmoid ≥ ${post.threshold}` : 'softmax';
    return `Output class scores: ${activation}; a series takes their ${post.seriesAggregate} over its slices`;
  }
  const threshold = post.activation === 'sigmoid' ? ` > ${post.threshold}` : '';
  const components = post.minComponentVoxels ? `, components under ${post.minComponentVoxels} voxels dropped` : '';
  return `Output ${m.output.kind}: ${post.activation}${threshold}${components}`;
}
