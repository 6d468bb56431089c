import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Problem } from '../lib/problem.ts';

/** A branding image as the gateway serves it. */
export interface BrandImage {
  readonly body: Buffer;
  readonly type: string;
}

/** The logo and favicon files, read once at startup. */
export interface BrandImages {
  readonly logo?: BrandImage;
  readonly favicon?: BrandImage;
}

export const MAX_BRAND_IMAGE_BYTES = 256 * 1024;

const TYPES: Readonly<Record<string, string>> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Reads branding.logo and branding.favicon (absolute paths); every problem (unreadable, wrong kind, too large, not what its name says) at once. */
export async function readBrandingFiles(file: string, paths: { readonly logo?: string; readonly favicon?: string }): Promise<{ images: BrandImages; problems: Problem[] }> {
  const problems: Problem[] = [];
  const images: { logo?: BrandImage; favicon?: BrandImage } = {};
  for (const key of ['logo', 'favicon'] as const) {
    const path = paths[key];
    if (path === undefined) continue;
    const allowed = key === 'logo' ? ['.svg', '.png'] : ['.svg', '.png', '.ico'];
    const where = { file, path: `branding.${key}` };
    const extension = extname(path).toLowerCase();
    if (!allowed.includes(extension)) {
      problems.push({ ...where, message: `is not ${allowed.join(' or ')} file`, fix: `give the path of ${allowed.join(' or ')} file, relative to the settings file` });
      continue;
    }
    let body: Buffer;
    try {
      body = await readAtMost(path, MAX_BRAND_IMAGE_BYTES + 1);
    } catch {
      problems.push({ ...where, message: 'the file cannot be read', fix: 'check the path (relative to the settings file) and that the gateway may read it' });
      continue;
    }
    if (body.length > MAX_BRAND_IMAGE_BYTES) {
      problems.push({ ...where, message: `the file is larger than ${MAX_BRAND_IMAGE_BYTES / 1024} KiB`, fix: 'use a smaller image (an SVG logo is usually a few KiB)' });
      continue;
    }
    if (extension === '.svg' && !/<svg[\s>]/.test(body.toString('utf8'))) {
      problems.push({ ...where, message: 'the file is not an SVG image (no <svg> element)', fix: 'export the image as SVG, or use a .png file' });
      continue;
    }
    if (extension === '.png' && !body.subarray(0, 8).equals(PNG_SIGNATURE)) {
      problems.push({ ...where, message: 'the file is not a PNG image', fix: 'export the image as PNG, or use an .svg file' });
      continue;
    }
    images[key] = { body, type: TYPES[extension] as string };
  }
  return { images, problems };
}

async function readAtMost(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
