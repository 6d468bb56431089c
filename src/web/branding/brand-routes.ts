import { Router } from 'express';
import type { BrandImages } from '../../settings/read-branding-files.ts';

/** GET /branding/logo and /branding/favicon: the library's images, read at startup. 404 when not configured. */
export function createBrandRoutes(images: BrandImages): Router {
  const router = Router();
  for (const key of ['logo', 'favicon'] as const) {
    const image = images[key];
    if (image === undefined) continue;
    router.get(`/branding/${key}`, (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      // An SVG opened on its own is a document: it may run nothing and load nothing.
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      res.type(image.type).send(image.body);
    });
  }
  return router;
}
