import { describe, expect, it } from 'vitest';
import { parsePatronFile, PatronFileError } from '../../../src/patrons/file-patron-source.ts';
import { hashPin } from '../../../src/patrons/pin-hash.ts';
import { formatProblem } from '../../../src/lib/problem.ts';

const FAST = { N: 1024, r: 8, p: 1 };

describe('file patron source', () => {
  it('loads valid records, and skips malformed ones by index without printing their values', async () => {
    const text = [
      '- { patronId: p-1, barcode: "111", birthDate: "1990-01-01" }',
      '- { patronId: p-2, barcode: "222", email: CANARY-NOT-AN-EMAIL }',
      '- { barcode: "333", firstName: CANARY-NO-ID }',
      '- { patronId: p-4, barcode: "444", ssn: CANARY-SSN-123 }',
      '- { patronId: p-5, barcode: "555", birthDate: CANARY-DATE }',
      '- { patronId: p-1, barcode: "666" }',
      '- just a string CANARY-STRING',
      '- { patronId: p-8, barcode: "888" }',
    ].join('\n');
    const loaded = parsePatronFile('patrons.yaml', text);
    expect(loaded.count).toBe(2);
    expect(loaded.skipped.map((p) => p.path)).toEqual(['[1]', '[2]', '[3]', '[4]', '[5]', '[6]']);
    const printed = loaded.skipped.map(formatProblem).join('\n');
    expect(printed).not.toMatch(/CANARY/);
    expect(printed).toMatch(/patron record 3 skipped: ssn unknown key "ssn"/);
    expect(printed).toMatch(/patron record 5 skipped: its patronId or barcode is already used/);
    expect(await loaded.source.findById('p-8')).toMatchObject({ barcode: '888' });
    expect(await loaded.source.findByBarcode(' 111 ')).toMatchObject({ patronId: 'p-1' });
  });

  it('never exposes the PIN hash in a patron record', async () => {
    const hash = await hashPin('2468', FAST);
    const loaded = parsePatronFile('patrons.yaml', `- { patronId: p-1, barcode: "111", pinHash: '${hash}' }`);
    expect(JSON.stringify(await loaded.source.findById('p-1'))).not.toContain('scrypt');
  });

  it('authenticates a barcode and PIN, and refuses a wrong PIN, an unknown barcode and a patron without a PIN', async () => {
    const hash = await hashPin('2468', FAST);
    const loaded = parsePatronFile('patrons.yaml', `- { patronId: p-1, barcode: "111", pinHash: '${hash}' }\n- { patronId: p-2, barcode: "222" }`);
    expect((await loaded.source.authenticate('111', '2468'))?.patronId).toBe('p-1');
    expect(await loaded.source.authenticate('111', '2469')).toBeUndefined();
    expect(await loaded.source.authenticate('999', '2468')).toBeUndefined();
    expect(await loaded.source.authenticate('222', '')).toBeUndefined();
  });

  it.each([
    ['a mapping that is not a patron', 'name: x\n', /not a list of patrons/],
    ['broken YAML', '- { patronId: [\n', /not valid YAML/],
  ])('refuses %s as a whole', (_name, text, message) => {
    try {
      parsePatronFile('patrons.yaml', text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PatronFileError);
      expect((error as PatronFileError).problems[0]?.message).toMatch(message);
    }
  });

  it('treats an empty file as no patrons', () => {
    expect(parsePatronFile('patrons.yaml', '').count).toBe(0);
  });

  it('loads every shipped demo patron', async () => {
    const { readFile } = await import('node:fs/promises');
    const loaded = parsePatronFile('config/demo-patrons.yaml', await readFile('config/demo-patrons.yaml', 'utf8'));
    expect(loaded.skipped).toEqual([]);
    expect(loaded.count).toBe(10);
  });
});
