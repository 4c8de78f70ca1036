import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../store/files.js';

/**
 * Where a connector instance keeps its delta-import watermark across restarts:
 * `<stateDir>/<name>.watermark.json`. Without a state directory nothing is kept and every start
 * begins with a full import.
 */
export class WatermarkFile {
  readonly #file: string | undefined;

  constructor(stateDir: string | undefined, connector: string) {
    this.#file = stateDir === undefined ? undefined : path.join(stateDir, `${encodeURIComponent(connector)}.watermark.json`);
  }

  /** The kept watermark; undefined when none is kept or the file is unreadable (a full import follows). */
  async read(): Promise<string | undefined> {
    if (this.#file === undefined) return undefined;
    try {
      const data = JSON.parse(await readFile(this.#file, 'utf8')) as { watermark?: unknown };
      return typeof data.watermark === 'string' ? data.watermark : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Keeps `watermark` (none: the next start runs a full import), atomically: a crash mid-write
   * leaves the previous watermark, never a torn file. Rejects when the file cannot be written.
   */
  async write(watermark: string | undefined): Promise<void> {
    if (this.#file === undefined) return;
    await writeFileAtomic(this.#file, JSON.stringify({ watermark: watermark ?? null, at: new Date().toISOString() }));
  }
}
