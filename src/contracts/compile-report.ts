import { parseAgeBands, DEFAULT_AGE_BANDS } from '../policy/age-bands.ts';
import { listChoices, type Problem } from '../lib/problem.ts';
import type { CompiledDimension, CompiledReport } from './compiled-contract.ts';
import type { ReportDocument } from './contract-schema.ts';

/** Which generalizations each report input column accepts. */
const GENERALIZATIONS_FOR: Readonly<Record<CompiledDimension['from'], ReadonlyArray<CompiledDimension['generalize']>>> = {
  birthDate: ['ageBand', 'isMinor'],
  postalCode: ['postalCode3'],
  branch: ['none'],
  program: ['none'],
  date: ['month', 'quarter', 'year'],
};

/** Checks a grant's `report` section and compiles it; problems carry dotted paths under `report`. */
export function compileReport(file: string, report: ReportDocument): { report?: CompiledReport; problems: Problem[] } {
  const problems: Problem[] = [];
  const names = new Set<string>();
  const dimensions: CompiledDimension[] = [];
  report.dimensions.forEach((dimension, index) => {
    const path = `report.dimensions[${index}]`;
    if (names.has(dimension.name)) {
      problems.push({ file, path: `${path}.name`, message: `dimension name "${dimension.name}" is used twice`, fix: 'give each dimension its own name' });
    }
    names.add(dimension.name);
    const sibling = report.dimensions.findIndex((other) => other.from === dimension.from);
    if (sibling < index) {
      problems.push({
        file,
        path: `${path}.from`,
        message: `report.dimensions[${sibling}] already comes from ${dimension.from}: two dimensions from one source nest (a month lies within one quarter), so their margins pin cells`,
        fix: `keep one dimension from ${dimension.from} (the finer one, such as month), or report the coarser one in a separate report`,
      });
    }
    if (dimension.name.toLowerCase() === 'row') {
      problems.push({ file, path: `${path}.name`, message: '"row" is the report\'s own column (it tells cells from totals)', fix: 'give the dimension another name' });
    }
    const allowed = GENERALIZATIONS_FOR[dimension.from];
    if (!allowed.includes(dimension.generalize)) {
      problems.push({
        file,
        path: `${path}.generalize`,
        message: `${dimension.generalize} does not apply to ${dimension.from}`,
        fix: `use ${listChoices(allowed)} for ${dimension.from}`,
      });
    }
    if (dimension.bands !== undefined && dimension.generalize !== 'ageBand') {
      problems.push({ file, path: `${path}.bands`, message: '"bands" only applies to generalize: ageBand', fix: 'remove "bands"' });
    }
    const parsed = dimension.generalize === 'ageBand' ? parseAgeBands(dimension.bands ?? DEFAULT_AGE_BANDS) : undefined;
    if (parsed && 'error' in parsed) {
      problems.push({ file, path: `${path}.bands`, message: parsed.error, fix: 'write bands from 0 upwards without gaps, ending open, such as ["0-17", "18-64", "65+"]' });
    }
    dimensions.push(
      Object.freeze({
        name: dimension.name,
        from: dimension.from,
        generalize: dimension.generalize,
        ...(parsed && 'bands' in parsed ? { bands: Object.freeze(parsed.bands) } : {}),
        sensitive: dimension.sensitive ?? (dimension.generalize === 'ageBand' || dimension.generalize === 'isMinor'),
      }),
    );
  });
  const measures = [...new Set(report.measures)];
  if (measures.length !== report.measures.length) {
    problems.push({ file, path: 'report.measures', message: 'a measure is listed twice', fix: 'list each of "participants" and "attendances" at most once' });
  }
  if (report.noise && report.noise.maxCellsPerPerson > report.noise.maxAttendancesPerPerson) {
    problems.push({
      file,
      path: 'report.noise.maxCellsPerPerson',
      message: `a person cannot touch ${report.noise.maxCellsPerPerson} cells with at most ${report.noise.maxAttendancesPerPerson} attendances (each cell takes one)`,
      fix: `use at most ${report.noise.maxAttendancesPerPerson} (maxAttendancesPerPerson), or raise maxAttendancesPerPerson`,
    });
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    report: Object.freeze({
      dimensions: Object.freeze(dimensions),
      measures: Object.freeze(measures),
      minCellSize: report.minCellSize,
      totals: report.totals,
      protection: Object.freeze({ ...report.protection }),
      suppressionCost: report.suppressionCost,
      ...(report.period ? { period: report.period } : {}),
      ...(report.noise ? { noise: Object.freeze({ ...report.noise }) } : {}),
    }),
  };
}
