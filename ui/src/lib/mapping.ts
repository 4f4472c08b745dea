// Parses the "column=field" lines of the CSV import form.

export type MappingResult =
  | { ok: true; mapping: Record<string, string> | undefined }
  | { ok: false; line: number };

export function parseMapping(text: string): MappingResult {
  const mapping: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    // Split on the last "=" so CSV column names may themselves contain "=".
    const at = line.lastIndexOf('=');
    const column = line.slice(0, at).trim();
    const field = line.slice(at + 1).trim();
    if (at < 0 || column === '' || field === '') return { ok: false, line: i + 1 };
    mapping[column] = field;
  }
  return { ok: true, mapping: Object.keys(mapping).length > 0 ? mapping : undefined };
}
