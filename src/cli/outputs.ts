/**
 * The output files of one command, all or none: every path is checked when the command starts
 * (before reading data or fitting: its directory exists and is writable, it is not a directory,
 * no two outputs share it), the contents are staged in temporary files beside their targets,
 * and only when every one is staged are they renamed into place (rename is atomic within a
 * directory). A failure part-way removes the staged files and restores any target already
 * replaced, so a failed command leaves the file system as it found it.
 */
import { accessSync, constants, copyFileSync, linkSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Matrix } from '../runtime/matrix.js';
import { DataError, UsageError } from './errors.js';
import { jsonText, labelsText, matrixBytes } from './write.js';

interface Planned {
  flag: string;
  path: string;
  content?: string | Uint8Array;
}

/** Why a path cannot be written, or null when it can. */
function unwritable(path: string): string | null {
  const dir = dirname(path);
  let st;
  try {
    st = statSync(dir);
  } catch {
    return `its directory ${dir} does not exist`;
  }
  if (!st.isDirectory()) return `${dir} is not a directory`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `its directory ${dir} is not writable (permission denied)`;
  }
  try {
    const target = statSync(path);
    if (target.isDirectory()) return 'it is a directory';
    accessSync(path, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return 'the file exists and is not writable (permission denied)';
    // ENOENT: a new file in a writable directory.
  }
  return null;
}

/** The outputs of one command. */
export class Outputs {
  private readonly planned: Planned[] = [];

  /**
   * Declares an output given by `flag` (e.g. '--labels'); checks its path now. Returns the path,
   * or undefined when the option was not given. '-' is stdout.
   * @throws DataError when the path cannot be written; UsageError when two outputs share a path
   */
  add(flag: string, path: string | undefined): string | undefined {
    if (path === undefined) return undefined;
    if (path === '') throw new UsageError(`${flag} needs a file name; got an empty string`);
    const twin = this.planned.find((p) => (p.path === '-' || path === '-') ? p.path === path : resolve(p.path) === resolve(path));
    if (twin) throw new UsageError(`${twin.flag} and ${flag} both write ${path === '-' ? 'to stdout' : path}; give each output its own file`);
    if (path !== '-') {
      const why = unwritable(path);
      if (why) throw new DataError(`cannot write ${path} (${flag}): ${why}`);
    }
    this.planned.push({ flag, path });
    return path;
  }

  private slot(path: string): Planned {
    const p = this.planned.find((q) => q.path === path);
    if (!p) throw new Error(`output ${path} was not declared`);
    return p;
  }

  /** Sets the content of a declared output (written by commit). */
  text(path: string, content: string | Uint8Array): void {
    this.slot(path).content = content;
  }

  /** A matrix in the format its extension names (.npy, .json, .tsv, else CSV). */
  matrix(path: string, m: Matrix): void {
    this.text(path, matrixBytes(path, m));
  }

  /** Integer labels, one per line (a JSON array for .json). */
  labels(path: string, labels: ArrayLike<number>): void {
    this.text(path, labelsText(path, labels));
  }

  /** A value as pretty JSON. */
  json(path: string, value: unknown): void {
    this.text(path, jsonText(value));
  }

  /** The declared files (not stdout) that have content, in declaration order. */
  get files(): string[] {
    return this.planned.filter((p) => p.path !== '-' && p.content !== undefined).map((p) => p.path);
  }

  /**
   * Writes every output that has content, all or none: staged to temporary files, then renamed
   * into place; stdout last, once the files are in place.
   * @throws DataError naming the file that could not be written (nothing is left changed)
   */
  commit(): void {
    const files = this.planned.filter((p) => p.path !== '-' && p.content !== undefined);
    const staged: { path: string; tmp: string; backup: string | null }[] = [];
    const suffix = `${process.pid}.${Math.random().toString(36).slice(2)}`;
    try {
      for (const f of files) {
        const tmp = join(dirname(f.path), `.${basename(f.path)}.${suffix}.tmp`);
        staged.push({ path: f.path, tmp, backup: null });
        writeFileSync(tmp, f.content as string | Uint8Array);
      }
    } catch (e) {
      for (const s of staged) tryUnlink(s.tmp);
      throw new DataError(`cannot write ${staged[staged.length - 1].path}: ${reason(e)}; no output was written`);
    }
    let done = 0;
    try {
      for (const s of staged) {
        s.backup = backupOf(s.path, suffix);
        renameSync(s.tmp, s.path);
        done++;
      }
    } catch (e) {
      // Undo: put back what the renamed outputs replaced, drop what they created.
      for (let i = 0; i < done; i++) {
        const s = staged[i];
        if (s.backup) renameSync(s.backup, s.path);
        else tryUnlink(s.path);
      }
      for (const s of staged) { tryUnlink(s.tmp); if (s.backup) tryUnlink(s.backup); }
      throw new DataError(`cannot write ${staged[done].path}: ${reason(e)}; no output was written`);
    }
    for (const s of staged) if (s.backup) tryUnlink(s.backup);
    for (const p of this.planned) if (p.path === '-' && p.content !== undefined) process.stdout.write(p.content);
  }
}

/** A hard link (or copy) of an existing target, so that a failed commit can restore it; null for a new file. */
function backupOf(path: string, suffix: string): string | null {
  try {
    statSync(path);
  } catch {
    return null;
  }
  const backup = join(dirname(path), `.${basename(path)}.${suffix}.bak`);
  try {
    linkSync(path, backup);
  } catch {
    copyFileSync(path, backup);
  }
  return backup;
}

function tryUnlink(path: string): void {
  try { unlinkSync(path); } catch { /* already gone */ }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a directory' : code === 'ENOSPC' ? 'no space left on the device' : String((e as Error).message);
}
