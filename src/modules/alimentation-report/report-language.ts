import type { Locale } from './rules';

/**
 * The report's language from Accept-Language: French when French is preferred to English
 * (`fr`, `fr-FR`, `fr;q=0.9, en;q=0.5`...), English otherwise and by default.
 */
export function languageOf(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'en';
  let best: { locale: Locale; quality: number } | undefined;
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...parameters] = part.trim().toLowerCase().split(';');
    const qualityParameter = parameters
      .map((parameter) => parameter.trim())
      .find((parameter) => parameter.startsWith('q='));
    const quality = qualityParameter ? Number(qualityParameter.slice(2)) : 1;
    const locale: Locale | undefined =
      tag === 'fr' || tag.startsWith('fr-') ? 'fr' : tag === 'en' || tag.startsWith('en-') ? 'en' : undefined;
    if (locale && Number.isFinite(quality) && quality > 0 && (best === undefined || quality > best.quality))
      best = { locale, quality };
  }
  return best?.locale ?? 'en';
}
