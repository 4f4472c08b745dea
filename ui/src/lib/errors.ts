// Errors from the Rust side, shown in the UI's language.
import { fmt, i18n } from './i18n/index.svelte';
import type { CommandError } from './bindings';

// How a Rust command rejects (`CommandError`, generated): a stable code, the core's English
// message, and the values a translation fills in.

export function isCommandError(error: unknown): error is CommandError {
  return (
    !!error &&
    typeof error === 'object' &&
    typeof (error as CommandError).code === 'string' &&
    typeof (error as CommandError).message === 'string'
  );
}

/** The sentence to show for an error, in the UI's language when its code is in the catalogue;
 *  otherwise the core's own message. Anything that is not a command error is shown verbatim. */
export function errorText(error: unknown): string {
  if (isCommandError(error)) {
    const template = (i18n.m.errors as Record<string, string>)[error.code];
    if (template) return fmt(template, { message: error.message, ...(error.details ?? {}) });
    return error.message;
  }
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}
