export type MemberOption = { id: string; name: string; email: string };

/** Checkboxes of radiologists for one project role. */
export function MemberPicker({
  legend,
  help,
  options,
  value,
  onChange,
}: {
  legend: string;
  help: string;
  options: MemberOption[];
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset>
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <p className="mb-2 text-xs text-slate-500">{help}</p>
      {options.length === 0 ? (
        <p className="text-sm text-slate-500">No active radiologists yet: an admin adds them under Admin → Users.</p>
      ) : (
        <div className="grid gap-1 sm:grid-cols-2">
          {options.map((o) => (
            <label key={o.id} className="flex cursor-pointer items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={value.includes(o.id)}
                onChange={(e) => onChange(e.target.checked ? [...value, o.id] : value.filter((id) => id !== o.id))}
                className="h-4 w-4 accent-brand-600"
              />
              <span>
                {o.name} <span className="text-xs text-slate-500">{o.email}</span>
              </span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
