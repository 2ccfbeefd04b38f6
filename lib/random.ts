// One seeded random source. Each subsystem takes its own stream with `fork(name)`, so a change in how
// often one subsystem draws does not shift the numbers another one sees: the same seed gives the same
// run. The generator is sfc32, seeded through splitmix32; fast, small and good enough for simulation.
import type { Faker } from '@faker-js/faker';
import { lazyRequire } from './lazy-require.ts';

// The zh_CN entry loads one locale (with its en and base fallbacks); the package's main entry loads
// every locale, which took a fifth of a second of each start. Even the one locale is half a megabyte of
// modules, so it loads on the first fake name (a start on an existing data dir draws none).
const zhCnLocale = lazyRequire<typeof import('@faker-js/faker/locale/zh_CN')>('@faker-js/faker/locale/zh_CN');

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** The splitmix32 finalizer: a bijection on 32-bit words that maps 0 to 0. */
function scramble(word: number): number {
  let z = word >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A safe integer as its low 32 bits (unsigned) and the signed rest: seed = high * 2^32 + low. */
function halvesOf(seed: number): { low: number; high: number } {
  const high = Math.floor(seed / 2 ** 32);
  return { low: seed - high * 2 ** 32, high };
}

function hashName(name: string): number {
  // FNV-1a, 32 bit.
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) {
    hash ^= name.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    // -2^53 is let in (exactly representable) because a fork of a seed near MIN_SAFE_INTEGER can land there.
    if (!Number.isInteger(seed) || seed < -(2 ** 53) || seed > Number.MAX_SAFE_INTEGER) throw new RangeError(`seed must be an integer, got ${seed}`);
    const { low, high } = halvesOf(seed);
    const mix = splitmix32(low);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    // The high half goes into c and d through a bijection that keeps 0 at 0: seeds below 2^32 start
    // as they always did, and no two safe-integer seeds start alike (a is a bijection of the low half).
    if (high !== 0) {
      this.c = (this.c ^ scramble(high)) >>> 0;
      this.d = (this.d ^ scramble(high ^ 0x5bd1e995)) >>> 0;
    }
    for (let index = 0; index < 12; index++) this.nextUint32();
  }

  /** An independent stream for one subsystem, derived from this seed and the name (all of the seed's bits). */
  fork(name: string): Random {
    const { low, high } = halvesOf(this.seed);
    return new Random(high * 2 ** 32 + ((low ^ hashName(name)) >>> 0));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [minInclusive, maxInclusive]. */
  int(minInclusive: number, maxInclusive: number): number {
    if (maxInclusive < minInclusive) throw new RangeError(`empty range [${minInclusive}, ${maxInclusive}]`);
    return minInclusive + Math.floor(this.float() * (maxInclusive - minInclusive + 1));
  }

  /** True with probability p. */
  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** A string of `length` decimal digits (may start with 0). */
  digits(length: number): string {
    let text = '';
    for (let index = 0; index < length; index++) text += String(this.int(0, 9));
    return text;
  }

  /** A string of `length` lowercase hex characters. */
  hex(length: number): string {
    let text = '';
    for (let index = 0; index < length; index++) text += this.int(0, 15).toString(16);
    return text;
  }

  /** A standard normal variate (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A version-4-shaped UUID from this stream (not for security). */
  uuid(): string {
    const hex = this.hex(32).split('');
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    const text = hex.join('');
    return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
  }
}

/** A faker whose every draw is determined by the given random stream's seed. */
export function createFaker(random: Random): Faker {
  // The Faker class, and the merged zh_CN → en → base definitions, taken from the zh_CN entry's instance.
  const { faker: zhCnFaker } = zhCnLocale();
  const FakerClass = zhCnFaker.constructor as typeof Faker;
  const faker = new FakerClass({ locale: zhCnFaker.rawDefinitions });
  faker.seed(random.nextUint32());
  return faker;
}
