import { expect, it } from 'vitest';
import { createFaker, Random } from '../../lib/random.ts';

const draw = (random: Random, count: number) => Array.from({ length: count }, () => random.nextUint32());

it('gives the same sequence for the same seed and a different one for another seed', () => {
  expect(draw(new Random(42), 20)).toEqual(draw(new Random(42), 20));
  expect(draw(new Random(42), 20)).not.toEqual(draw(new Random(43), 20));
});

it('gives each fork its own stream, independent of how much the parent or a sibling drew', () => {
  const a = new Random(7);
  const b = new Random(7);
  draw(b, 100);
  draw(b.fork('other'), 50);
  expect(draw(a.fork('trades'), 10)).toEqual(draw(b.fork('trades'), 10));
  expect(draw(a.fork('trades'), 10)).not.toEqual(draw(a.fork('refunds'), 10));
});

it('draws integers inside the range, reaching both ends', () => {
  const random = new Random(1);
  const seen = new Set<number>();
  for (let index = 0; index < 2000; index++) {
    const value = random.int(3, 7);
    expect(value).toBeGreaterThanOrEqual(3);
    expect(value).toBeLessThanOrEqual(7);
    seen.add(value);
  }
  expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
});

it('makes digit and hex strings of the requested length', () => {
  const random = new Random(5);
  expect(random.digits(15)).toMatch(/^\d{15}$/);
  expect(random.hex(32)).toMatch(/^[0-9a-f]{32}$/);
  expect(random.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

it('refuses empty ranges and non-integer seeds', () => {
  expect(() => new Random(1).int(5, 4)).toThrow(/empty range/);
  expect(() => new Random(1.5)).toThrow(/integer/);
  expect(() => new Random(1).pick([])).toThrow(/empty list/);
});

it('seeds faker from the stream, so names repeat with the seed', () => {
  expect(createFaker(new Random(9)).person.fullName()).toBe(createFaker(new Random(9)).person.fullName());
});

it('gives seeds that differ only above bit 32 different streams, forks included', () => {
  for (const [low, high] of [[0, 2 ** 32], [7, 7 + 2 ** 32], [1, 2 ** 32], [5, 5 + 3 * 2 ** 40], [-1, 2 ** 32 - 1]]) {
    expect(draw(new Random(low!), 8)).not.toEqual(draw(new Random(high!), 8));
    expect(draw(new Random(low!).fork('engine'), 8)).not.toEqual(draw(new Random(high!).fork('engine'), 8));
    expect(draw(new Random(low!).fork('faults').fork('alipay-wire'), 8)).not.toEqual(draw(new Random(high!).fork('faults').fork('alipay-wire'), 8));
  }
});

it('keeps the streams of seeds below 2^32 as they were, so recorded runs replay', () => {
  expect(draw(new Random(42), 3)).toEqual([1028872839, 2516511472, 400437680]);
  expect(draw(new Random(42).fork('engine'), 3)).toEqual([4221774338, 2984675416, 3106688597]);
  expect(new Random(2 ** 32 + 42).fork('engine').seed).toBe(2 ** 32 + new Random(42).fork('engine').seed);
  expect(() => new Random(Number.MAX_SAFE_INTEGER).fork('engine').fork('faults')).not.toThrow();
  expect(() => new Random(Number.MIN_SAFE_INTEGER).fork('engine').fork('faults')).not.toThrow();
});
