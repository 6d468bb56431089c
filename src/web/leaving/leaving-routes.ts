import { Router } from 'express';
import { chooseLanguage } from '../messages/choose-language.ts';
import { LEAVING_PATH } from './leaving-path.ts';
import { renderLeavingPage } from './leaving-page.ts';
import type { PageBrand } from '../branding/page-brand.ts';

/** GET /leaving?to=...: the page a vendor's Location outside its own space is sent to. */
export function createLeavingRoutes(brand?: PageBrand): Router {
  const router = Router();
  router.get(LEAVING_PATH, (req, res) => {
    res.type('html').send(renderLeavingPage({ m: chooseLanguage(req), to: req.query['to'], ...(brand ? { brand } : {}) }));
  });
  return router;
}
