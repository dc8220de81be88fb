import type { Role } from '@/lib/auth/roles';

export type RoleOption = { role: Role; label: string; description: string };

/** One checkbox per role; a user may hold several. */
export function RoleCheckboxes({
  options,
  value,
  onChange,
  error,
}: {
  options: RoleOption[];
  value: Role[];
  onChange: (roles: Role[]) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium">Roles</legend>
      <div className="space-y-2">
        {options.map(({ role, label, description }) => (
          <label key={role} className="flex cursor-pointer items-start gap-3 text-sm">
            <input
              type="checkbox"
              name="roles"
              value={role}
              checked={value.includes(role)}
              onChange={(e) => onChange(e.target.checked ? [...value, role] : value.filter((r) => r !== role))}
              className="mt-0.5 h-4 w-4 accent-brand-600"
            />
            <span>
              <span className="font-medium">{label}</span>
              <span className="block text-xs text-slate-500 dark:text-slate-400">{description}</span>
            </span>
          </label>
        ))}
      </div>
      {error && <p className="mt-1 text-xs text-red-600 dark:text-red-400">{error}</p>}
    </fieldset>
  );
}
