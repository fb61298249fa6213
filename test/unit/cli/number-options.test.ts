/** CLI numbers are plain decimals (issue 13, low): `--epochs 0x10` or `" 3"` is a usage error, not 16 or 3. */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { schemaOption } from '../../../src/cli/output'
import { UsageError } from '../../../src/cli/types'

const epochs = z.number().int().min(1).max(1000)

describe('schemaOption', () => {
  it('takes plain decimals', () => {
    expect(schemaOption('12', 'epochs', epochs)).toBe(12)
    expect(schemaOption('0.5', 'dropout', z.number().min(0).max(0.9))).toBe(0.5)
    expect(schemaOption('1e-6', 'learning-rate', z.number().positive())).toBe(1e-6)
    expect(schemaOption(undefined, 'epochs', epochs)).toBeUndefined()
  })

  it.each(['0x10', ' 3', '3 ', '0b1', '0o7', '', 'Infinity', '3abc', '1e'])('refuses %j', (value) => {
    expect(() => schemaOption(value, 'epochs', epochs)).toThrow(UsageError)
  })
})
