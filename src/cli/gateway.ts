#!/usr/bin/env node
// The `gateway` command (package.json "bin"). Node 24 strips the types itself, so the command
// runs from a checkout and from the Docker image without a build step.
import { runCli } from './run-cli.ts';

// A reader that stops early (`gateway report ... | head`) closes the pipe: stop quietly, as Unix
// tools do, instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  now: () => new Date(),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
});
