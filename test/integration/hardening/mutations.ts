/**
 * Ways to damage a file, as fast-check arbitraries: truncation, bit flips, overwritten runs, appended junk,
 * zero size, and "huge declared dimensions" written through a format-specific header field. A mutation is plain
 * data, so a failing case prints as something a person can replay.
 */
import fc from 'fast-check'

/** Writes a declared dimension (width, height, count…) into a copy of a file's header; null when it cannot. */
export type DimensionWriter = (bytes: Buffer, value: number) => Buffer | null

export type Mutation =
  | { kind: 'zero-size' }
  | { kind: 'truncate'; keep: number }
  | { kind: 'flip'; bits: [number, number][] }
  | { kind: 'overwrite'; at: number; bytes: number[] }
  | { kind: 'append'; bytes: number[] }
  | { kind: 'huge-dimension'; value: number }

// Unbiased: fast-check's default bias towards small values would make most truncations empty files.
const fraction = fc.noBias(fc.integer({ min: 0, max: 9999 })).map((n) => n / 10_000)
/** Sizes that overflow 32-bit products, exceed pixel limits, or are zero or one. */
const hugeValue = fc.oneof(
  fc.constantFrom(0, 1, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 20, 40_000_001),
  fc.integer({ min: 0, max: 0xffffffff })
)

const byte = fc.integer({ min: 0, max: 255 })

/** Zero size is one case, not a sixth of all cases: the other kinds get more weight. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'zero-size' as const }), weight: 1 },
  { arbitrary: fraction.map((keep) => ({ kind: 'truncate' as const, keep })), weight: 6 },
  {
    arbitrary: fc
      .array(fc.tuple(fraction, fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 })
      .map((bits) => ({ kind: 'flip' as const, bits })),
    weight: 8
  },
  {
    arbitrary: fc
      .record({ at: fraction, bytes: fc.array(byte, { minLength: 1, maxLength: 16 }) })
      .map((r) => ({ kind: 'overwrite' as const, ...r })),
    weight: 4
  },
  {
    arbitrary: fc
      .array(byte, { minLength: 1, maxLength: 64 })
      .map((bytes) => ({ kind: 'append' as const, bytes })),
    weight: 2
  },
  { arbitrary: hugeValue.map((value) => ({ kind: 'huge-dimension' as const, value })), weight: 4 }
)

/** Applies a mutation to a copy of `original` (flips and overwrites land at positions scaled to its length). */
export function mutate(original: Buffer, m: Mutation, writeDimension: DimensionWriter): Buffer {
  const at = (f: number) => Math.min(original.length - 1, Math.floor(f * original.length))
  switch (m.kind) {
    case 'zero-size':
      return Buffer.alloc(0)
    case 'truncate':
      return Buffer.from(original.subarray(0, Math.floor(m.keep * original.length)))
    case 'flip': {
      const copy = Buffer.from(original)
      for (const [f, bit] of m.bits) copy[at(f)] ^= 1 << bit
      return copy
    }
    case 'overwrite': {
      const copy = Buffer.from(original)
      m.bytes.forEach((b, i) => {
        if (at(m.at) + i < copy.length) copy[at(m.at) + i] = b
      })
      return copy
    }
    case 'append':
      return Buffer.concat([original, Buffer.from(m.bytes)])
    case 'huge-dimension':
      return writeDimension(Buffer.from(original), m.value) ?? Buffer.from(original)
  }
}

/** Counts outcomes by name, for the figures. */
export function tally(counts: Record<string, number>, outcome: string): void {
  counts[outcome] = (counts[outcome] ?? 0) + 1
}
