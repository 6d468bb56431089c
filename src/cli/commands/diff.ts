import type { Command } from 'commander';
import { diffContracts, formatContractDiff } from '../../contracts/diff-contracts.ts';
import { compileContractText } from '../../contracts/load-contracts.ts';
import { formatProblem } from '../../lib/problem.ts';
import { SMALL_YAML_LIMITS } from '../../lib/parse-yaml-file.ts';
import { readBoundedText } from '../../lib/read-bounded-text.ts';
import type { CliIo } from '../cli-io.ts';

/** Exit codes of `gateway diff`: a library gates contract changes in review on them. */
export const DIFF_EXIT = { none: 0, narrower: 1, wider: 2, invalid: 3 } as const;

/**
 * `gateway diff OLD.yaml NEW.yaml [--json]`: what changes for patrons between two versions of a
 * contract. Exit 0 no change, 1 narrower, 2 wider (anything wider), 3 when a file is invalid.
 */
export function registerDiff(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('what changes for patrons between two versions of a contract (exit 0 none, 1 narrower, 2 wider, 3 invalid)')
    .argument('<old>', 'the contract as it is')
    .argument('<new>', 'the proposed contract')
    .option('--json', 'print JSON')
    .action(async (oldFile: string, newFile: string, options: { json?: boolean }) => {
      const compiled = [];
      for (const file of [oldFile, newFile]) {
        let text: string;
        try {
          text = await readBoundedText(file, SMALL_YAML_LIMITS.maxBytes);
        } catch {
          io.stderr(`diff: ${file} cannot be read`);
          setExit(DIFF_EXIT.invalid);
          return;
        }
        // The file name may differ between versions (old/new copies): take the id from the contract itself.
        const id = /^id:\s*([a-z0-9-]+)/m.exec(text)?.[1] ?? '';
        const result = compileContractText(`${id}.yaml`, text, { signingKeyConfigured: true });
        if (!result.contract) {
          for (const problem of result.problems) io.stderr(`error: ${formatProblem({ ...problem, file })}`);
          setExit(DIFF_EXIT.invalid);
          return;
        }
        compiled.push(result.contract);
      }
      const [before, after] = compiled;
      if (!before || !after) return;
      if (before.id !== after.id) {
        io.stderr(`diff: these are two different vendors (${before.id}, ${after.id})`);
        setExit(DIFF_EXIT.invalid);
        return;
      }
      const diff = diffContracts(before, after);
      io.stdout(options.json ? JSON.stringify(diff, null, 2) : formatContractDiff(diff));
      setExit(DIFF_EXIT[diff.overall]);
    });
}
