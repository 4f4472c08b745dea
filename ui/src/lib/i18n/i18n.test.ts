import { describe, expect, test } from 'vitest';
import { dictionaries, fmt, plural, type Plural } from './index.svelte';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  const en = leaves(dictionaries.en as unknown as Tree);
  const sr = leaves(dictionaries['sr-Latn'] as unknown as Tree);

  test('Serbian has exactly the English keys', () => {
    expect([...sr.keys()].sort()).toEqual([...en.keys()].sort());
  });

  test('every string is non-empty and keeps the same placeholders', () => {
    for (const [key, text] of en) {
      const other = sr.get(key) ?? '';
      expect(text.trim(), key).not.toBe('');
      expect(other.trim(), key).not.toBe('');
      expect(placeholders(other), key).toEqual(placeholders(text));
    }
  });

  test('Serbian is actually translated, not copied from English', () => {
    // Names, units and format labels are legitimately the same in both.
    const same = [...en].filter(([key, text]) => sr.get(key) === text).map(([key]) => key);
    const allowed = /^(app\.name|languages\.|units\.|detail\.format$|detail\.customerSentiment|detail\.chartPoint|detail\.longestMonologueValue|settings\.modelRow|calls\.segments\.one|team\.noValue$|team\.hitMeta$)/;
    expect(same.filter((key) => !allowed.test(key))).toEqual([]);
  });

  test('Serbian strings are in Latin script', () => {
    for (const [key, text] of sr) expect(/[\u0400-\u04FF]/.test(text), key).toBe(false);
  });
});

describe('fmt and plural', () => {
  test('fills placeholders and leaves unknown ones visible', () => {
    expect(fmt('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  test('Serbian plural forms follow one/few/other', () => {
    const forms: Plural = dictionaries['sr-Latn'].calls.count;
    const said = [1, 2, 4, 5, 11, 12, 21, 22, 25, 101].map((n) => plural(forms, n, 'sr-Latn'));
    expect(said).toEqual([
      '1 poziv',
      '2 poziva',
      '4 poziva',
      '5 poziva',
      '11 poziva',
      '12 poziva',
      '21 poziv',
      '22 poziva',
      '25 poziva',
      '101 poziv',
    ]);
  });

  test('English uses one/other', () => {
    expect(plural(dictionaries.en.calls.count, 1, 'en')).toBe('1 call');
    expect(plural(dictionaries.en.calls.count, 0, 'en')).toBe('0 calls');
    expect(plural(dictionaries.en.calls.count, 3, 'en')).toBe('3 calls');
  });
});
