import type { Settings } from '../../settings/load-settings.ts';
import { NO_LABELS, type ValueLabels } from '../labels/plain-values.ts';

/** What every patron page takes from the settings: the library's branding (when set), whether a logo and favicon are served, and the labels for plain values. */
export interface PageBrand {
  readonly branding?: NonNullable<Settings['branding']>;
  readonly logo: boolean;
  readonly favicon: boolean;
  readonly labels: ValueLabels;
}

/** No branding: the pages of a gateway without `branding` (refused in production), and of staff pages that pass none. */
export const NO_BRAND: PageBrand = Object.freeze({ logo: false, favicon: false, labels: NO_LABELS });

/** The page brand from the settings and the images boot() read. */
export function createPageBrand(settings: Pick<Settings, 'branding' | 'labels'>, images: { readonly logo?: unknown; readonly favicon?: unknown }): PageBrand {
  return Object.freeze({
    ...(settings.branding ? { branding: settings.branding } : {}),
    logo: images.logo !== undefined,
    favicon: images.favicon !== undefined,
    labels: settings.labels,
  });
}
