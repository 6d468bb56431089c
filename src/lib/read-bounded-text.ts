import { open } from 'node:fs/promises';

const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a text file, but never more than `maxBytes + 1` bytes of it: a file over the limit comes
 * back cut just past it, so the caller's own size check refuses it, and a file with no end (a
 * device such as /dev/zero, a growing log) is not read until memory runs out. Throws as readFile
 * does when the file cannot be read.
 */
export async function readBoundedText(file: string, maxBytes: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const limit = maxBytes + 1;
    let total = 0;
    while (total < limit) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}
