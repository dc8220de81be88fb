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

/** Per class: Dice between each proposal and the label its reader submitted, as numbers and a histogram. */
function EditStats({ modelName, edits }: { modelName: string; edits: ClassEditStats[] }) {
  if (edits.length === 0) return <p className="text-xs text-slate-500">No submitted label has started from this model&apos;s proposals yet.</p>;
  return (
    <div>
      <table className="w-full text-left text-xs" aria-label="Edits per class">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-2 font-medium">Class</th>
            <th className="py-1 pr-2 font-medium">Labels</th>
            <th className="py-1 pr-2 font-medium">Mean Dice</th>
            <th className="py-1 pr-2 font-medium">Median</th>
            <th className="py-1 pr-2 font-medium">Dice distribution (0 → 1)</th>
            <th className="py-1 pr-2 font-medium">Dice over time</th>
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
                <Histogram counts={e.histogram} label={`${e.className}: Dice of ${e.labels} labels, in tenths`} />
              </td>
              <td className="py-1 pr-2">
                <Trend points={e.trend.map((t) => t.dice)} label={`${e.className}: Dice of each label, oldest first`} />
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
      <li>
        Output {m.output.kind}: {m.postprocessing.activation}
        {m.postprocessing.activation === 'sigmoid' ? ` > ${m.postprocessing.threshold}` : ''}
        {m.postprocessing.minComponentVoxels ? `, components under ${m.postprocessing.minComponentVoxels} voxels dropped` : ''}
      </li>
    </ul>
  );
}
