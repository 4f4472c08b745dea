import { afterEach, describe, expect, test } from 'vitest';
import { errorText } from './api';
import { i18n } from './i18n/index.svelte';

describe('errors from the Rust side', () => {
  afterEach(() => {
    i18n.locale = 'en';
  });

  const declined = {
    code: 'consent.declined',
    message: 'Ana did not agree, so nothing is recorded',
    details: { names: 'Ana' },
  };

  test('a known code is shown in the UI language, with its details filled in', () => {
    expect(errorText(declined)).toBe('Ana did not agree, so nothing is recorded.');
    i18n.locale = 'sr-Latn';
    expect(errorText(declined)).toBe('Ana nije pristao/la, pa se ništa ne snima.');
  });

  test('the core message fills {message} for codes whose cause is specific', () => {
    i18n.locale = 'sr-Latn';
    const text = errorText({ code: 'storage.failed', message: 'disk I/O error', details: {} });
    expect(text).toBe('Biblioteka poziva ne može da se pročita ili upiše: disk I/O error');
  });

  test('an unknown code falls back to the core message; plain strings pass through', () => {
    expect(errorText({ code: 'failed', message: 'the dialog could not open', details: {} })).toBe(
      'the dialog could not open',
    );
    expect(errorText('database is locked')).toBe('database is locked');
  });
});
