// The file waiting for the user's consent confirmation before it is imported: picked with the
// Import button, or dropped onto the window (the shell announces drops as zapis://import-dropped).
import { onEvent, type PendingImport } from '../api';

let queue = $state<PendingImport[]>([]);

export const imports = {
  /** The file the import dialog is asking about, if any. */
  get current(): PendingImport | null {
    return queue[0] ?? null;
  },
  offer(files: PendingImport[]): void {
    queue = [...queue, ...files];
  },
  /** Done with the current file (imported or cancelled); the next dropped one comes up. */
  next(): void {
    queue = queue.slice(1);
  },
};

export function startImportEvents(): Promise<() => void> {
  return onEvent('zapis://import-dropped', (files) => imports.offer(files));
}
