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
    const sibling = report.dimensions.findIndex((other, i) => i < index && other.from === dimension.from && !declaredWithin(report.dimensions, index, i));
    if (sibling >= 0) {
      problems.push({
        file,
        path: `${path}.from`,
        message: `report.dimensions[${sibling}] already comes from ${dimension.from}: two dimensions from one source nest (a month lies within one quarter), so their margins pin cells unless they are declared a hierarchy`,
        fix:
          dimension.from === 'date'
            ? `declare the hierarchy on the finer one (within: the coarser dimension's name, such as within: quarter on the month), or keep one dimension from date`
            : `keep one dimension from ${dimension.from} (the finer one), or report the other in a separate report`,
      });
    }
    if (dimension.within !== undefined) problems.push(...checkWithin(file, path, report.dimensions, index));
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
        ...(dimension.within !== undefined ? { within: dimension.within } : {}),
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

type DimensionDocument = ReportDocument['dimensions'][number];

/** How coarse each date generalization is: a finer one lies within a coarser one. */
const DATE_RANK: Readonly<Record<string, number>> = { month: 0, quarter: 1, year: 2 };

/** Whether dimension a lies within b, or b within a, through declared `within` links (month within quarter within year). */
function declaredWithin(dimensions: ReadonlyArray<DimensionDocument>, a: number, b: number): boolean {
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    let at: number = from;
    while (!seen.has(at)) {
      seen.add(at);
      const within = dimensions[at]?.within;
      if (within === undefined) return false;
      const next = dimensions.findIndex((d) => d.name === within);
      if (next < 0) return false;
      if (next === to) return true;
      at = next;
    }
    return false;
  };
  return reaches(a, b) || reaches(b, a);
}

/** `within` must name another dimension from the same source (date) that is strictly coarser. */
function checkWithin(file: string, path: string, dimensions: ReadonlyArray<DimensionDocument>, index: number): Problem[] {
  const dimension = dimensions[index] as DimensionDocument;
  const at = `${path}.within`;
  if (dimension.from !== 'date') {
    return [{ file, path: at, message: `"within" only applies to dimensions from date (a hierarchy of ${dimension.from} is not known)`, fix: 'remove "within", or use it on a month (within: quarter or year) or a quarter (within: year)' }];
  }
  const coarser = dimensions.find((d) => d.name === dimension.within);
  const choices = dimensions.filter((d) => d.from === 'date' && (DATE_RANK[d.generalize] ?? -1) > (DATE_RANK[dimension.generalize] ?? 3)).map((d) => d.name);
  const fix = choices.length > 0 ? `use ${listChoices(choices)}` : 'add the coarser dimension from date (quarter or year), or remove "within"';
  if (!coarser) return [{ file, path: at, message: `no dimension of this report is named "${dimension.within ?? ''}"`, fix }];
  if (coarser.from !== 'date' || (DATE_RANK[coarser.generalize] ?? -1) <= (DATE_RANK[dimension.generalize] ?? 3)) {
    return [{ file, path: at, message: `"${coarser.name}" (${coarser.from}: ${coarser.generalize}) is not a coarser period than this ${dimension.generalize}`, fix }];
  }
  return [];
}
