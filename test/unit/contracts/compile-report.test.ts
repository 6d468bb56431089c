import { describe, expect, it } from 'vitest';
import { compileContractText } from '../../../src/contracts/load-contracts.ts';
import { formatProblem } from '../../../src/lib/problem.ts';
import { contractYaml } from '../../helpers/contracts.ts';

const FILE = 'vendors/test-vendor.yaml';
const grant = (dimensions: string) => contractYaml({ kind: 'kind: grant', identity: '', fields: '', report: `report: { dimensions: [${dimensions}], measures: [participants] }` });
const MONTH = '{ name: month, from: date, generalize: month }';
const QUARTER = '{ name: quarter, from: date, generalize: quarter }';
const YEAR = '{ name: year, from: date, generalize: year }';

describe('report hierarchies (report.dimensions[i].within)', () => {
  it.each([
    ['a month within its quarter', `{ name: month, from: date, generalize: month, within: quarter }, ${QUARTER}`],
    ['the coarser one listed first', `${QUARTER}, { name: month, from: date, generalize: month, within: quarter }`],
    ['month within quarter within year (the month and the year nest through the quarter)', `{ name: month, from: date, generalize: month, within: quarter }, { name: quarter, from: date, generalize: quarter, within: year }, ${YEAR}`],
    ['a quarter within its year', `{ name: quarter, from: date, generalize: quarter, within: year }, ${YEAR}, { name: branch, from: branch, generalize: none }`],
  ])('accepts %s', (_why, dimensions) => {
    const result = compileContractText(FILE, grant(dimensions), { signingKeyConfigured: true });
    expect(result.problems.map(formatProblem)).toEqual([]);
    const declared = result.contract?.report?.dimensions.filter((d) => d.within !== undefined) ?? [];
    expect(declared.length).toBeGreaterThan(0);
    for (const d of declared) expect(result.contract?.report?.dimensions.map((e) => e.name)).toContain(d.within);
  });

  it.each([
    ['two dimensions from date without a declared hierarchy (still refused)', `${MONTH}, ${QUARTER}`, 'report.dimensions[1].from', /already comes from date.*unless they are declared a hierarchy/, /within: quarter on the month/],
    ['within naming no dimension of the report', `{ name: month, from: date, generalize: month, within: quater }, ${QUARTER}`, 'report.dimensions[0].within', /no dimension of this report is named "quater"/, /use "quarter"/],
    ['within naming a finer period', `${MONTH}, { name: quarter, from: date, generalize: quarter, within: month }`, 'report.dimensions[1].within', /"month" \(date: month\) is not a coarser period than this quarter/, /add the coarser dimension/],
    ['within on a dimension that is not from date', `{ name: branch, from: branch, generalize: none, within: program }, { name: program, from: program, generalize: none }`, 'report.dimensions[0].within', /only applies to dimensions from date/, /remove "within"/],
    ['within naming a dimension from another source', `{ name: month, from: date, generalize: month, within: branch }, { name: branch, from: branch, generalize: none }`, 'report.dimensions[0].within', /"branch" \(branch: none\) is not a coarser period/, /add the coarser dimension from date/],
    ['month and year beside a quarter that only the month declares', `{ name: month, from: date, generalize: month, within: quarter }, ${QUARTER}, ${YEAR}`, 'report.dimensions[2].from', /report.dimensions\[0\] already comes from date/, /within/],
  ])('refuses %s, naming the path and the fix', (_why, dimensions, path, message, fix) => {
    const result = compileContractText(FILE, grant(dimensions), { signingKeyConfigured: true });
    expect(result.contract).toBeUndefined();
    const match = result.problems.find((p) => p.path === path);
    expect(match, `no problem at ${path}; got ${result.problems.map(formatProblem).join(' | ')}`).toBeDefined();
    expect(match?.file).toBe(FILE);
    expect(match?.message).toMatch(message);
    expect(match?.fix).toMatch(fix);
  });
});
