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
