#!/usr/bin/env node
// The `gateway` command (package.json "bin"). Loads the TypeScript sources through tsx, so the
// command works from a checkout and from the Docker image without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./run-cli.ts');
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  now: () => new Date(),
  readStdin: async () => {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  },
});
