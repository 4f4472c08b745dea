import { en, type Messages } from './en';
import { srLatn } from './sr-Latn';

export type Locale = 'en' | 'sr-Latn';
export type Plural = { one: string; few: string; other: string };

export const LOCALES: readonly Locale[] = ['en', 'sr-Latn'];
export const dictionaries: Record<Locale, Messages> = { en, 'sr-Latn': srLatn };

/** BCP 47 tags for Intl: Serbian Latin must say so, or dates come out in Cyrillic. */
export const intlTag: Record<Locale, string> = { en: 'en-GB', 'sr-Latn': 'sr-Latn-RS' };

let current = $state<Locale>('en');

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'sr-Latn';
}

export const i18n = {
  get locale(): Locale {
    return current;
  },
  set locale(next: Locale) {
    current = next;
    if (typeof document !== 'undefined') document.documentElement.lang = next;
  },
  /** The current dictionary; reading it inside a template re-renders on a language switch. */
  get m(): Messages {
    return dictionaries[current];
  },
};

/** Fills {placeholders}; a placeholder without a value stays visible so the gap is noticed. */
export function fmt(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

const rules = new Map<Locale, Intl.PluralRules>();

export function plural(forms: Plural, n: number, locale: Locale = current): string {
  let rule = rules.get(locale);
  if (!rule) {
    rule = new Intl.PluralRules(intlTag[locale]);
    rules.set(locale, rule);
  }
  const category = rule.select(n);
  const template = category === 'one' ? forms.one : category === 'few' ? forms.few : forms.other;
  return fmt(template, { n });
}
