// Lead CSV files: rows with their line numbers (a row the parser cannot read is reported with its line, never
// stopping the rest), and a row's values by the column mapping.
import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../domain/errors.ts';
import type { ColumnMapping, LeadField } from '../../domain/lead-import.ts';

type CsvRow = { line: number; values: string[] } | { line: number; error: string };

/**
 * A CSV file's rows with the line each starts on. A row the parser cannot read is returned as an error with its
 * line, and parsing resumes on the next line — an unclosed quote costs that row, never the rest of the file.
 */
export function parseLeadCsv(text: string): { headers: string[]; rows: CsvRow[] } {
  const options = { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true } as const;
  const [header] = parse(text, { ...options, to_line: 1 }) as string[][];
  if (!header || header.length === 0) throw new ValidationError('The file is empty: no header row');
  // Where each line starts: a bad row is cut off by parsing again from the next line's first character.
  const lineStarts = [0];
  for (const match of text.matchAll(/\r\n|\n|\r/g)) lineStarts.push(match.index + match[0].length);
  const rows: CsvRow[] = [];
  let fromLine = 2;
  while (fromLine <= lineStarts.length && lineStarts[fromLine - 1]! < text.length) {
    const base = fromLine - 1;
    let previousEnd = base;
    try {
      parse(text.slice(lineStarts[fromLine - 1]), {
        ...options,
        on_record: (record: string[], context: { lines: number }) => {
          rows.push({ line: previousEnd + 1, values: record });
          previousEnd = base + context.lines;
          return record;
        },
      });
      break;
    } catch (err) {
      // The row that cannot be read fails (an unclosed quote would otherwise run to the end of the file), and
      // parsing starts afresh on the next line.
      const line = previousEnd + 1;
      rows.push({ line, error: `unreadable CSV: ${(err as Error).message.replace(/ at line \d+$/, '')} (the row starting on this line)` });
      fromLine = line + 1;
    }
  }
  return { headers: header, rows };
}

export function rowToRaw(headers: string[], values: string[], mapping: ColumnMapping): Partial<Record<LeadField, string>> {
  const raw: Partial<Record<LeadField, string>> = {};
  headers.forEach((header, i) => {
    const field = mapping[header];
    const value = values[i]?.trim();
    if (field && value && !raw[field]) raw[field] = value;
  });
  return raw;
}

