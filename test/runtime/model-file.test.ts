// Saved models: every fromJSON reads today's files (the fixtures in test/fixtures/models/, kept
// so that later format versions prove they still load them) and refuses a tampered file with a
// ModelFileError that names the field, never a model that answers wrongly or a raw TypeError.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BayesianGaussianMixture, BinarySparseCoding, BscEncoder, GaussianMixture, LISTA, ModelFileError, SparseCoder, ValueError,
} from '../../src/index.js';

type Json = Record<string, unknown>;
interface Fixture { model: Json; probe: number[][]; answers: Record<string, number[]> }

const DIR = new URL('../fixtures/models/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const fixture = (f: string): Fixture => JSON.parse(readFileSync(new URL(f, DIR), 'utf-8')) as Fixture;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** fromJSON by kind, and what the loaded model answers on the probe rows. */
function load(json: unknown, kind = (json as Json).kind): { answer: (probe: number[][]) => Record<string, number[]> } {
  if (kind === 'GaussianMixture' || kind === 'BayesianGaussianMixture') {
    const m = kind === 'GaussianMixture' ? GaussianMixture.fromJSON(json as never) : BayesianGaussianMixture.fromJSON(json as never);
    return { answer: (p) => ({ scoreSamples: Array.from(m.scoreSamples(p)), predict: Array.from(m.predict(p)) }) };
  }
  if (kind === 'LISTA') {
    const l = LISTA.fromJSON(json as never);
    return { answer: (p) => ({ transform: Array.from(l.transform(p).data) }) };
  }
  if (kind === 'BscEncoder') {
    const e = BscEncoder.fromJSON(json as never);
    return { answer: (p) => {
      const { hHat, elbo } = e.model.infer(p, { init: e });
      return { predict: Array.from(e.predict(p).data), hHat: Array.from(hHat.data), elbo: Array.from(elbo) };
    } };
  }
  if (kind === 'SparseCoder') {
    const c = SparseCoder.fromJSON(json as never);
    return { answer: (p) => ({ transform: Array.from(c.transform(p).data) }) };
  }
  const b = BinarySparseCoding.fromJSON(json as never);
  return { answer: (p) => ({ hHat: Array.from(b.infer(p).hHat.data), elbo: Array.from(b.infer(p).elbo) }) };
}

/**
 * What toJSON writes today for a saved model: version-1 mixtures gain version 2's options at their
 * defaults; a version-1 BscEncoder's shared coupling becomes one copy per layer 2..T, and a
 * version-1 or -2 BscEncoder gains version 3's schedule, 'parallel' (the layers those versions had).
 */
function upgraded(model: Json): Json {
  if (model.kind === 'BscEncoder' && model.version === 1) {
    const { coupling, ...rest } = model as Json & { coupling: { data: number[] }; nLayers: number };
    return { ...rest, version: 3, schedule: 'parallel', couplings: Array.from({ length: (model.nLayers as number) - 1 }, () => coupling.data).flat() };
  }
  if (model.kind === 'BscEncoder' && model.version === 2) return { ...model, version: 3, schedule: 'parallel' };
  const mixture = model.kind === 'GaussianMixture' || model.kind === 'BayesianGaussianMixture';
  if (!mixture || model.version !== 1) return model;
  const later = { missing: 'error', stepDecay: 0.7, stepOffset: 2, ...(model.kind === 'BayesianGaussianMixture' ? { streamSize: null } : {}) };
  return { ...model, version: 2, options: { ...(model.options as Json), ...later } };
}

/** Runs fn and returns the ModelFileError it throws (failing the test when it throws anything else). */
function refusal(fn: () => unknown): ModelFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelFileError) return e;
    throw new Error(`expected a ModelFileError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
  throw new Error('expected a ModelFileError, but the file loaded');
}

describe('fixtures of the current formats', () => {
  it('cover every model with a fromJSON', () => {
    const kinds = new Set(FILES.map((f) => fixture(f).model.kind));
    expect([...kinds].sort()).toEqual(['BayesianGaussianMixture', 'BinarySparseCoding', 'BscEncoder', 'GaussianMixture', 'LISTA', 'SparseCoder']);
    expect(FILES.length).toBe(18);
  });

  for (const f of FILES) {
    it(`${f} loads and answers as the model that wrote it`, () => {
      const { model, probe, answers } = fixture(f);
      const got = load(model).answer(probe);
      for (const [k, v] of Object.entries(answers)) {
        got[k].forEach((x, i) => expect(x).toBeCloseTo(v[i], 9));
      }
    });

    it.runIf(fixture(f).model.version === 1)(`${f} without a version field is read as version 1`, () => {
      const { model, probe, answers } = fixture(f);
      const json = clone(model);
      delete json.version;
      const got = load(json).answer(probe);
      for (const [k, v] of Object.entries(answers)) got[k].forEach((x, i) => expect(x).toBeCloseTo(v[i], 9));
    });

    it(`${f} round-trips exactly through toJSON (a version-1 mixture or BscEncoder as the version 2 it reads as)`, () => {
      const { model } = fixture(f);
      const kind = model.kind as string;
      const cls = { GaussianMixture, BayesianGaussianMixture, SparseCoder, BinarySparseCoding, LISTA, BscEncoder }[kind] as { fromJSON(j: unknown): { toJSON(): unknown } };
      expect(JSON.parse(JSON.stringify(cls.fromJSON(model).toJSON()))).toEqual(upgraded(model));
    });
  }
});

describe('the tamperings found by the audit', () => {
  const gmm = () => clone(fixture('gmm-full-v1.json').model) as Json & { means: unknown[]; weights: unknown[]; precisionsCholesky: unknown[]; options: Json; covariances: number[] };

  it('a null number is refused, naming it (it used to load as 0)', () => {
    const json = gmm();
    json.means[5] = null;
    const e = refusal(() => GaussianMixture.fromJSON(json as never));
    expect(e.path).toBe('means[5]');
    expect(e.message).toBe('GaussianMixture.fromJSON: means[5] must be a finite number; got null');
    expect(e).toBeInstanceOf(ValueError);
  });

  it('covarianceType edited from full to diag is refused (sample() used to return NaN)', () => {
    const json = gmm();
    json.options.covarianceType = 'diag';
    const e = refusal(() => GaussianMixture.fromJSON(json as never));
    expect(e.path).toBe('covariances');
    expect(e.message).toMatch(/covariances must hold nComponents · nFeatures for covarianceType 'diag' = 9 values; got 27/);
  });

  it('a short precisionsCholesky is refused at load (not "increase regCovar" later)', () => {
    const json = gmm();
    json.precisionsCholesky.pop();
    const e = refusal(() => GaussianMixture.fromJSON(json as never));
    expect(e.path).toBe('precisionsCholesky');
    expect(e.message).toMatch(/must hold .* = 27 values; got 26/);
  });

  it('negative weights are refused, and weights that do not sum to 1', () => {
    const json = gmm();
    json.weights[0] = -0.1;
    expect(refusal(() => GaussianMixture.fromJSON(json as never)).message).toMatch(/weights\[0\] must be a finite number ≥ 0; got -0.1/);
    const json2 = gmm();
    json2.weights[0] = (json2.weights[0] as number) + 0.01;
    expect(refusal(() => GaussianMixture.fromJSON(json2 as never)).message).toMatch(/weights must sum to 1; they sum to 1.01/);
  });

  it('nFeatures: "2" is refused as a string (not "X must have 2 columns; got 2")', () => {
    const json = gmm();
    json.nFeatures = '2';
    expect(refusal(() => GaussianMixture.fromJSON(json as never)).message).toBe('GaussianMixture.fromJSON: nFeatures must be an integer ≥ 1 and ≤ 9007199254740991; got "2"');
  });

  it('a missing field is a ModelFileError naming it, not a TypeError', () => {
    const json: Partial<ReturnType<typeof gmm>> = gmm();
    delete json.options;
    expect(refusal(() => GaussianMixture.fromJSON(json as never)).message).toBe('GaussianMixture.fromJSON: options is missing');
  });

  it('a precision factor edited so that it no longer inverts its covariance is refused', () => {
    const json = gmm();
    json.precisionsCholesky[0] = (json.precisionsCholesky[0] as number) * 1.01;
    expect(refusal(() => GaussianMixture.fromJSON(json as never)).message).toMatch(/precisionsCholesky must be the Cholesky factors of the inverses of covariances; matrix 0 is not/);
  });

  it('a covariance that is not symmetric positive definite is refused', () => {
    const json = gmm();
    json.covariances[1] += 1;
    expect(refusal(() => GaussianMixture.fromJSON(json as never)).path).toBe('covariances[3]');
    const json2 = gmm();
    for (const i of [0, 4, 8]) json2.covariances[i] = -json2.covariances[i];
    expect(refusal(() => GaussianMixture.fromJSON(json2 as never)).message).toMatch(/covariances must hold positive definite matrices; matrix 0 is not/);
  });

  it('a file from a newer format, of another kind, or with unknown fields is refused', () => {
    const json = gmm();
    json.version = 3;
    expect(refusal(() => GaussianMixture.fromJSON(json as never)).message).toMatch(/version is 3, written by a newer elbo; this one reads versions 1 to 2/);
    expect(refusal(() => GaussianMixture.fromJSON(fixture('sparse-coder-v1.json').model as never)).message).toMatch(/kind must be 'GaussianMixture' \(a file written by GaussianMixture.toJSON\(\)\); got "SparseCoder"/);
    const json3 = gmm();
    (json3.options as Json).nComponent = 3;
    expect(refusal(() => GaussianMixture.fromJSON(json3 as never)).message).toMatch(/options.nComponent is not a field of this format/);
    expect(refusal(() => GaussianMixture.fromJSON(null as never)).message).toMatch(/json must be an object/);
    expect(refusal(() => GaussianMixture.fromJSON([] as never)).message).toMatch(/json must be an object/);
  });

  it('a fit that ran no iteration saves its bound as null, and loads', () => {
    const gm = new GaussianMixture({ nComponents: 2, maxIter: 0 }).fit([[0, 0], [1, 1], [5, 5], [6, 5]]);
    const json = JSON.parse(JSON.stringify(gm.toJSON())) as Json;
    expect(json.lowerBound).toBeNull();
    expect(GaussianMixture.fromJSON(json as never).lowerBound).toBe(-Infinity);
    const edited = { ...gm.toJSON(), lowerBoundHistory: [1] };
    expect(refusal(() => GaussianMixture.fromJSON(edited)).message).toMatch(/lowerBoundHistory must hold nIter \(one bound per iteration\) = 0 values; got 1/);
  });

  it('Bayesian weights that disagree with their concentrations are refused', () => {
    const json = clone(fixture('bgmm-full-v1.json').model) as Json & { weights: number[] };
    [json.weights[0], json.weights[1]] = [json.weights[1], json.weights[0]];
    expect(refusal(() => BayesianGaussianMixture.fromJSON(json as never)).message).toMatch(/weights\[0\] must be E_q\[π_0\]/);
  });

  it('a SparseCoder with an all-zero atom or a binary sparse coding with β ≤ 0 is refused', () => {
    const coder = clone(fixture('sparse-coder-v1.json').model) as Json & { dictionary: { data: number[] } };
    coder.dictionary.data.fill(0, 0, 3);
    expect(refusal(() => SparseCoder.fromJSON(coder as never)).message).toMatch(/^SparseCoder.fromJSON: dictionary/);
    const bsc = clone(fixture('binary-sparse-coding-v1.json').model) as Json & { beta: number[] };
    bsc.beta[1] = 0;
    expect(refusal(() => BinarySparseCoding.fromJSON(bsc as never)).message).toBe('BinarySparseCoding.fromJSON: beta[1] must be a finite number > 0; got 0');
  });
});

/** Paths of every field of a JSON value; arrays contribute themselves and their first, middle and last element. */
function leaves(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) {
    const idx = [...new Set([0, v.length >> 1, v.length - 1])].filter((i) => i >= 0 && i < v.length);
    return [path, ...idx.flatMap((i) => leaves(v[i], `${path}[${i}]`))];
  }
  if (typeof v === 'object' && v !== null) {
    return [...(path ? [path] : []), ...Object.keys(v).flatMap((k) => leaves((v as Json)[k], path ? `${path}.${k}` : k))];
  }
  return [path];
}

/** Applies fn to the parent of `path` and the last key. */
function edit(root: unknown, path: string, fn: (parent: Json | unknown[], key: string | number) => void): void {
  const keys = path.match(/[^.[\]]+/g)!.map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  let p = root as Json;
  for (const k of keys.slice(0, -1)) p = (p as never)[k];
  fn(p, keys[keys.length - 1]);
}

type Mutation = [name: string, apply: (parent: never, key: string | number) => void, applies: (v: unknown) => boolean];
const MUTATIONS: Mutation[] = [
  ['deleted', (p: Json | unknown[], k) => { if (Array.isArray(p)) p.splice(k as number, 1); else delete p[k]; }, () => true],
  ['set to null', (p: Json, k) => { p[k] = null; }, () => true],
  ['set to a string', (p: Json, k) => { p[k] = '2'; }, (v) => typeof v !== 'string'],
  ['set to NaN', (p: Json, k) => { p[k] = NaN; }, () => true],
  ['set to Infinity (1e999 in a file)', (p: Json, k) => { p[k] = Infinity; }, () => true],
  ['truncated', (p: Json, k) => { const v = p[k]; p[k] = Array.isArray(v) ? v.slice(0, -1) : typeof v === 'string' ? v.slice(0, -1) : v; }, (v) => (Array.isArray(v) && v.length > 0) || (typeof v === 'string' && v.length > 0)],
];
/** Fields whose absence (or null) a format allows: they load, to the same answers (a mixture's version only in version 1). */
const OPTIONAL: Record<string, { deleted?: string[]; null?: string[] }> = {
  GaussianMixture: { deleted: ['version'] },
  BayesianGaussianMixture: { deleted: ['version'], null: ['options.streamSize'] },
  'GaussianMixture@2': {},
  'BayesianGaussianMixture@2': { null: ['options.streamSize'] },
  SparseCoder: { deleted: ['version'] },
  LISTA: { deleted: ['version'] },
  BinarySparseCoding: { deleted: ['version', 'seed', 'lowerBoundHistory', 'converged'] },
  BscEncoder: { deleted: ['version', 'model.version', 'model.seed', 'model.lowerBoundHistory', 'model.converged'] },
  // Versions 2 and 3 (the latest reads as 2 rules: nothing but the nested model's optional fields).
  'BscEncoder@2': { deleted: ['model.version', 'model.seed', 'model.lowerBoundHistory', 'model.converged'] },
};
/** Deleting a middle element of an array shortens it: the error names the array (or a later element). */
const parentOf = (path: string) => path.replace(/\[\d+\]$/, '');

describe('a generated family of tamperings', () => {
  for (const f of FILES) {
    it(`${f}: every field deleted, null, a string, NaN, Infinity or truncated gives a ModelFileError naming it`, () => {
      const { model, probe, answers } = fixture(f);
      const kind = model.kind as string;
      let cases = 0;
      for (const path of leaves(model)) {
        for (const [name, apply, applies] of MUTATIONS) {
          let original: unknown;
          edit(model, path, (p, k) => { original = (p as never)[k]; });
          if (!applies(original)) continue;
          const json = clone(model);
          edit(json, path, apply as never);
          const rules = OPTIONAL[(model.version as number) >= 2 ? `${kind}@2` : kind];
          const allowed = name === 'deleted' ? rules.deleted : name === 'set to null' ? rules.null : undefined;
          if (allowed?.includes(path)) {
            expect(() => load(json, kind).answer(probe), `${path} ${name}`).not.toThrow();
            continue;
          }
          cases++;
          let e: ModelFileError;
          try { e = refusal(() => load(json, kind)); } catch (err) { throw new Error(`${path} ${name}: ${(err as Error).message}`); }
          const at = e.path;
          // The error names the field itself, its array (an element removed), or for an edit that
          // leaves every field well-formed, a field that now contradicts it.
          const named = at === path || at.startsWith(`${path}[`) || at.startsWith(`${path}.`) || at === parentOf(path) || path.startsWith(`${at}.`) || path.startsWith(`${at}[`);
          if (!named) expect.soft(at, `${path} ${name}: ${e.message}`).toBe(path);
          expect(e.message.startsWith(`${kind}.fromJSON: `), e.message).toBe(true);
        }
      }
      expect(cases).toBeGreaterThan(40);
      void answers;
    });
  }
});
